import { checkText, type Check } from '../../../shared/checks.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { joinTxt } from '../../../shared/verify/tags.js';
import type { DnsClient, DnsServer } from './dnsClient.js';
import { makeCheck } from './recordChecks.js';

/**
 * Services that tell a DNS client its own public address, by DNS alone (no web service):
 * OpenDNS answers myip.opendns.com with the asker's address; Google's name server answers a
 * TXT query for o-o.myaddr.l.google.com likewise. Asked directly, not through a resolver.
 */
export const addressEchoServers = {
  opendns: { address: '208.67.222.222', port: 53, family: 4, role: 'public', label: 'resolver1.opendns.com (208.67.222.222)' },
  google: { address: '216.239.32.10', port: 53, family: 4, role: 'public', label: 'ns1.google.com (216.239.32.10)' },
} as const satisfies Record<string, DnsServer>;

/** `reason`: a DNS error code (`words.checks.reason.<code>`). */
export type AddressDiscovery = { address: string; via: string } | { address: null; reason: string };

/** The desktop's public address (the server's too, when both sit behind the same router). */
export async function discoverPublicAddress(client: DnsClient): Promise<AddressDiscovery> {
  const [opendns, google] = await Promise.all([
    client.query(addressEchoServers.opendns, 'myip.opendns.com', 'A'),
    client.query(addressEchoServers.google, 'o-o.myaddr.l.google.com', 'TXT'),
  ]);
  if (opendns.status === 'ok') {
    const address = opendns.records.find((a) => parseIpAddress(a).ok);
    if (address) return { address, via: addressEchoServers.opendns.label };
  }
  if (google.status === 'ok') {
    const address = google.records.map((r) => joinTxt(r)).find((a) => parseIpAddress(a).ok);
    if (address) return { address, via: addressEchoServers.google.label };
  }
  // These names always exist: "no such name" means the answer did not come from them.
  const failed = [opendns, google].find((a) => a.status === 'error');
  return { address: null, reason: failed?.status === 'error' ? failed.code : 'ELYING' };
}

/** The public-address check: what DNS says, beside the addresses given and the server's own (NAT noted). */
export function publicAddressCheck(discovery: AddressDiscovery, givenAddresses: readonly string[], interfaceAddresses: readonly string[]): Check {
  const base = { id: 'address', area: 'address' as const, title: checkText('addressTitle'), expected: checkText('addressExpected') };
  if (discovery.address === null) {
    return makeCheck({
      ...base,
      status: 'unknown',
      found: checkText('addressFoundNone', { reason: discovery.reason }),
      fix: givenAddresses.length === 0 ? checkText('addressFixNotGiven', { field: 'ip' }) : null,
    });
  }
  const { address, via } = discovery;
  const same = (list: readonly string[]) => list.some((a) => canonical(a) === canonical(address));
  if (interfaceAddresses.length > 0 && !same(interfaceAddresses)) {
    return makeCheck({ ...base, status: 'warn', found: checkText('addressFoundNat', { address, via, interfaces: interfaceAddresses.join(', ') }), fix: checkText('addressFixNat') });
  }
  if (interfaceAddresses.length > 0) return makeCheck({ ...base, status: 'pass', found: checkText('addressFoundMatch', { address, via }) });
  return makeCheck({ ...base, status: 'pass', found: checkText('addressFound', { address, via }) });
}

function canonical(address: string): string {
  const parsed = parseIpAddress(address);
  return parsed.ok ? parsed.value.address : address;
}
