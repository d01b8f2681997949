import { expandIpv6, formatIp, type IpAddress } from '../validation/ip.js';
import { note } from './notes.js';
import type { DnsRecord, RecordNote } from './types.js';

/** `D MX 10 HOST.`: where other servers deliver mail for the domain. */
export function buildMxRecord(domain: string, host: string, ttl: number, preference = 10): DnsRecord {
  return { name: domain, type: 'MX', ttl, value: `${preference} ${host}.`, strings: [], purpose: 'mx', action: 'publish', zone: domain };
}

/** The reverse-DNS name of an address: `4.3.2.1.in-addr.arpa` or the 32 nibbles under ip6.arpa. */
export function reverseName(ip: IpAddress): string {
  if (ip.version === 4) return `${ip.address.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = expandIpv6(ip.address) ?? [];
  const nibbles = groups.map((g) => g.toString(16).padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

/** The reverse zone an ISP would hold for the address (the /24 or /48), for display only. */
function reverseZone(ip: IpAddress, name: string): string {
  return ip.version === 4 ? name.split('.').slice(1).join('.') : name.split('.').slice(20).join('.');
}

export interface PtrGuidance {
  records: DnsRecord[];
  notes: RecordNote[];
}

/**
 * What the PTR of each server address must say. Only the address's owner (the ISP or
 * hosting company) can set it; it must name a host whose A/AAAA gives the same address
 * back (forward-confirmed reverse DNS), which receivers and Postfix's
 * `reject_unknown_client_hostname` check.
 */
export function buildPtrGuidance(addresses: readonly IpAddress[], host: string | undefined, ttl: number): PtrGuidance {
  const single = addresses.filter((ip) => ip.prefix === undefined || ip.prefix === (ip.version === 4 ? 32 : 128));
  const notes: RecordNote[] = [];
  if (single.length === 0) return { records: [], notes };
  if (host === undefined) {
    notes.push(note('ptrNeedsHost', { addresses: single.map(formatIp).join(', ') }, 'info', 'ptr'));
    return { records: [], notes };
  }
  const records = single.map((ip): DnsRecord => {
    const name = reverseName(ip);
    return { name, type: 'PTR', ttl, value: `${host}.`, strings: [], purpose: 'ptr', action: 'address-owner', zone: reverseZone(ip, name) };
  });
  for (const ip of single) notes.push(note('ptrAtOwner', { address: ip.address, host }, 'info', 'ptr'));
  return { records, notes };
}
