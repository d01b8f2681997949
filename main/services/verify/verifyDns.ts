import { checkText, summarize, type Check } from '../../../shared/checks.js';
import type { ResolverReport, VerifyProgress, VerifyReport } from '../../../shared/contract/verify.js';
import { joinTxt } from '../../../shared/verify/tags.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { describeDnsError, DnsClient, rawInOrder, serverKey, type DnsAnswer, type DnsServer, type RecordType } from './dnsClient.js';
import { discoverPublicAddress, publicAddressCheck } from './publicAddress.js';
import {
  adspCheck,
  blocklistChecks,
  defaultBlocklists,
  dkimCheck,
  dkimNotAskedCheck,
  dmarcChecks,
  makeCheck,
  mxCheck,
  ptrCheck,
  spfEvaluationCheck,
  spfRecordCheck,
  type DkimExpectation,
  type Lookup,
  type RawResolver,
} from './recordChecks.js';
import { blocklistQueries, createPrefetcher, inZone, likelyHostQueries, reverseQueries, zoneQueries, type PlannedQuery, type Route } from './prefetch.js';
import { findAuthoritativeServers, prefetchAuthoritativeServers, probeServer, publicResolvers, systemResolvers, type Health } from './servers.js';

export interface VerifyDnsOptions {
  domain: string;
  dkim: readonly DkimExpectation[];
  addresses: readonly string[];
  interfaceAddresses?: readonly string[];
  /** `ADDR[:PORT]` texts; when given they replace the authoritative + public servers. */
  resolvers?: readonly string[];
  discoverAddress?: boolean;
  checkBlocklists?: boolean;
  blocklists?: readonly string[];
  /** Default servers when no resolvers are chosen (tests aim these elsewhere). */
  publicServers?: readonly DnsServer[];
  timeoutMs?: number;
  tries?: number;
  signal?: AbortSignal;
  onProgress?: (event: VerifyProgress) => void;
}

const queryKey = (q: PlannedQuery) => `${q.type} ${q.name}`;

/** An answer in a form two servers can be compared by (order does not matter in DNS). */
function normalizeAnswer(answer: DnsAnswer<RecordType>): string {
  if (answer.status !== 'ok') return answer.status;
  const records = answer.records as unknown[];
  return records
    .map((r) => (Array.isArray(r) ? joinTxt(r as string[]) : typeof r === 'object' && r !== null ? JSON.stringify(r) : String(r)))
    .sort()
    .join(' | ');
}

function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Runs every DNS check for a domain and reports each with its status, what was expected,
 * what was found and what to do. All queries run concurrently with timeouts and retries; a
 * server that gives no usable answer is reported as such ("cannot tell"), never waited for.
 */
/** Why a server is not usable, as a DNS error code (`words.checks.reason.<code>`). */
function reasonCode(health: Health | undefined): string {
  return health && !health.usable ? health.code : 'ELYING';
}

