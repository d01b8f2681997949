import { existsSync } from 'node:fs';
import type { RotationStatus } from '../../../shared/rotation.js';
import { historyStoreAt } from '../watch/record.js';

/**
 * The rotation's mirror in the local history store, when that store exists (the server's
 * rotation file stays the truth; the mirror lets status and the wizard show it offline).
 * Never creates the store.
 */
export function historyMirror(file: string): (host: string, status: RotationStatus) => void {
  return (host, status) => {
    if (!existsSync(file)) return;
    historyStoreAt(file).mirrorRotation(host, status.domain, status);
  };
}
