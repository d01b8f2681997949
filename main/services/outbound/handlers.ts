import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { checkRequirements } from './checkRequirements.js';
import { checkOutbound } from './outbound.js';

export function createOutboundHandlers(deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'checkOutbound' | 'checkRequirements'> {
  return {
    checkOutbound: async (input, { signal }) =>
      checkOutbound(store.get(input.sessionId), { now: deps.now(), signal, ...(input.probeDomain ? { probeDomain: input.probeDomain } : {}), ...(input.domain ? { mailDomain: input.domain } : {}), ...(input.resolvers ? { resolvers: input.resolvers } : {}) }),
    checkRequirements: async (input, { signal }) => {
      const report = await checkRequirements({
        domain: input.domain,
        dkim: input.dkim,
        addresses: input.addresses,
        resolvers: input.resolvers,
        session: input.sessionId === undefined ? null : store.get(input.sessionId),
        outbound: { now: deps.now() },
        signal,
      });
      return { domain: report.domain, rows: report.rows, checks: report.checks, serverChecked: report.serverChecked, ok: report.ok };
    },
  };
}
