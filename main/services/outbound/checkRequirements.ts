import type { OutboundReport, RequirementsReport } from '../../../shared/outbound.js';
import type { RemoteSession } from '../ssh/types.js';
import type { DkimExpectation } from '../verify/recordChecks.js';
import { verifyDns } from '../verify/verifyDns.js';
import { checkOutbound, type OutboundOptions } from './outbound.js';
import { judgeRequirements, requirementFacts } from './requirements.js';

export interface RequirementsOptions {
  domain: string;
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
  const outbound = options.session ? await checkOutbound(options.session, { mailDomain: options.domain, resolvers: options.resolvers, ...options.outbound, ...(options.signal ? { signal: options.signal } : {}) }) : null;
  const found = outbound && outbound.publicAddress !== 'unknown' ? [outbound.publicAddress] : [];
  const addresses = [...new Set([...options.addresses, ...found])];
  const verify = await verifyDns({
    domain: options.domain,
    dkim: options.dkim,
    addresses,
    resolvers: options.resolvers,
    discoverAddress: false,
    checkBlocklists: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const rows = judgeRequirements(requirementFacts(verify, outbound));
  const basis = new Set(rows.flatMap((r) => r.basis));
  const checks = [...verify.checks, ...(outbound?.checks ?? [])].filter((c) => basis.has(c.id));
  return { domain: options.domain, rows, checks, serverChecked: outbound !== null, ok: rows.every((r) => r.status !== 'fail'), outbound };
}
