import type { OutboundReport, RequirementsReport } from '../../../shared/outbound.js';
import type { RemoteSession } from '../ssh/types.js';
import type { DkimExpectation } from '../verify/recordChecks.js';
import { inspectServer } from '../inspect/inspect.js';
import { verifyDns } from '../verify/verifyDns.js';
import { checkOutbound, type OutboundOptions } from './outbound.js';
import { judgeRequirements, requirementFacts, serverDkimExpectations } from './requirements.js';

export interface RequirementsOptions {
  domain: string;
  /** The selectors to judge DKIM for; when none are given and the server is connected, the ones it signs the domain's mail with. */
  dkim: readonly DkimExpectation[];
  /** Sending addresses given by the person; the server's own public address is added when found. */
  addresses: readonly string[];
  resolvers: readonly string[];
  /** The server, when connected: port 25, TLS and its own view of the reverse name. */
  session: RemoteSession | null;
  outbound?: Omit<OutboundOptions, 'signal'>;
  signal?: AbortSignal;
}

/** The sender-requirements checklist: outbound's server checks (when connected), then verify's DNS checks. */
export async function checkRequirements(options: RequirementsOptions): Promise<RequirementsReport & { outbound: OutboundReport | null }> {
  const outbound = options.session ? await checkOutbound(options.session, { mailDomain: options.domain, resolvers: options.resolvers, ...options.outbound, ...signalOf(options) }) : null;
  const found = outbound && outbound.publicAddress !== 'unknown' ? [outbound.publicAddress] : [];
  const addresses = [...new Set([...options.addresses, ...found])];
  const fromServer = options.session && options.dkim.length === 0 ? serverDkimExpectations((await inspectServer(options.session, signalOf(options))).opendkim, options.domain) : [];
  const verify = await verifyDns({
    domain: options.domain,
    dkim: fromServer.length > 0 ? fromServer : options.dkim,
    addresses,
    resolvers: options.resolvers,
    discoverAddress: false,
    checkBlocklists: false,
    ...signalOf(options),
  });
  const rows = judgeRequirements(requirementFacts(verify, outbound, fromServer.map((e) => e.selector)));
  const basis = new Set(rows.flatMap((r) => r.basis));
  const checks = [...verify.checks, ...(outbound?.checks ?? [])].filter((c) => basis.has(c.id));
  return { domain: options.domain, rows, checks, serverChecked: outbound !== null, ok: rows.every((r) => r.status !== 'fail'), outbound };
}

const signalOf = (options: { signal?: AbortSignal }): { signal?: AbortSignal } => (options.signal ? { signal: options.signal } : {});
