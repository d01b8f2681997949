import { describe, expect, it } from 'vitest';
import { buildSpfRecord, countSpfLookups, networkContains, parseSpfTerms, type SpfInput } from '../../../shared/records/spf.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';

function ip(text: string): IpAddress {
  const result = parseIpAddress(text, { allowPrefix: true });
  if (!result.ok) throw new Error(result.problem.text);
  return result.value;
}

function spf(overrides: Partial<SpfInput>) {
  return buildSpfRecord({ domain: 'example.jp', addresses: [], mx: true, a: false, includes: [], all: 'soft', existing: [], ttl: 3600, ...overrides });
}

const keys = (result: ReturnType<typeof spf>) => result.notes.map((n) => n.key);

describe('buildSpfRecord', () => {
  it('lists addresses first, then a and includes, ending in ~all; no mx when the addresses cover the server', () => {
    const result = spf({ addresses: [ip('8.8.4.4'), ip('2400:4050::25')], a: true, mx: true, includes: ['_spf.relay.example'] });
    expect(result.record.value).toBe('v=spf1 ip4:8.8.4.4 ip6:2400:4050::25 a include:_spf.relay.example ~all');
    expect(result.record).toMatchObject({ name: 'example.jp', type: 'TXT', purpose: 'spf', action: 'publish' });
    expect(result.lookups).toBe(2);
    expect(result.existingCount).toBe(0);
    expect(keys(result)).toContain('spfAllSoft');
    expect(result.notes.find((n) => n.key === 'spfLookups')?.text).toBe('This SPF record makes 2 DNS lookups of the 10 allowed (RFC 7208 §4.6.4).');
  });

  it('ends in -all when asked, and says what that costs', () => {
    const result = spf({ all: 'hard' });
    expect(result.record.value).toBe('v=spf1 mx -all');
    expect(keys(result)).toContain('spfAllHard');
  });

  it('merges an existing record instead of adding a second one', () => {
    const result = spf({ addresses: [ip('8.8.4.4')], existing: ['google-site-verification=x', 'v=spf1 include:_spf.google.com mx ~all'] });
    expect(result.record.value).toBe('v=spf1 include:_spf.google.com mx ip4:8.8.4.4 ~all');
    expect(result.existingCount).toBe(1);
    expect(keys(result)).toContain('spfMerged');
  });

  it('says a published record that already has everything stays as it is (not "replace it")', () => {
    // The first release's world: an administrator's own SPF with includes that already names the server.
    const result = spf({ existing: ['v=spf1 a mx ip4:203.0.113.5 include:_spf.example.org ~all'] });
    expect(result.record.value).toBe('v=spf1 a mx ip4:203.0.113.5 include:_spf.example.org ~all');
    expect(keys(result)).toContain('spfAlreadyComplete');
    expect(keys(result)).not.toContain('spfMerged');
    // A different ending is a change: the merge note again.
    expect(keys(spf({ all: 'hard', existing: ['v=spf1 mx ~all'] }))).toContain('spfMerged');
  });

  it('merges two existing records (a permerror) into one and warns', () => {
    const result = spf({ existing: ['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 ip4:192.0.2.1 include:x.example ~all'] });
    expect(result.record.value).toBe('v=spf1 ip4:192.0.2.1 include:x.example mx ~all');
    expect(result.existingCount).toBe(2);
    expect(result.notes.find((n) => n.key === 'spfMultipleExisting')?.severity).toBe('warning');
  });

  it('does not repeat an address an existing network already covers, nor an equal term written differently', () => {
    const result = spf({ addresses: [ip('203.0.113.5'), ip('2001:db8::25')], existing: ['v=spf1 ip4:203.0.113.0/24 +ip6:2001:0db8:0::25/128 MX ~all'] });
    expect(result.record.value).toBe('v=spf1 ip4:203.0.113.0/24 +ip6:2001:0db8:0::25/128 MX ~all');
  });

  it('warns about addresses no other server sees', () => {
    const result = spf({ addresses: [ip('192.168.1.2')] });
    expect(result.notes.find((n) => n.key === 'spfAddressNotPublic')?.params).toEqual({ address: '192.168.1.2', scope: 'private' });
  });

  it('warns when an existing record let the whole Internet pass', () => {
    const result = spf({ existing: ['v=spf1 mx +all'] });
    expect(result.record.value).toBe('v=spf1 mx ~all');
    expect(result.notes.find((n) => n.key === 'spfAllWasOpen')?.params).toEqual({ from: 'all', to: '~all' });
  });

  it('keeps a redirect= (and adds no all, which would disable it)', () => {
    const result = spf({ addresses: [ip('8.8.4.4')], existing: ['v=spf1 redirect=_spf.example.net'] });
    expect(result.record.value).toBe('v=spf1 ip4:8.8.4.4 redirect=_spf.example.net');
    expect(keys(result)).toContain('spfRedirectKept');
    expect(result.lookups).toBe(1);
  });

  it('keeps exp= and unknown modifiers where they were, and flags ptr', () => {
    const result = spf({ mx: false, existing: ['v=spf1 ptr exp=explain.example.jp ~all'] });
    expect(result.record.value).toBe('v=spf1 ptr exp=explain.example.jp ~all');
    expect(keys(result)).toContain('spfPtrDiscouraged');
  });

  it('warns when the lookups pass 10', () => {
    const includes = Array.from({ length: 11 }, (_, i) => `i${i}.example.net`);
    const result = spf({ includes });
    expect(result.lookups).toBe(12);
    expect(result.notes.find((n) => n.key === 'spfTooManyLookups')?.severity).toBe('warning');
  });

  it('says so when nothing is authorised', () => {
    expect(keys(spf({ mx: false }))).toContain('spfAuthorisesNothing');
  });
});

describe('SPF terms', () => {
  it('counts the terms RFC 7208 §4.6.4 counts', () => {
    const terms = parseSpfTerms('v=spf1 ip4:1.2.3.4 a a:x.example/24 mx ptr exists:%{i}.x include:y ?all redirect=z exp=w');
    expect(countSpfLookups(terms)).toBe(7);
    expect(terms.map((t) => t.name)).toEqual(['ip4', 'a', 'a', 'mx', 'ptr', 'exists', 'include', 'all', 'redirect', 'exp']);
    expect(terms.find((t) => t.name === 'all')?.qualifier).toBe('?');
  });

  it('knows which networks contain which addresses', () => {
    expect(networkContains(ip('203.0.113.0/24'), ip('203.0.113.99'))).toBe(true);
    expect(networkContains(ip('203.0.113.0/24'), ip('203.0.114.1'))).toBe(false);
    expect(networkContains(ip('2001:db8::/32'), ip('2001:db8:ffff::1'))).toBe(true);
    expect(networkContains(ip('2001:db8::/33'), ip('2001:db8:ffff::1'))).toBe(false);
    expect(networkContains(ip('203.0.113.0/24'), ip('2001:db8::1'))).toBe(false);
    expect(networkContains(ip('203.0.113.5'), ip('203.0.113.0/24'))).toBe(false);
  });
});
