import { parseRelayTarget } from '../../../shared/relay.js';
import { badInput, keyedError } from '../../../shared/errors.js';
import type { ParsedInputOf } from '../../../shared/contract/index.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { runRelay, type RelayOptions } from './relay.js';

function optionsOf(input: ParsedInputOf<'planRelay'>): RelayOptions {
  if (input.remove) return { remove: true, domain: input.domain };
  const target = parseRelayTarget(input.relay);
  if (!target.ok) throw badInput('relay', target.problem);
  return { remove: false, target: target.value, user: input.user, password: input.password, domain: input.domain };
}

export function createRelayHandlers(_deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'planRelay' | 'applyRelay'> {
  return {
    planRelay: async (input) => (await runRelay(store.get(input.sessionId), optionsOf(input), false)).plan,
    applyRelay: async (input, { signal, progress }) => {
      const outcome = await runRelay(store.get(input.sessionId), optionsOf(input), { signal, progress });
      if (outcome.apply === null) throw keyedError('internal', { key: 'relayApplyNoResult', params: {} });
      return { result: outcome.apply };
    },
  };
}
