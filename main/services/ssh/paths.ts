import path from 'node:path';

/** Homemail's own known_hosts, in the data folder. */
export function knownHostsPath(dataDir: string): string {
  return path.join(dataDir, 'known_hosts');
}