export async function verifyDns(options: VerifyDnsOptions): Promise<VerifyReport> {
  const started = performance.now();
  const { domain } = options;
  const client = new DnsClient({ timeoutMs: options.timeoutMs ?? 2000, tries: options.tries ?? 2, ...(options.signal ? { signal: options.signal } : {}) });
  const progress = options.onProgress ?? (() => undefined);
  const checks: Check[] = [];

  const queries = zoneQueries(domain, options.dkim.map((d) => d.selector));
  const addresses = [...options.addresses];
  const lists = options.checkBlocklists === false ? null : (options.blocklists ?? defaultBlocklists);
  const outOfZone = [...reverseQueries(addresses), ...blocklistQueries(addresses, lists ?? [])];

  // 1. Which servers to ask. Every query that can be predicted is sent now, to each server it
  // will be asked of, with the probes; answers are judged only once a server's probe says it
  // is a genuine resolver (a fake NXDOMAIN for everything still means "cannot tell").
  const addressDiscovery = options.discoverAddress === false ? null : discoverPublicAddress(client);
  let servers: DnsServer[];
  let recursive: DnsServer[];
  let zone: string | null = null;
  const health = new Map<string, Health>();
  const probes = new Map<string, Promise<Health>>();
  const probe = (server: DnsServer): Promise<Health> => {
    const key = serverKey(server);
    const known = probes.get(key);
    if (known) return known;
    const started = probeServer(client, server, domain);
    probes.set(key, started);
    return started;
  };
  const probeAll = async (list: readonly DnsServer[]) => {
    const results = await Promise.all(list.map(async (s) => [serverKey(s), await probe(s)] as const));
    for (const [key, value] of results) health.set(key, value);
  };
  progress({ kind: 'phase', phase: 'resolvers', done: 0, total: 1 });
  if (options.resolvers && options.resolvers.length > 0) {
    servers = options.resolvers.map((text) => {
      const parsed = parseResolverAddress(text);
      if (!parsed) throw new Error(`not a resolver address: ${text}`);
      return { ...parsed, role: 'chosen' as const, label: serverKey(parsed) };
    });
    recursive = servers;
    // Chosen servers are asked everything, so a follow-up goes where its first answer came from.
    const prefetcher = createPrefetcher(client, domain, (_name, from) => [from]);
    for (const server of servers) {
      void probe(server);
      prefetcher.send(server, [...queries, ...likelyHostQueries(domain), ...outOfZone]);
    }
    await probeAll(servers);
  } else {
    const publicServers = [...(options.publicServers ?? publicResolvers)];
    const recursiveServers = [...publicServers, ...systemResolvers().filter((s) => !publicServers.some((p) => serverKey(p) === serverKey(s)))];
    recursive = recursiveServers;
    // The zone's own servers are known only after NS and their addresses: names in the zone are
    // asked of them (once known), others of the recursive server that gave the first answer.
    const route: Route = (name, from) => {
      if (from.role === 'authoritative') return zone !== null && inZone(name, zone) ? [from] : recursiveServers;
      if (inZone(name, domain)) return [authoritative];
      return [from, authoritative.then((found) => (zone !== null && inZone(name, zone) ? found : []))];
    };
    const prefetcher = createPrefetcher(client, domain, route);
    for (const server of recursiveServers) {
      void probe(server);
      prefetchAuthoritativeServers(client, server, domain);
      prefetcher.send(server, [...(publicServers.includes(server) ? queries : []), ...outOfZone]);
    }
    const discovery = (async () => {
      await probeAll(recursiveServers);
      const usableRecursive = recursiveServers.filter((s) => health.get(serverKey(s))?.usable);
      const found = await findAuthoritativeServers(client, usableRecursive, domain);
      zone = found.apex;
      for (const server of found.servers) {
        void probe(server);
        prefetcher.send(server, [...queries, ...likelyHostQueries(domain)]);
      }
      return { found, usableRecursive };
    })();
    const authoritative = discovery.then(
      ({ found }) => found.servers,
      () => [],
    );
    const { found, usableRecursive } = await discovery;
    await probeAll(found.servers);
    servers = [...found.servers, ...publicServers];
    checks.push(
      makeCheck({
        id: 'resolver.authoritative',
        area: 'resolver',
        status: found.servers.length > 0 ? 'pass' : 'unknown',
        title: checkText('authServersTitle', { domain }),
        found:
          found.servers.length > 0
            ? checkText('authServersFound', { servers: found.servers.map((s) => s.label).join(', ') })
            : checkText('authServersNotFound', { reason: usableRecursive.length === 0 ? 'ELYING' : (found.problem ?? 'ENOTFOUND') }),
        fix: found.servers.length > 0 ? null : checkText('authServersFix', { field: 'resolver' }),
      }),
    );
  }
  const usable = (s: DnsServer) => health.get(serverKey(s))?.usable === true;
  const primary = servers.find((s) => s.role !== 'public' && usable(s)) ?? servers.find(usable) ?? null;
  const resolverReports: ResolverReport[] = servers.map((s) => {
    const h = health.get(serverKey(s));
    return {
      address: serverKey(s),
      role: s.role,
      label: s.label,
      usable: h?.usable === true,
      problem: h && !h.usable ? describeDnsError(h.code) : null,
      problemCode: h && !h.usable ? h.code : null,
      primary: s === primary,
    };
  });
  for (const report of resolverReports) {
    checks.push(
      makeCheck({
        id: `resolver:${report.address}`,
        area: 'resolver',
        status: report.usable ? 'pass' : 'unknown',
        title: checkText('resolverTitle', { resolver: report.label }),
        expected: checkText('resolverExpected', { domain }),
        found: report.usable ? checkText('resolverAnswers', { role: report.role }) : checkText('resolverNoAnswer', { reason: reasonCode(health.get(report.address)) }),
        fix: report.usable ? null : checkText('resolverFixNoAnswer'),
      }),
    );
  }
  progress({ kind: 'phase', phase: 'resolvers', done: 1, total: 1 });
  if (!primary) {
    checks.push(
      makeCheck({
        id: 'resolver.none',
        area: 'resolver',
        status: 'fail',
        title: checkText('noResolverTitle', { domain }),
        found: checkText('noResolverFound', { count: servers.length }),
        fix: checkText('noResolverFix', { field: 'resolver' }),
      }),
    );
    return finish();
  }

  // 2. The zone's records at every usable server (sent at the start; here they are collected).
  const usableServers = servers.filter(usable);
  const snapshots = new Map<string, Map<string, DnsAnswer<RecordType>>>();
  let done = 0;
  const total = usableServers.length * queries.length;
  await Promise.all(
    usableServers.map(async (server) => {
      const snapshot = new Map<string, DnsAnswer<RecordType>>();
      snapshots.set(serverKey(server), snapshot);
      await Promise.all(
        queries.map(async (q) => {
          snapshot.set(queryKey(q), await client.query(server, q.name, q.type));
          progress({ kind: 'phase', phase: 'records', done: ++done, total });
        }),
      );
    }),
  );
  const primarySnapshot = snapshots.get(serverKey(primary)) ?? new Map();
  const fromPrimary = <T extends RecordType>(name: string, type: T) => primarySnapshot.get(`${type} ${name}`) as DnsAnswer<T>;

  // Names in the zone go to the primary first; others to recursive servers (an authoritative
  // server refuses names it does not hold).
  const orderFor = (name: string): DnsServer[] => {
    const others = recursive.filter(usable);
    const ordered = inZone(name, zone ?? domain) || options.resolvers?.length ? [primary, ...usableServers, ...others] : [...others, primary];
    return [...new Map(ordered.map((s) => [serverKey(s), s])).values()];
  };
  const lookup: Lookup = async (name, type) => {
    let last: DnsAnswer<typeof type> = { status: 'error', code: 'ENOSERVER' };
    for (const server of orderFor(name)) {
      last = await client.query(server, name, type);
      if (last.status !== 'error') return last;
    }
    return last;
  };
  const rawResolver: RawResolver = (name, type) => rawInOrder(client, orderFor(name), name, type);
  const recursiveLookup: Lookup = async (name, type) => {
    let last: DnsAnswer<typeof type> = { status: 'error', code: 'ENOSERVER' };
    for (const server of recursive.filter(usable)) {
      last = await client.query(server, name, type);
      if (last.status !== 'error') return last;
    }
    return last;
  };

  // 3. The checks, from the primary's answers, all at once: each waits only for its own answers.
  progress({ kind: 'phase', phase: 'checks', done: 0, total: 1 });
  const [spf, dmarc, mx, ptrs, blocklists, discovered] = await Promise.all([
    spfRecordCheck(domain, fromPrimary(domain, 'TXT'), lookup).then(async ({ check, record }) =>
      record === null ? [check] : [check, ...(await Promise.all(addresses.map((a) => spfEvaluationCheck(domain, a, rawResolver))))],
    ),
    dmarcChecks(domain, fromPrimary(`_dmarc.${domain}`, 'TXT'), lookup),
    mxCheck(domain, fromPrimary(domain, 'MX'), lookup),
    Promise.all(addresses.map((a) => ptrCheck(a, lookup))),
    lists === null ? [] : Promise.all(addresses.map((a) => blocklistChecks(a, lists, recursiveLookup))).then((all) => all.flat()),
    addressDiscovery,
  ]);
  for (const expectation of options.dkim) checks.push(dkimCheck(domain, expectation, fromPrimary(`${expectation.selector}._domainkey.${domain}`, 'TXT')));
  if (options.dkim.length === 0) checks.push(dkimNotAskedCheck(domain));
  checks.push(...spf, ...dmarc, mx, ...ptrs, adspCheck(domain, fromPrimary(`_adsp._domainkey.${domain}`, 'TXT')), ...blocklists);
  if (discovered) checks.push(publicAddressCheck(discovered, addresses, options.interfaceAddresses ?? []));

  // 4. What the other servers see, against the primary.
  for (const server of usableServers) {
    if (server === primary) continue;
    const snapshot = snapshots.get(serverKey(server));
    if (!snapshot) continue;
    const differing = queries.filter((q) => {
      const theirs = snapshot.get(queryKey(q));
      return theirs === undefined || normalizeAnswer(theirs) !== normalizeAnswer(primarySnapshot.get(queryKey(q)) ?? { status: 'nodata' });
    });
    if (differing.length === 0) {
      checks.push(
        makeCheck({
          id: `propagation:${serverKey(server)}`,
          area: 'propagation',
          status: 'pass',
          title: checkText('propagationServerTitle', { resolver: server.label }),
          expected: checkText('propagationExpected', { primary: primary.label }),
          found: checkText('propagationServerSame', { primary: primary.label, count: queries.length }),
        }),
      );
      continue;
    }
    for (const q of differing) {
      const theirs = snapshot.get(queryKey(q)) ?? { status: 'error', code: 'EUNKNOWN' };
      const unusable = theirs.status === 'error';
      checks.push(
        makeCheck({
          id: `propagation:${serverKey(server)}:${queryKey(q)}`,
          area: 'propagation',
          status: unusable ? 'unknown' : 'warn',
          title: checkText('propagationTitle', { type: q.type, name: q.name, resolver: server.label }),
          expected: checkText('propagationExpected', { primary: primary.label }),
          found: unusable
            ? checkText('propagationNoAnswer', { resolver: server.label })
            : checkText('propagationDifferent', { found: shorten(normalizeAnswer(theirs)) }),
          fix: unusable ? null : checkText('propagationFix'),
        }),
      );
    }
  }
  progress({ kind: 'phase', phase: 'checks', done: 1, total: 1 });
  return finish();

  function finish(): VerifyReport {
    const summary = summarize(checks);
    const stats = client.stats();
    client.close();
    const settled = summary.fail === 0 && !checks.some((c) => c.area === 'propagation' && c.status === 'warn');
    return {
      domain,
      zone,
      resolvers: resolverReports,
      checks,
      summary,
      ok: summary.fail === 0,
      settled,
      timing: {
        wallMs: Math.round(performance.now() - started),
        queries: stats.queries,
        slowestQueryMs: stats.slowestMs,
        slowestQuery: stats.slowest ? `${stats.slowest.type} ${stats.slowest.name} @${stats.slowest.server}` : null,
      },
    };
  }
}

