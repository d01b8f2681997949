/**
 * What a domain publishes now, read before anything is proposed: the TXT records at the
 * domain, `_dmarc`, `_adsp._domainkey`, the DKIM selectors in use and being created, MX, the
 * external report authorisations, and what the SPF record's include:, redirect=, a and mx
 * terms look up (to count lookups and void lookups, and to know which addresses already pass).
 * Asked of the zone's authoritative servers (found via NS), falling back to the recursive
 * resolvers; a name with no trustworthy answer is listed as "cannot tell", never as absent.
 */
import { publishedDmarc } from '../../../shared/records/published.js';
import { isSameOrSubdomain } from '../../../shared/validation/domain.js';
import { spfAnswerKey, spfQueriesOf, singleSpf, type SpfQuery } from '../../../shared/records/spfCost.js';
import type { PublishedRecords } from '../../../shared/contract/records.js';
import type { ExistingRecord } from '../../../shared/records/types.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { joinTxt } from '../../../shared/verify/tags.js';
import { DnsClient, serverKey, type DnsAnswer, type DnsServer, type RecordType } from './dnsClient.js';
import { inZone } from './prefetch.js';
import { findAuthoritativeServers, probeServer, publicResolvers, systemResolvers } from './servers.js';
import { dictionary } from '../../../shared/dictionary.js';

export interface ReadPublishedOptions {
  domain: string;
  /** DKIM selectors to read: those the server uses and those being created. */
  selectors?: readonly string[];
  /** include: targets that will be added (their lookups count too). */
  includes?: readonly string[];
  /** Domains of report addresses outside the domain (their `D._report._dmarc` records). */
  reportDomains?: readonly string[];
  /** `ADDR[:PORT]` texts: ask these instead of the authoritative servers and public resolvers. */
  resolvers?: readonly string[];
  /** Default recursive servers when none are chosen (tests aim these elsewhere). */
  publicServers?: readonly DnsServer[];
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
}

/** At most this many queries follow the SPF tree (a loop or a huge tree cannot flood anyone). */
const SPF_QUERY_LIMIT = 60;

/**
 * The servers to read from: chosen ones, or the zone's authoritative servers then the usable
 * recursive ones. `authoritative` is the chosen servers when given. Only usable servers are listed.
 */
export async function serversForDomain(
  client: DnsClient,
  domain: string,
  options: Pick<ReadPublishedOptions, 'resolvers' | 'publicServers'>,
): Promise<{ zone: string | null; authoritative: DnsServer[]; inZone: DnsServer[]; outside: DnsServer[] }> {
  const usable = async (list: readonly DnsServer[]) => {
    const health = await Promise.all(list.map((s) => probeServer(client, s, domain)));
    return list.filter((_, i) => health[i]?.usable === true);
  };
  if (options.resolvers && options.resolvers.length > 0) {
    const chosen = options.resolvers.map((text): DnsServer => {
      const parsed = parseResolverAddress(text);
      if (!parsed) throw new Error(`not a resolver address: ${text}`);
      return { ...parsed, role: 'chosen', label: serverKey(parsed) };
    });
    const servers = await usable(chosen);
    return { zone: null, authoritative: servers, inZone: servers, outside: servers };
  }
  const recursiveAll = [...(options.publicServers ?? publicResolvers)];
  for (const s of systemResolvers()) if (!recursiveAll.some((r) => serverKey(r) === serverKey(s))) recursiveAll.push(s);
  const recursive = await usable(recursiveAll);
  const found = await findAuthoritativeServers(client, recursive, domain);
  const authoritative = await usable(found.servers);
  return { zone: found.apex, authoritative, inZone: [...authoritative, ...recursive], outside: recursive };
}

/** The first usable answer of the servers in order: an error from one moves on to the next. */
export async function askInOrder<T extends RecordType>(client: DnsClient, servers: readonly DnsServer[], name: string, type: T): Promise<DnsAnswer<T>> {
  let last: DnsAnswer<T> = { status: 'error', code: 'ENOSERVER' };
  for (const server of servers) {
    last = await client.query(server, name, type);
    if (last.status !== 'error') return last;
  }
  return last;
}

function answerValues(answer: DnsAnswer<RecordType>): string[] {
  if (answer.status !== 'ok') return [];
  return (answer.records as unknown[]).map((r) => {
    if (Array.isArray(r)) return joinTxt(r as string[]);
    if (typeof r === 'object' && r !== null && 'exchange' in r) return String((r as { exchange: string }).exchange).toLowerCase().replace(/\.$/, '');
    return String(r);
  });
}

