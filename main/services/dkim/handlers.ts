import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { keyStore } from '../keys/index.js';
import { remoteSessionFor } from '../ssh/sessionStore.js';
import { checkChangeSettings } from './settings.js';
import { rollbackChanges } from '../../server/engine/index.js';
import { applyChanges, planChanges } from './dkim.js';

interface WizardChangeInput {
  sessionId: string;
  domain: string;
  keyIds: string[];
  rua: string[];
  ruf: string[];
  reportTo?: string | undefined;
}

function settingsFrom(input: WizardChangeInput, loginUser: string) {
  const keys = input.keyIds.map((id) => keyStore.require(id));
  return checkChangeSettings({ domain: input.domain, keys, rua: input.rua, ruf: input.ruf, reportTo: input.reportTo }, loginUser);
}

export function createChangeHandlers(deps: ServiceDeps): HandlerGroup<'planChanges' | 'applyChanges' | 'rollbackChanges'> {
  return {
    planChanges: async (input, { signal }) => {
      const session = remoteSessionFor(input.sessionId);
      const settings = settingsFrom(input, session.target.user);
      return (await planChanges(session, settings, { signal, dns: { resolvers: input.resolvers, skip: input.skipDnsCheck } })).plan;
    },
    applyChanges: async (input, { signal, progress }) => {
      const session = remoteSessionFor(input.sessionId);
      const settings = settingsFrom(input, session.target.user);
      return applyChanges(session, settings, { signal, progress, now: deps.now, dns: { resolvers: input.resolvers, skip: input.skipDnsCheck } });
    },
    rollbackChanges: async (input, { signal }) => rollbackChanges(remoteSessionFor(input.sessionId), input.backupId ?? null, { signal }),
  };
}
