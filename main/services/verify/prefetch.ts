/**
 * The queries verify can send before it has any answer, and the ones an answer makes
 * predictable (MX → the host's addresses, PTR → the name's address, SPF → its include: and
 * a/mx targets, DMARC → an external report domain's consent record). Sending them early only
 * fills the run's DnsClient cache: what is judged, and from which server, stays the checks'.
 */
import { isSameOrSubdomain } from '../../../shared/validation/domain.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { blocklistQueryName, isSpfRecord, joinTxt, parseDmarcRecord, parseSpfRecord, spfLookupTerms } from '../../../shared/verify/tags.js';
import { serverKey, type DnsClient, type DnsServer, type RecordType } from './dnsClient.js';
import { reportDestination, reverseName } from './recordChecks.js';

export interface PlannedQuery {
  name: string;
  type: RecordType;
}

/** The zone's own records that every server is asked for (and compared on). */
export function zoneQueries(domain: string, selectors: readonly string[]): PlannedQuery[] {
  return [
    { name: domain, type: 'TXT' },
    { name: `_dmarc.${domain}`, type: 'TXT' },
    ...selectors.map((s) => ({ name: `${s}._domainkey.${domain}`, type: 'TXT' as const })),
    { name: `_adsp._domainkey.${domain}`, type: 'TXT' },
    { name: domain, type: 'MX' },
  ];
}

const addressQueries = (name: string): PlannedQuery[] => [
  { name, type: 'A' },
  { name, type: 'AAAA' },
];

/**
 * Names in the zone that are likely asked for their addresses: the domain itself (SPF `a`,
 * an MX-less domain) and `mail.` under it (the usual MX and PTR name of a home server).
 */
export function likelyHostQueries(domain: string): PlannedQuery[] {
  return [...addressQueries(domain), ...addressQueries(`mail.${domain}`)];
}

/** PTR of each server address (the first half of forward-confirmed reverse DNS). */
export function reverseQueries(addresses: readonly string[]): PlannedQuery[] {
  return addresses.flatMap((a) => {
    const name = reverseName(a);
    return name ? [{ name, type: 'PTR' as const }] : [];
  });
}

/** The blocklist questions blocklistChecks will ask (public IPv4 addresses only). */
export function blocklistQueries(addresses: readonly string[], lists: readonly string[]): PlannedQuery[] {
  return addresses.flatMap((a) => {
    const parsed = parseIpAddress(a);
    if (!parsed.ok || parsed.value.version !== 4 || parsed.value.scope !== 'public') return [];
    return lists.map((list) => ({ name: blocklistQueryName(parsed.value.address, list), type: 'A' as const }));
  });
}

/** An SPF term's target domain without a CIDR length; null when it holds a macro (not predictable). */
function spfTarget(value: string | null, fallback: string): string | null {
  const target = value === null || value.startsWith('/') ? fallback : (value.split('/')[0] ?? '');
  return target === '' || target.includes('%') ? null : target;
}

function spfFollowUps(record: string, owner: string): PlannedQuery[] {
  const parsed = parseSpfRecord(record);
  if (!parsed.ok) return [];
  return spfLookupTerms(parsed.terms).flatMap((term): PlannedQuery[] => {
    const target = spfTarget(term.argument === '' ? null : term.argument, owner);
    if (target === null) return [];
    switch (term.name) {
      case 'include':
      case 'redirect':
        return [{ name: target, type: 'TXT' }];
      case 'a':
        return addressQueries(target);
      case 'mx':
        return [{ name: target, type: 'MX' }];
      case 'exists':
        return [{ name: target, type: 'A' }];
      default:
        return []; // ptr: the client address's PTR is asked anyway, and chained from there
    }
  });
}

/** What the checks (or mailauth) will ask next, given one answer. */
export function followUps(domain: string, name: string, type: string, records: unknown): PlannedQuery[] {
  if (!Array.isArray(records)) return [];
  const owner = name.toLowerCase().replace(/\.$/, '');
  switch (type) {
    case 'MX':
      return records.flatMap((r: unknown) => {
        const exchange = typeof r === 'object' && r !== null && 'exchange' in r && typeof r.exchange === 'string' ? r.exchange : '';
        return exchange === '' || exchange === '.' ? [] : addressQueries(exchange);
      });
    case 'PTR': {
      const family = owner.endsWith('.ip6.arpa') ? 'AAAA' : 'A';
      return records.filter((r): r is string => typeof r === 'string' && r !== '').map((r) => ({ name: r, type: family }));
    }
    case 'TXT': {
      const texts = records.filter((r): r is string[] => Array.isArray(r) && r.every((s) => typeof s === 'string')).map((r) => joinTxt(r));
      const spf = texts.filter(isSpfRecord);
      const planned = spf.length === 1 && spf[0] !== undefined ? spfFollowUps(spf[0], owner) : [];
      if (owner === `_dmarc.${domain.toLowerCase()}`) {
        for (const text of texts) {
          const parsed = parseDmarcRecord(text);
          if (!parsed.ok) continue;
          for (const uri of [...parsed.record.rua, ...parsed.record.ruf]) {
            const authName = reportDestination(domain, uri)?.authName;
            if (authName) planned.push({ name: authName, type: 'TXT' });
          }
        }
      }
      return planned;
    }
    default:
      return [];
  }
}

/** Where a follow-up of `name`, prompted by `from`'s answer, will be asked: servers now, or once known. */
export type Route = (name: string, from: DnsServer) => readonly (DnsServer | Promise<readonly DnsServer[]>)[];

export interface Prefetcher {
  /** Sends the queries to the server now, and each answer's follow-ups as soon as it arrives. */
  send(server: DnsServer, queries: readonly PlannedQuery[]): void;
}

/**
 * Sends queries ahead through the run's client and chains follow-ups the moment an answer
 * arrives, so a dependent lookup costs one more answer, not one more phase. Follow-ups are
 * bounded (`limit`), so a looping or huge SPF tree cannot flood anyone.
 */
export function createPrefetcher(client: DnsClient, domain: string, route: Route, limit = 64): Prefetcher {
  const sent = new Set<string>();
  let followed = 0;
  const send = (server: DnsServer, queries: readonly PlannedQuery[], chained: boolean): void => {
    for (const q of queries) {
      const key = `${serverKey(server)} ${q.type} ${q.name.toLowerCase().replace(/\.$/, '')}`;
      if (sent.has(key)) continue;
      if (chained && (followed += 1) > limit) return;
      sent.add(key);
      void client.prefetch(server, q.name, q.type).then((records) => {
        for (const n of followUps(domain, q.name, q.type, records)) {
          for (const target of route(n.name, server)) {
            if (target instanceof Promise) void target.then((servers) => servers.forEach((s) => send(s, [n], true)));
            else send(target, [n], true);
          }
        }
      });
    }
  };
  return { send: (server, queries) => send(server, queries, false) };
}

/** Whether `name` is `zone` or under it (names compared without a trailing dot, any case). */
export function inZone(name: string, zone: string): boolean {
  return isSameOrSubdomain(name.toLowerCase().replace(/\.$/, ''), zone);
}
