import { listBackups } from '../../server/engine/backups.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';

export function createBackupHandlers(_deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'listBackups'> {
  return {
    listBackups: async (input, { signal }) => listBackups(store.get(input.sessionId), { signal }),
  };
}