export async function readPublishedRecords(options: ReadPublishedOptions): Promise<PublishedRecords> {
  const domain = options.domain.toLowerCase().replace(/\.$/, '');
  const client = new DnsClient({ timeoutMs: options.timeoutMs ?? 2000, tries: options.tries ?? 2, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const servers = await serversForDomain(client, domain, options);
    const zone = servers.zone ?? domain;
    const route = (name: string) => (inZone(name, zone) ? servers.inZone : servers.outside);
    const ask = <T extends RecordType>(name: string, type: T) => askInOrder(client, route(name), name, type);

    const txtNames = [
      domain,
      `_dmarc.${domain}`,
      `_adsp._domainkey.${domain}`,
      ...new Set((options.selectors ?? []).map((s) => `${s.toLowerCase()}._domainkey.${domain}`)),
      ...new Set((options.reportDomains ?? []).map((d) => `${domain}._report._dmarc.${d.toLowerCase()}`)),
    ];
    const existing: ExistingRecord[] = [];
    const unknownNames: string[] = [];
    const readTxt = async (names: readonly string[]) => {
      const answers = await Promise.all(names.map((name) => ask(name, 'TXT')));
      names.forEach((name, i) => {
        const answer = answers[i] as DnsAnswer<'TXT'>;
        if (answer.status === 'error') unknownNames.push(`TXT ${name}`);
        for (const value of answerValues(answer)) existing.push({ name, type: 'TXT', value });
      });
    };
    const [, mx] = await Promise.all([readTxt(txtNames), ask(domain, 'MX')]);
    // The published DMARC record's outside report domains: their authorisations are kept too.
    const published = publishedDmarc(domain, existing);
    const outside = [...(published?.rua ?? []), ...(published?.ruf ?? [])]
      .map((a) => a.slice(a.lastIndexOf('@') + 1).toLowerCase())
      .filter((d) => !isSameOrSubdomain(d, domain) && !isSameOrSubdomain(domain, d))
      .map((d) => `${domain}._report._dmarc.${d}`)
      .filter((name) => !txtNames.includes(name));
    await readTxt([...new Set(outside)]);
    if (mx.status === 'error') unknownNames.push(`MX ${domain}`);
    if (mx.status === 'ok') for (const r of mx.records) existing.push({ name: domain, type: 'MX', value: `${r.priority} ${r.exchange.toLowerCase().replace(/\.$/, '')}.` });

    // The SPF tree: the published record(s) and the includes to add, followed through DNS.
    const answers = dictionary<readonly string[] | null | 'unknown'>();
    let budget = SPF_QUERY_LIMIT;
    const fetch = async (query: SpfQuery): Promise<readonly string[] | null | 'unknown'> => {
      const key = spfAnswerKey(query);
      if (key in answers) return answers[key] ?? null;
      if (budget <= 0) return 'unknown';
      budget -= 1;
      answers[key] = 'unknown';
      const answer = await ask(query.name, query.type);
      const value = answer.status === 'error' ? 'unknown' : answer.status === 'ok' ? answerValues(answer) : null;
      answers[key] = value;
      return value;
    };
    const follow = async (record: string, owner: string, depth: number): Promise<void> => {
      await Promise.all(
        spfQueriesOf(record, owner).map(async (query) => {
          const value = await fetch(query);
          if (!Array.isArray(value)) return;
          if (query.type === 'TXT') {
            const inner = singleSpf(value);
            if (inner !== null && depth < 10) await follow(inner, query.name, depth + 1);
          } else if (query.type === 'A') {
            await fetch({ name: query.name, type: 'AAAA' });
          } else if (query.type === 'MX') {
            await Promise.all(value.flatMap((host) => [fetch({ name: host, type: 'A' }), fetch({ name: host, type: 'AAAA' })]));
          }
        }),
      );
    };
    const apexSpf = existing.filter((r) => r.name === domain && r.type === 'TXT').map((r) => r.value);
    const start = [...apexSpf.filter((v) => /^v=spf1(\s|$)/i.test(v)), ...(options.includes ?? []).map((d) => `v=spf1 include:${d}`)];
    await Promise.all(start.map((record) => follow(record, domain, 0)));

    const used = new Map<string, string>();
    for (const s of [...servers.inZone, ...servers.outside]) if (!used.has(serverKey(s))) used.set(serverKey(s), s.label);
    return { domain, zone: servers.zone, servers: [...used.values()], existing, unknownNames, spfAnswers: answers };
  } finally {
    client.close();
  }
}
