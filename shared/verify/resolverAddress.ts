import { parseIpAddress } from '../validation/ip.js';
import { findControlCharacter } from '../validation/text.js';

export interface ResolverAddress {
  address: string;
  port: number;
  family: 4 | 6;
}

function portOf(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** The address part, read by the one IP reader (shared/validation/ip.ts): one address, no prefix. */
function addressOf(text: string, family: 4 | 6): string | null {
  const ip = parseIpAddress(text);
  return ip.ok && ip.value.version === family ? ip.value.address : null;
}

/**
 * `--resolver ADDR[:PORT]`: `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`, `[2001:db8::1]:5353`.
 * Addresses only (a name would need a resolver to find the resolver). Null when not valid.
 * Like every validator in shared/validation, a control character anywhere (a newline, a tab,
 * ESC…) refuses the value before anything else; only plain spaces around it are trimmed.
 */
export function parseResolverAddress(text: string): ResolverAddress | null {
  if (findControlCharacter(text) !== null) return null;
  const value = text.trim();
  if (/\s/u.test(value)) return null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed?.[1]) {
    const port = bracketed[2] === undefined ? 53 : portOf(bracketed[2]);
    const address = addressOf(bracketed[1], 6);
    return address !== null && port !== null ? { address, port, family: 6 } : null;
  }
  if (value.includes(':') && value.indexOf(':') !== value.lastIndexOf(':')) {
    const address = addressOf(value, 6);
    return address === null ? null : { address, port: 53, family: 6 };
  }
  const [host = '', portText] = value.split(':');
  const address = addressOf(host, 4);
  const port = portText === undefined ? 53 : portOf(portText);
  return address === null || port === null ? null : { address, port, family: 4 };
}

/** The form Node's Resolver.setServers takes, and the CLI prints. */
export function formatResolverAddress(server: Pick<ResolverAddress, 'address' | 'port' | 'family'>): string {
  if (server.family === 6) return server.port === 53 ? server.address : `[${server.address}]:${server.port}`;
  return server.port === 53 ? server.address : `${server.address}:${server.port}`;
}
