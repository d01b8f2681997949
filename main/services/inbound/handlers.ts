import { keyedError } from '../../../shared/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { assertAllowEntries, buildAllowMaps } from './allowMap.js';
import { checkInbound } from './checkInbound.js';
import { runInbound } from './inbound.js';

export function createInboundHandlers(_deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'checkInbound' | 'planInbound' | 'applyInbound'> {
  return {
    checkInbound: async (input, { signal }) => checkInbound(store.get(input.sessionId), signal),
    planInbound: async (input) => {
      assertAllowEntries(buildAllowMaps(input.allow));
      const outcome = await runInbound(store.get(input.sessionId), input, false);
      return { inbound: outcome.report, plan: outcome.plan };
    },
    applyInbound: async (input, { signal, progress }) => {
      assertAllowEntries(buildAllowMaps(input.allow));
      const outcome = await runInbound(store.get(input.sessionId), input, { signal, progress });
      if (outcome.apply === null) throw keyedError('internal', { key: 'inboundApplyNoResult', params: {} });
      return { inbound: outcome.report, result: outcome.apply };
    },
  };
}
