import type { BlocklistStatus, BlocklistTest, BlocklistUse, DnsProbe } from '../../../shared/inbound.js';
import { dnsblProbeScript } from '../../server/scripts/index.js';
import { commandLine } from '../ssh/quote.js';
import type { RemoteSession } from '../ssh/types.js';

/**
 * DNS blocklists tested the way RFC 5782 §5 provides: an IP list must list 127.0.0.2
 * (`2.0.0.127.ZONE`) and must not list 127.0.0.1; a domain list must list `test.ZONE` and
 * not `invalid.ZONE`. The queries go through the server's own resolver (what Postfix uses),
 * in one round trip.
 */

export function isDomainList(use: BlocklistUse): boolean {
  return use.kind.startsWith('reject_rhsbl') || use.kind === 'permit_rhswl_client';
}

export function probeNames(use: BlocklistUse): { listed: string; unlisted: string } {
  return isDomainList(use) ? { listed: `test.${use.zone}`, unlisted: `invalid.${use.zone}` } : { listed: `2.0.0.127.${use.zone}`, unlisted: `1.0.0.127.${use.zone}` };
}

const isRefusal = (a: string) => a.startsWith('127.255.255.');
const isListing = (a: string) => a.startsWith('127.') && !isRefusal(a);
const answered = (p: DnsProbe) => p.status === 'NOERROR' || p.status === 'NXDOMAIN' || p.status === 'FOUND' || p.status === 'NOTFOUND';

const spamhausNote =
  'Spamhaus answers 127.255.255.254 to queries that come through public resolvers (8.8.8.8, 1.1.1.1, most ISP resolvers) and 127.255.255.255 to too many queries: Postfix would read that as "listed". Run your own resolver on the server (unbound) so queries come from your address, or use Spamhaus DQS (a free key for small sites) and its zone names.';

export function classifyBlocklist(use: BlocklistUse, listed: DnsProbe, unlisted: DnsProbe): BlocklistTest {
  let status: BlocklistStatus;
  if ([...listed.answers, ...unlisted.answers].some(isRefusal)) status = 'refused';
  else if (!answered(listed) || !answered(unlisted)) status = 'no-answer';
  else if (unlisted.answers.some(isListing) || unlisted.status === 'FOUND') status = 'lists-everything';
  else if (listed.answers.some(isListing) || listed.status === 'FOUND') status = 'working';
  else status = 'not-listing';
  const zone = use.zone;
  const texts: Record<BlocklistStatus, string> = {
    working: `${zone} works: it lists its test entry and not the address that must never be listed.`,
    'not-listing': `${zone} does not list its own test entry (${listed.name}: ${listed.status}): the list is gone or no longer served. Remove it; it only costs a DNS query per connection.`,
    'lists-everything': `${zone} lists even ${unlisted.name}, which no working list does: the domain is probably parked with a wildcard and would reject all mail. Remove it now.`,
    refused: `${zone} refuses this server's resolver (answer ${[...listed.answers, ...unlisted.answers].find(isRefusal) ?? ''}). ${spamhausNote} Until then remove it: its refusals look like listings.`,
    'no-answer': `${zone} gave no answer through the server's resolver (${listed.status}). A list that does not answer is dead for Postfix; remove it, or check the resolver if every list fails.`,
  };
  return { use, status, listed, unlisted, remove: status !== 'working', text: texts[status] };
}

/** Runs the RFC 5782 probes for every list in one round trip (queries in parallel). */
export async function probeBlocklists(session: RemoteSession, uses: readonly BlocklistUse[], signal?: AbortSignal): Promise<BlocklistTest[]> {
  if (uses.length === 0) return [];
  const names = [...new Set(uses.flatMap((u) => Object.values(probeNames(u))))];
  const result = await session.exec(commandLine(['sh', '-c', dnsblProbeScript, 'homemail-dnsbl', ...names]), { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  const probes = new Map<string, DnsProbe>();
  for (const line of result.stdout.split('\n')) {
    const [tag, name, status, ...answers] = line.trim().split(/\s+/);
    if (tag !== 'probe' || name === undefined || status === undefined) continue;
    probes.set(name.toLowerCase(), { name, status, answers: answers.filter((a) => a !== '') });
  }
  const missing = (name: string): DnsProbe => ({ name, status: 'TIMEOUT', answers: [] });
  return uses.map((use) => {
    const n = probeNames(use);
    return classifyBlocklist(use, probes.get(n.listed.toLowerCase()) ?? missing(n.listed), probes.get(n.unlisted.toLowerCase()) ?? missing(n.unlisted));
  });
}

/** Lists worth having, each with the caveat that decides whether it works from this server. */
export const SUGGESTED_LISTS: readonly string[] = [
  'zen.spamhaus.org — the best-kept list, but only through your own resolver (not 8.8.8.8 or your ISP\'s) and for small, non-commercial use; otherwise Spamhaus DQS with a free key. Use reject_rbl_client zen.spamhaus.org=127.0.0.[2..11] so refusals are never read as listings.',
  'bl.spamcop.net — reports from people; can list big providers\' servers for a short while, so some prefer it in postscreen with a weight.',
  'psbl.surriel.com — conservative, built from spam traps.',
];
