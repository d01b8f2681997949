import { Resolver } from 'node:dns/promises';
import type { MxRecord } from 'node:dns';
import { formatResolverAddress, type ResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { englishCatalog } from '../../../shared/i18n/english.js';

/** One DNS server verify asks, and why it is asked. */
export interface DnsServer extends ResolverAddress {
  /** authoritative = a name server of the zone; public = a well-known public resolver; chosen = --resolver; system = this machine's. */
  role: 'authoritative' | 'public' | 'chosen' | 'system';
  /** For people: "ns1.example.jp (192.0.2.53)", "Google Public DNS (8.8.8.8)". */
  label: string;
}

export function serverKey(server: Pick<DnsServer, 'address' | 'port' | 'family'>): string {
  return formatResolverAddress(server);
}

export type RecordTypeMap = {
  A: string[];
  AAAA: string[];
  TXT: string[][];
  MX: MxRecord[];
  NS: string[];
  PTR: string[];
  SOA: string[];
};
export type RecordType = keyof RecordTypeMap;

/**
 * What a server said. `nxdomain` and `nodata` are answers (the name or type does not exist);
 * `error` means it gave no usable answer (timeout, refused, SERVFAIL): "cannot tell".
 */
export type DnsAnswer<T extends RecordType> =
  | { status: 'ok'; records: RecordTypeMap[T] }
  | { status: 'nodata' }
  | { status: 'nxdomain' }
  | { status: 'error'; code: string };

export interface QueryLog {
  server: string;
  name: string;
  type: string;
  ms: number;
  outcome: string;
}

export interface DnsStats {
  /** Queries sent over the network. */
  queries: number;
  /** Asks answered without a new query: joined one in flight, or taken from this run's answers. */
  reused: number;
  slowestMs: number;
  slowest: QueryLog | null;
}

export interface DnsClientOptions {
  /** Per try, in ms (default 2000). */
  timeoutMs?: number;
  /** Tries per query (default 2): one retry. */
  tries?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Node's DNS resolver aimed at chosen servers: one Resolver per server (c-ares would fail over
 * between servers, and verify wants each server's own answer), every query bounded by a
 * timeout with retries and by a hard deadline, cancelled with the signal, and timed.
 *
 * One client serves one run: the same question to the same server is sent once, and every
 * later ask (in flight or done, answer or error) shares that query's outcome. That lets
 * verify send every predictable query at the start and have the checks, mailauth's SPF
 * evaluation included, find their answers already there. A new run (waitForDns's next round)
 * makes a new client, so it never sees an older round's answers.
 */
export class DnsClient {
  private readonly resolvers = new Map<string, Resolver>();
  private readonly asked = new Map<string, Promise<unknown>>();
  private readonly log: QueryLog[] = [];
  private reused = 0;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly tries: number;
  private readonly signal: AbortSignal | undefined;
  private readonly now: () => number;

  constructor(options: DnsClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.tries = options.tries ?? 2;
    this.signal = options.signal;
    this.now = options.now ?? (() => performance.now());
    this.signal?.addEventListener('abort', () => {
      for (const resolver of this.resolvers.values()) resolver.cancel();
    });
  }

  private resolverFor(server: Pick<DnsServer, 'address' | 'port' | 'family'>): Resolver {
    const key = serverKey(server);
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new Resolver({ timeout: this.timeoutMs, tries: this.tries });
      resolver.setServers([server.family === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`]);
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  /**
   * The raw dns.promises.resolve behaviour against one server (throws Node's errors with their
   * codes): what mailauth's resolver option expects. Each caller gets its own copy of the
   * records (mailauth sorts MX lists in place).
   */
  async raw(server: Pick<DnsServer, 'address' | 'port' | 'family'>, name: string, type: string): Promise<unknown> {
    if (this.closed || this.signal?.aborted) throw Object.assign(new Error('cancelled'), { code: 'ECANCELLED' });
    const { pending, joined } = this.ask(server, name, type);
    if (joined) this.reused += 1;
    return structuredClone(await pending);
  }

  /**
   * Sends a query now (unless it was already sent) so that its answer is there when asked.
   * Resolves to the records (shared: read, never change them), or null for no usable records;
   * never rejects.
   */
  prefetch(server: Pick<DnsServer, 'address' | 'port' | 'family'>, name: string, type: string): Promise<unknown> {
    if (this.closed || this.signal?.aborted) return Promise.resolve(null);
    return this.ask(server, name, type).pending.catch(() => null);
  }

  private ask(server: Pick<DnsServer, 'address' | 'port' | 'family'>, name: string, type: string): { pending: Promise<unknown>; joined: boolean } {
    const key = `${serverKey(server)} ${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '') || '.'}`;
    const known = this.asked.get(key);
    if (known) return { pending: known, joined: true };
    const pending = this.send(server, name, type);
    // A query sent ahead may never be asked for; its failure is an outcome to share, not a crash.
    pending.catch(() => undefined);
    this.asked.set(key, pending);
    return { pending, joined: false };
  }

  private async send(server: Pick<DnsServer, 'address' | 'port' | 'family'>, name: string, type: string): Promise<unknown> {
    const resolver = this.resolverFor(server);
    const started = this.now();
    const deadlineMs = this.timeoutMs * this.tries + 1000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${deadlineMs} ms`), { code: 'ETIMEOUT' })), deadlineMs);
    });
    let outcome = 'ok';
    try {
      return await Promise.race([resolver.resolve(name, type), deadline]);
    } catch (error) {
      outcome = errorCode(error);
      throw error;
    } finally {
      clearTimeout(timer);
      this.log.push({ server: serverKey(server), name, type, ms: this.now() - started, outcome });
    }
  }

  async query<T extends RecordType>(server: Pick<DnsServer, 'address' | 'port' | 'family'>, name: string, type: T): Promise<DnsAnswer<T>> {
    try {
      const records = (await this.raw(server, name, type)) as RecordTypeMap[T];
      return { status: 'ok', records };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENODATA') return { status: 'nodata' };
      if (code === 'ENOTFOUND') return { status: 'nxdomain' };
      return { status: 'error', code };
    }
  }

  /**
   * Ends the run: queries sent ahead that no check needed are cancelled rather than left to
   * time out (they would keep a CLI process alive); later asks fail with ECANCELLED.
   */
  close(): void {
    this.closed = true;
    for (const resolver of this.resolvers.values()) resolver.cancel();
  }

  stats(): DnsStats {
    let slowest: QueryLog | null = null;
    for (const entry of this.log) if (!slowest || entry.ms > slowest.ms) slowest = entry;
    return { queries: this.log.length, reused: this.reused, slowestMs: slowest ? Math.round(slowest.ms) : 0, slowest };
  }
}

/**
 * dns.promises.resolve's behaviour (what mailauth's resolver option expects) over servers in
 * order: "no such name/type" is an answer and stops; a failure moves on to the next server.
 */
export async function rawInOrder(client: DnsClient, servers: readonly Pick<DnsServer, 'address' | 'port' | 'family'>[], name: string, type: string): Promise<unknown> {
  let lastError: unknown = Object.assign(new Error('no server'), { code: 'ETIMEOUT' });
  for (const server of servers) {
    try {
      return await client.raw(server, name, type);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return 'EUNKNOWN';
}

/** Node's error codes in words, for "no usable answer (…)". */
export function describeDnsError(code: string): string {
  const word = `words.checks.reason.${code}`;
  return englishCatalog.exists(word) ? englishCatalog.t(word) : code;
}