export interface WaitOptions {
  waitSeconds: number;
  intervalSeconds: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Checks again every interval until DNS has settled (nothing fails, every server agrees) or the
 * time is up, reporting after each round what still fails and which server is behind.
 */
export async function waitForDns(options: VerifyDnsOptions, wait: WaitOptions): Promise<VerifyReport> {
  const deadline = performance.now() + wait.waitSeconds * 1000;
  const sleep = wait.sleep ?? defaultSleep;
  for (let round = 1; ; round += 1) {
    const report = await verifyDns(options);
    options.onProgress?.({
      kind: 'round',
      round,
      failing: report.checks.filter((c) => c.status === 'fail').map((c) => c.title.text),
      behind: report.checks
        .filter((c) => c.area === 'propagation' && c.status === 'warn')
        .map((c) => ({ resolver: String(c.title.params.resolver ?? ''), record: `${String(c.title.params.type ?? '')} ${String(c.title.params.name ?? '')}` })),
    });
    if (report.settled || options.signal?.aborted || performance.now() + wait.intervalSeconds * 1000 > deadline) return report;
    await sleep(wait.intervalSeconds * 1000, options.signal);
  }
}

/** For the bench: one full verify run's wall time beside its slowest single query. */
export async function timeVerify(options: VerifyDnsOptions): Promise<{ wallMs: number; slowestQueryMs: number; slowestQuery: string | null; queries: number; report: VerifyReport }> {
  const report = await verifyDns(options);
  return { ...report.timing, report };
}
