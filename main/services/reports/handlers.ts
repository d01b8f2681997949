import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { readReports } from './readReports.js';

export function createReportsHandlers(deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'readDmarcReports'> {
  return {
    readDmarcReports: async (input, { signal, progress }) =>
      readReports(store.get(input.sessionId), { address: input.address, domain: input.domain, period: input.period, now: deps.now(), signal, progress }),
  };
}
