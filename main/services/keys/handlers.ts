import { buildDkimRecord } from '../../../shared/records/dkim.js';
import { dkimKeyNotes, DEFAULT_TTL } from '../../../shared/records/recordSet.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { generateDkimKey } from './generate.js';
import { keyStore as processKeyStore, type KeyStore } from './keyStore.js';

export function createKeysHandlers(_deps: ServiceDeps, store: KeyStore = processKeyStore): HandlerGroup<'generateDkimKey' | 'listDkimKeys' | 'forgetDkimKey'> {
  return {
    generateDkimKey: async (input, { signal }) => {
      const key = await generateDkimKey({ ...input, signal });
      const info = store.add(key);
      const record = buildDkimRecord({ domain: key.domain, selector: key.selector, keyType: key.type, publicKey: key.publicKeyBase64, ttl: DEFAULT_TTL });
      return { key: info, record, notes: dkimKeyNotes(key.type, key.bits, key.selector) };
    },
    listDkimKeys: async (input) => store.list(input.domain === undefined ? undefined : orThrow('domain', normalizeDomain(input.domain))),
    forgetDkimKey: async (input) => ({ removed: store.remove(input.keyId) }),
  };
}
