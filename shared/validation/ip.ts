import { invalid, valid, type Validated } from './problem.js';
import { refuseControlCharacters } from './text.js';

/**
 * Where an address can be seen from: only `public` addresses are what other mail servers
 * see. The others still parse (the test host sends from 127.0.0.1) but deserve a warning.
 */
export type IpScope = 'public' | 'private' | 'shared' | 'loopback' | 'link-local' | 'documentation' | 'unspecified' | 'multicast' | 'reserved';

export interface IpAddress {
  version: 4 | 6;
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  address: string;
  /** Set for networks (`203.0.113.0/24`). */
  prefix?: number;
  scope: IpScope;
}

export interface IpOptions {
  /** Accept `ADDR/PREFIX` (SPF ip4:/ip6: mechanisms do); otherwise single addresses only. */
  allowPrefix?: boolean;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpAddress(input: string, options: IpOptions = {}): Validated<IpAddress> {
  const control = refuseControlCharacters<IpAddress>(input);
  if (control) return control;
  const value = input.trim();
  if (value === '') return invalid('ipEmpty');
  const [addressPart = '', prefixPart, extra] = value.split('/');
  if (extra !== undefined) return invalid('ipInvalid', { value });
  if (prefixPart !== undefined && !options.allowPrefix) return invalid('ipPrefixNotAllowed', { value });
  if (addressPart.includes('%')) return invalid('ipZone', { value });

  let parsed: { version: 4 | 6; address: string; groups: number[] } | null;
  if (IPV4.test(addressPart)) {
    const octets = addressPart.split('.');
    if (octets.some((o) => o.length > 1 && o.startsWith('0'))) return invalid('ipLeadingZero', { value });
    const numbers = octets.map(Number);
    if (numbers.some((n) => n > 255)) return invalid('ipInvalid', { value });
    parsed = { version: 4, address: numbers.join('.'), groups: numbers };
  } else if (addressPart.includes(':')) {
    parsed = parseIpv6(addressPart);
    if (parsed === null) return invalid('ipInvalid', { value });
  } else {
    return invalid('ipInvalid', { value });
  }

  const max = parsed.version === 4 ? 32 : 128;
  let prefix: number | undefined;
  if (prefixPart !== undefined) {
    if (!/^\d{1,3}$/.test(prefixPart) || Number(prefixPart) > max) return invalid('ipPrefix', { value, max });
    prefix = Number(prefixPart);
  }
  const scope = parsed.version === 4 ? ipv4Scope(parsed.groups) : ipv6Scope(parsed.groups);
  return valid({ version: parsed.version, address: parsed.address, ...(prefix === undefined ? {} : { prefix }), scope });
}

/** `203.0.113.25` or `2001:db8::/32`: the address with its prefix when it has one. */
export function formatIp(ip: IpAddress): string {
  return ip.prefix === undefined ? ip.address : `${ip.address}/${ip.prefix}`;
}

function parseIpv6(text: string): { version: 4 | 6; address: string; groups: number[] } | null {
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname;
  } catch {
    return null;
  }
  const canonical = host.slice(1, -1);
  const groups = expandIpv6(canonical);
  if (groups === null) return null;
  // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address as far as SPF and PTR go.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const v4 = [(groups[6] ?? 0) >> 8, (groups[6] ?? 0) & 255, (groups[7] ?? 0) >> 8, (groups[7] ?? 0) & 255];
    return { version: 4, address: v4.join('.'), groups: v4 };
  }
  return { version: 6, address: canonical, groups };
}

/** The eight 16-bit groups of a compressed IPv6 address as the URL parser prints it. */
export function expandIpv6(canonical: string): number[] | null {
  const [head = '', tail, extra] = canonical.split('::');
  if (extra !== undefined) return null;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function ipv4Scope([a = 0, b = 0, c = 0]: number[]): IpScope {
  if (a === 0) return 'unspecified';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'shared';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'documentation';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

function ipv6Scope(groups: number[]): IpScope {
  const [g0 = 0, g1 = 0] = groups;
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}
