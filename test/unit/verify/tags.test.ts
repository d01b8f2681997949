import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blocklistQueryName,
  classifyBlocklistAnswer,
  dmarcReportAddress,
  joinTxt,
  parseDkimKeyRecord,
  parseDmarcRecord,
  parseSpfRecord,
  parseTagList,
  spfLookupTerms,
} from '../../../shared/verify/tags.js';
import { countSpfLookups, parseSpfTerms } from '../../../shared/records/spf.js';

describe('DKIM key records', () => {
  it('joins TXT strings and parses tags in any order', () => {
    const record = joinTxt(['v=DKIM1; h=sha256; k=rsa; ', 'p=MIIBIjAN', 'BgkqhkiG9w0BAQEFAAOCAQ8A']);
    expect(parseDkimKeyRecord(record)).toEqual({
      ok: true,
      record: { version: 'DKIM1', keyType: 'rsa', publicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A', hashAlgorithms: ['sha256'], flags: [], serviceTypes: null },
    });
    const reordered = parseDkimKeyRecord('p=AAAA ; k=ed25519;t=y:s');
    expect(reordered.ok && reordered.record).toMatchObject({ version: null, keyType: 'ed25519', publicKey: 'AAAA', flags: ['y', 's'] });
  });

  it('keeps whitespace inside p= out of the key and treats an empty p= as revoked', () => {
    expect(parseDkimKeyRecord('v=DKIM1; p=AB CD\tEF==').ok && parseDkimKeyRecord('v=DKIM1; p=AB CD\tEF==')).toMatchObject({ record: { publicKey: 'ABCDEF==' } });
    expect(parseDkimKeyRecord('v=DKIM1; k=rsa; p=')).toMatchObject({ ok: true, record: { publicKey: '' } });
  });

  it('names what is wrong', () => {
    expect(parseDkimKeyRecord('k=rsa; v=DKIM1; p=AAAA')).toEqual({ ok: false, problem: { code: 'dkimVersionNotFirst', params: {} } });
    expect(parseDkimKeyRecord('v=DKIM2; p=AAAA')).toEqual({ ok: false, problem: { code: 'dkimBadVersion', params: { value: 'DKIM2' } } });
    expect(parseDkimKeyRecord('v=DKIM1; k=rsa')).toEqual({ ok: false, problem: { code: 'dkimNoKey', params: {} } });
    expect(parseDkimKeyRecord('v=DKIM1; p=not*base64')).toEqual({ ok: false, problem: { code: 'dkimKeyNotBase64', params: {} } });
    expect(parseTagList('a=1; a=2')).toEqual({ ok: false, problem: { code: 'tagTwice', params: { tag: 'a' } } });
  });

  it('parses any permutation of the same tags to the same record', () => {
    const tags = ['v=DKIM1', 'k=rsa', 'h=sha256', 'p=QUJD', 't=s'];
    fc.assert(
      fc.property(fc.shuffledSubarray(tags.slice(1), { minLength: 4, maxLength: 4 }), (rest) => {
        const parsed = parseDkimKeyRecord([tags[0], ...rest].join('; '));
        expect(parsed).toMatchObject({ ok: true, record: { keyType: 'rsa', publicKey: 'QUJD', flags: ['s'] } });
      }),
    );
  });
});

describe('DMARC records', () => {
  it('reads policy, alignment and report addresses', () => {
    expect(parseDmarcRecord('v=DMARC1; p=quarantine; adkim=s; rua=mailto:a@example.jp, mailto:b@example.org!10m; ruf=mailto:f@example.jp')).toEqual({
      ok: true,
      record: { policy: 'quarantine', subdomainPolicy: null, adkim: 's', aspf: 'r', pct: 100, rua: ['mailto:a@example.jp', 'mailto:b@example.org!10m'], ruf: ['mailto:f@example.jp'] },
    });
  });
  it('refuses what receivers would ignore', () => {
    expect(parseDmarcRecord('p=none; v=DMARC1')).toEqual({ ok: false, problem: { code: 'dmarcNoVersion', params: {} } });
    expect(parseDmarcRecord('v=DMARC1; rua=mailto:a@b.jp')).toEqual({ ok: false, problem: { code: 'dmarcNoPolicy', params: {} } });
    expect(parseDmarcRecord('v=DMARC1; p=block')).toEqual({ ok: false, problem: { code: 'dmarcBadPolicy', params: { tag: 'p', value: 'block' } } });
    expect(parseDmarcRecord('v=DMARC1; p=none; pct=150')).toEqual({ ok: false, problem: { code: 'dmarcBadPct', params: { value: '150' } } });
  });
  it('checks report URIs', () => {
    expect(dmarcReportAddress('mailto:dmarc@example.jp')).toBe('dmarc@example.jp');
    expect(dmarcReportAddress('mailto:dmarc@example.jp!20m')).toBe('dmarc@example.jp');
    expect(dmarcReportAddress('dmarc@example.jp')).toBeNull();
    expect(dmarcReportAddress('mailto:nobody')).toBeNull();
    expect(dmarcReportAddress('https://example.jp/report')).toBeNull();
  });
});

describe('SPF records', () => {
  it('parses terms and lists the ones that cost a DNS lookup', () => {
    const parsed = parseSpfRecord('v=spf1 ip4:192.0.2.1 a mx:mail.example.jp include:_spf.google.com exists:%{i}.x.example ~all redirect=other.example');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(spfLookupTerms(parsed.terms).map((t) => t.name)).toEqual(['a', 'mx', 'include', 'exists', 'redirect']);
    expect(parsed.terms.find((t) => t.name === 'all')?.qualifier).toBe('~');
  });
  it.each([
    ['v=spf1 ip4:999.1', 'spfNotIpv4', { term: 'ip4:999.1' }],
    ['v=spf1 include', 'spfNeedsDomain', { tag: 'include', term: 'include' }],
    ['v=spf1 foo:bar', 'spfUnknownTerm', { term: 'foo:bar' }],
    ['v=spf10 -all', 'spfNoVersion', {}],
    ['v=spf1 redirect=a.example redirect=b.example', 'tagTwice', { tag: 'redirect' }],
    ['v=spf1 -all:x', 'spfAllValue', { term: '-all:x' }],
    ['v=spf1 all/24', 'spfAllValue', { term: 'all/24' }],
    ['v=spf1 ip6:', 'spfNeedsAddress', { tag: 'ip6', term: 'ip6:' }],
    [' v=spf1 -all', 'spfNoVersion', {}],
    ['v=spf1\t-all', 'spfNoVersion', {}],
  ])('names the syntax error in %j', (record, code, params) => {
    expect(parseSpfRecord(record)).toEqual({ ok: false, problem: { code, params } });
  });
  it('reads terms with the same reader as the record builder (one SPF term parser)', () => {
    const record = 'v=spf1 ip4:192.0.2.0/24 -a/24 mx:mail.example.jp ?include:_spf.example exists:%{i}.x.example ~all redirect=other.example exp=why.example';
    const parsed = parseSpfRecord(record);
    expect(parsed).toEqual({ ok: true, terms: parseSpfTerms(record) });
    if (!parsed.ok) return;
    expect(parsed.terms.map((t) => [t.qualifier, t.name, t.argument])).toEqual([
      ['+', 'ip4', '192.0.2.0/24'],
      ['-', 'a', '/24'],
      ['+', 'mx', 'mail.example.jp'],
      ['?', 'include', '_spf.example'],
      ['+', 'exists', '%{i}.x.example'],
      ['~', 'all', ''],
      ['+', 'redirect', 'other.example'],
      ['+', 'exp', 'why.example'],
    ]);
    expect(spfLookupTerms(parsed.terms).length).toBe(countSpfLookups(parseSpfTerms(record)));
  });
});

describe('DNS blocklist answers', () => {
  it('reads 127.255.255.x as "cannot tell", never as listed', () => {
    expect(classifyBlocklistAnswer(['127.255.255.254'])).toEqual({ kind: 'refused', codes: ['127.255.255.254'] });
    expect(classifyBlocklistAnswer(['127.255.255.252', '127.0.0.2'])).toMatchObject({ kind: 'refused' });
  });
  it('reads 127.0.0.2–255 as listed and no answer as clear', () => {
    expect(classifyBlocklistAnswer(['127.0.0.4', '127.0.0.2'])).toEqual({ kind: 'listed', codes: ['127.0.0.2', '127.0.0.4'] });
    expect(classifyBlocklistAnswer([])).toEqual({ kind: 'clear' });
  });
  it('does not guess on other answers', () => {
    expect(classifyBlocklistAnswer(['127.0.0.1'])).toMatchObject({ kind: 'odd' });
    expect(classifyBlocklistAnswer(['127.0.1.2'])).toMatchObject({ kind: 'odd' });
  });
  it('reverses the address for the query name', () => {
    expect(blocklistQueryName('192.0.2.10', 'zen.spamhaus.org')).toBe('10.2.0.192.zen.spamhaus.org');
  });
  it('writes an IPv6 address as its 32 nibbles reversed (Spamhaus\'s documented example)', () => {
    // docs.spamhaus.com "DQS Requests": 2001:db8:7ca6:22::45 → 5.4.0.0.…8.b.d.0.1.0.0.2.<zone>
    expect(blocklistQueryName('2001:db8:7ca6:22::45', 'zen.spamhaus.org')).toBe('5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.2.0.0.6.a.c.7.8.b.d.0.1.0.0.2.zen.spamhaus.org');
    expect(blocklistQueryName('2001:DB8::A:44', 'zen.example')).toBe('4.4.0.0.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.example');
  });
});
