import { explainHeaders } from '../../../shared/verify/headerExplainer.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup } from '../handler.js';
import { verifyDns, waitForDns, type VerifyDnsOptions } from './verifyDns.js';

export function createVerifyHandlers(_deps: ServiceDeps): HandlerGroup<'verifyDns' | 'explainHeaders'> {
  return {
    verifyDns: async (input, { signal, progress }) => {
      const options: VerifyDnsOptions = {
        domain: input.domain,
        dkim: input.dkim,
        addresses: input.addresses,
        interfaceAddresses: input.interfaceAddresses,
        resolvers: input.resolvers,
        discoverAddress: input.discoverAddress,
        checkBlocklists: input.checkBlocklists,
        signal,
        onProgress: progress,
      };
      if (input.waitSeconds > 0) return waitForDns(options, { waitSeconds: input.waitSeconds, intervalSeconds: input.intervalSeconds });
      return verifyDns(options);
    },
    explainHeaders: async (input) => explainHeaders(input.headers),
  };
}
