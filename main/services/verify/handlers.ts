import { explainHeaders } from '../../../shared/verify/headerExplainer.js';
import type { ServiceDeps } from '../deps.js';
import { remoteSessionFor } from '../ssh/sessionStore.js';
import { DnsClient } from './dnsClient.js';
import { checkDkimPublished } from './publishGate.js';
import { readPublishedRecords } from './published.js';
import { sendTest } from './sendTest.js';
import { chainedResolver, resolversFromArgs } from './servers.js';
import type { HandlerGroup } from '../handler.js';
import { verifyDns, waitForDns, type VerifyDnsOptions } from './verifyDns.js';

export function createVerifyHandlers(_deps: ServiceDeps): HandlerGroup<'verifyDns' | 'sendTest' | 'explainHeaders' | 'readPublishedRecords' | 'checkDkimPublished'> {
  return {
    readPublishedRecords: async (input, { signal }) => readPublishedRecords({ ...input, signal }),
    checkDkimPublished: async (input, { signal }) => checkDkimPublished({ ...input, signal }),
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
    sendTest: async (input, { signal }) => {
      const session = remoteSessionFor(input.sessionId);
      const addresses = input.addresses.length > 0 ? input.addresses : /^[0-9.]+$|:/.test(session.target.host) ? [session.target.host] : [];
      return sendTest(session, {
        ...(input.to === undefined ? {} : { to: input.to }),
        ...(input.domain === undefined ? {} : { domain: input.domain }),
        addresses,
        resolver: chainedResolver(new DnsClient({ signal }), resolversFromArgs(input.resolvers)),
        signal,
      });
    },
    explainHeaders: async (input) => explainHeaders(input.headers),
  };
}
