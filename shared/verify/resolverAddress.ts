import { z } from 'zod';

export interface ResolverAddress {
  address: string;
  port: number;
  family: 4 | 6;
}

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();

function portOf(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/**
 * `--resolver ADDR[:PORT]`: `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`, `[2001:db8::1]:5353`.
 * Addresses only (a name would need a resolver to find the resolver). Null when not valid.
 */
export function parseResolverAddress(text: string): ResolverAddress | null {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed?.[1]) {
    const port = bracketed[2] === undefined ? 53 : portOf(bracketed[2]);
    return ipv6.safeParse(bracketed[1]).success && port !== null ? { address: bracketed[1], port, family: 6 } : null;
  }
  if (ipv6.safeParse(value).success) return { address: value, port: 53, family: 6 };
  const [host, portText, extra] = value.split(':');
  if (host === undefined || extra !== undefined || !ipv4.safeParse(host).success) return null;
  const port = portText === undefined ? 53 : portOf(portText);
  return port === null ? null : { address: host, port, family: 4 };
}

/** The form Node's Resolver.setServers takes, and the CLI prints. */
export function formatResolverAddress(server: Pick<ResolverAddress, 'address' | 'port' | 'family'>): string {
  if (server.family === 6) return server.port === 53 ? server.address : `[${server.address}]:${server.port}`;
  return server.port === 53 ? server.address : `${server.address}:${server.port}`;
}
