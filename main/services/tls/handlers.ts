import { keyedError } from '../../../shared/errors.js';
import type { ParsedInputOf } from '../../../shared/contract/index.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { wizardSessions, type SessionStore } from '../ssh/sessionStore.js';
import { runTls, type TlsOptions } from './tls.js';

const optionsOf = (input: ParsedInputOf<'planTls'>): TlsOptions => ({ domain: input.domain, letsEncrypt: input.letsEncrypt });

export function createTlsHandlers(_deps: ServiceDeps, store: SessionStore = wizardSessions): HandlerGroup<'planTls' | 'applyTls'> {
  return {
    planTls: async (input) => (await runTls(store.get(input.sessionId), optionsOf(input), false)).plan,
    applyTls: async (input, { signal, progress }) => {
      const outcome = await runTls(store.get(input.sessionId), optionsOf(input), { signal, progress });
      if (outcome.apply === null) throw keyedError('internal', { key: 'tlsApplyNoResult', params: {} });
      return { result: outcome.apply };
    },
  };
}
