import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { inspectServer } from './inspect.js';

export function createInspectHandlers(_deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'inspectServer'> {
  return {
    inspectServer: async (input, { signal }) => inspectServer(store.get(input.sessionId), { signal }),
  };
}
