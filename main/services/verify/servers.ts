import { getServers } from 'node:dns';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import type { DnsClient, DnsServer } from './dnsClient.js';

/** The two public resolvers asked by default: "visible to the world yet". */
export const publicResolvers: readonly DnsServer[] = [
  { address: '8.8.8.8', port: 53, family: 4, role: 'public', label: 'Google Public DNS (8.8.8.8)' },
  { address: '1.1.1.1', port: 53, family: 4, role: 'public', label: 'Cloudflare (1.1.1.1)' },
];

/** This machine's own resolvers (what the operating system is configured with). */
export function systemResolvers(): DnsServer[] {
  const servers: DnsServer[] = [];
  for (const text of getServers()) {
    const parsed = parseResolverAddress(text);
    if (parsed) servers.push({ ...parsed, role: 'system', label: `this computer's resolver (${text})` });
  }
  return servers;
}

export type Health = { usable: true } | { usable: false; code: string };

/** The names a probe asks for SOA: the domain and each parent (`mail.example.jp`, `example.jp`, `jp`). */
export function ancestors(domain: string): string[] {
  const labels = domain.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/**
 * Whether a server gives usable answers: it must know the DNS root (any recursive resolver
 * does) or hold the zone (an authoritative server answers its SOA). A server that says even
 * the root does not exist is not a resolver (a filtered network answering NXDOMAIN to
 * everything): its "no record" would be a lie, so it is reported as "cannot tell" (ELYING).
 */
export async function probeServer(client: DnsClient, server: DnsServer, domain: string): Promise<Health> {
  const answers = await Promise.all([client.query(server, '.', 'NS'), ...ancestors(domain).map((name) => client.query(server, name, 'SOA'))]);
  if (answers.some((a) => a.status === 'ok' || a.status === 'nodata')) return { usable: true };
  const error = answers.find((a) => a.status === 'error');
  return { usable: false, code: error?.status === 'error' ? error.code : 'ELYING' };
}

export interface ZoneServers {
  /** The zone apex holding the domain (`example.jp` for `mail.example.jp`). */
  apex: string | null;
  servers: DnsServer[];
  /** Why none were found (an error code), when none were. */
  problem: string | null;
}

/** The zone's authoritative name servers: NS of the closest enclosing zone, then their A/AAAA. */
export async function findAuthoritativeServers(client: DnsClient, recursive: readonly DnsServer[], domain: string): Promise<ZoneServers> {
  let lastProblem = 'ENOTFOUND';
  for (const resolver of recursive) {
    for (const name of ancestors(domain).slice(0, -1)) {
      const ns = await client.query(resolver, name, 'NS');
      if (ns.status === 'error') {
        lastProblem = ns.code;
        break;
      }
      if (ns.status !== 'ok' || ns.records.length === 0) continue;
      const servers: DnsServer[] = [];
      const addresses = await Promise.all(
        ns.records.flatMap((host) => (['A', 'AAAA'] as const).map(async (type) => ({ host, type, answer: await client.query(resolver, host, type) }))),
      );
      for (const { host, type, answer } of addresses) {
        if (answer.status !== 'ok') continue;
        for (const address of answer.records) {
          servers.push({ address, port: 53, family: type === 'A' ? 4 : 6, role: 'authoritative', label: `${host} (${address})` });
        }
      }
      return { apex: name, servers, problem: servers.length === 0 ? 'ENOADDRESS' : null };
    }
  }
  return { apex: null, servers: [], problem: lastProblem };
}

/**
 * Sends ahead what findAuthoritativeServers will ask this resolver (NS of the domain and its
 * parents), each NS answer's host addresses as soon as it arrives.
 */
export function prefetchAuthoritativeServers(client: DnsClient, resolver: DnsServer, domain: string): void {
  for (const name of ancestors(domain).slice(0, -1)) {
    void client.prefetch(resolver, name, 'NS').then((hosts) => {
      if (!Array.isArray(hosts)) return;
      for (const host of hosts) if (typeof host === 'string') for (const type of ['A', 'AAAA']) void client.prefetch(resolver, host, type);
    });
  }
}

/**
 * A dns.promises.resolve-shaped resolver (for mailauth) that asks the servers in order and
 * moves on when one gives no usable answer; "no such name" / "no data" are answers.
 */
export function chainedResolver(client: DnsClient, servers: readonly DnsServer[]): (name: string, type: string) => Promise<unknown> {
  return async (name, type) => {
    let lastError: unknown = Object.assign(new Error('no DNS server to ask'), { code: 'ETIMEOUT' });
    for (const server of servers) {
      try {
        return await client.raw(server, name, type);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA') throw error;
        lastError = error;
      }
    }
    throw lastError;
  };
}

/** `--resolver` texts as servers, or (none given) the public resolvers then this machine's. */
export function resolversFromArgs(texts: readonly string[]): DnsServer[] {
  if (texts.length === 0) return [...publicResolvers, ...systemResolvers()];
  return texts.flatMap((text) => {
    const parsed = parseResolverAddress(text);
    return parsed ? [{ ...parsed, role: 'chosen' as const, label: text }] : [];
  });
}
