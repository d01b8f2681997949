import { describe, expect, it } from 'vitest';
import { buildRecordSet } from '../../../shared/records/recordSet.js';
import { buildSpfRecord, type SpfInput } from '../../../shared/records/spf.js';
import { spfCost } from '../../../shared/records/spfCost.js';
import type { ExistingRecord, SpfLookupAnswers } from '../../../shared/records/types.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';

function ip(text: string): IpAddress {
  const result = parseIpAddress(text, { allowPrefix: true });
  if (!result.ok) throw new Error(result.problem.text);
  return result.value;
}

const spf = (overrides: Partial<SpfInput>) => buildSpfRecord({ domain: 'example.jp', addresses: [], mx: true, a: false, includes: [], existing: [], ttl: 3600, ...overrides });
const txt = (name: string, value: string): ExistingRecord => ({ name, type: 'TXT', value });
// An RSA-looking SPKI base64 (the builders check its shape only), one per letter.
const key = (c: string) => `MIIB${c.repeat(382)}IDAQAB`;

describe('SPF merged with the published record (RFC 7208)', () => {
  it('keeps a published -all unless another ending is chosen', () => {
    expect(spf({ addresses: [ip('203.0.113.5')], existing: ['v=spf1 include:_spf.example.net -all'] }).record.value).toBe('v=spf1 include:_spf.example.net ip4:203.0.113.5 -all');
    const soft = spf({ addresses: [ip('203.0.113.5')], all: 'soft', existing: ['v=spf1 -all'] });
    expect(soft.record.value).toBe('v=spf1 ip4:203.0.113.5 ~all');
    expect(soft.notes.find((n) => n.key === 'spfAllChanged')?.params).toEqual({ from: '-all', to: '~all' });
  });

  it('leaves terms after all where they are (receivers never reach them; moving them would authorise more)', () => {
    expect(spf({ addresses: [ip('203.0.113.5')], existing: ['v=spf1 mx -all ip4:198.51.100.1'] }).record.value).toBe('v=spf1 mx ip4:203.0.113.5 -all ip4:198.51.100.1');
  });

  it('compares macros case-sensitively, other terms without case', () => {
    const result = spf({ mx: false, existing: ['v=spf1 exists:%{i}.a.example exists:%{I}.a.example MX mx ~all'] });
    expect(result.record.value).toBe('v=spf1 exists:%{i}.a.example exists:%{I}.a.example MX ~all');
  });

  it('adds mx only when no address is given, and no address that a published a or mx already covers', () => {
    expect(spf({ existing: [] }).record.value).toBe('v=spf1 mx ~all');
    const answers: SpfLookupAnswers = { 'MX example.jp': ['mail.example.jp'], 'A mail.example.jp': ['203.0.113.5'], 'A example.jp': ['198.51.100.7'] };
    expect(spf({ addresses: [ip('203.0.113.5')], existing: ['v=spf1 mx ~all'], answers }).record.value).toBe('v=spf1 mx ~all');
    expect(spf({ addresses: [ip('198.51.100.7')], existing: ['v=spf1 a ~all'], answers }).record.value).toBe('v=spf1 a ~all');
    expect(spf({ addresses: [ip('198.51.100.9')], existing: ['v=spf1 a/24 ~all'], answers }).record.value).toBe('v=spf1 a/24 ~all');
    expect(spf({ addresses: [ip('203.0.113.6')], existing: ['v=spf1 mx ~all'], answers }).record.value).toBe('v=spf1 mx ip4:203.0.113.6 ~all');
    // -mx does not authorise: the address is still added.
    expect(spf({ addresses: [ip('203.0.113.5')], existing: ['v=spf1 -mx ~all'], answers }).record.value).toBe('v=spf1 -mx ip4:203.0.113.5 ~all');
  });

  it('two published records become one, and the row says replace both', () => {
    const set = buildRecordSet({ domain: 'example.jp', addresses: ['203.0.113.5'], existing: [txt('example.jp', 'v=spf1 ip4:192.0.2.1 -all'), txt('example.jp', 'v=spf1 include:x.example ~all')] });
    const row = set.records.find((r) => r.purpose === 'spf');
    expect(row).toMatchObject({ value: 'v=spf1 ip4:192.0.2.1 include:x.example ip4:203.0.113.5 -all', change: 'replace', published: ['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 include:x.example ~all'] });
    expect(set.notes.find((n) => n.key === 'spfMultipleExisting')?.severity).toBe('warning');
  });
});

describe('SPF lookups counted through include: and redirect= (§4.6.4)', () => {
  it('counts the included records\' lookups and the void ones', () => {
    const answers: SpfLookupAnswers = {
      'TXT _spf.a.example': ['v=spf1 include:_b.a.example mx ~all'],
      'TXT _b.a.example': ['v=spf1 a:gone.a.example ip4:192.0.2.0/24 ~all'],
      'MX _spf.a.example': null,
      'A gone.a.example': null,
    };
    const cost = spfCost('v=spf1 include:_spf.a.example ip4:203.0.113.5 ~all', 'example.jp', answers);
    expect(cost).toEqual({ lookups: 4, voids: 2, terms: [{ term: 'include:_spf.a.example', lookups: 4, voids: 2 }], unresolved: [] });
    expect(spfCost('v=spf1 include:unknown.example ~all', 'example.jp', {}).unresolved).toEqual(['unknown.example']);
  });

  it('a merge over 10 lookups is a problem that names what to remove; over 2 void lookups too', () => {
    const inner = `v=spf1 ${Array.from({ length: 9 }, (_, i) => `a:h${i}.big.example`).join(' ')} ~all`;
    const answers: SpfLookupAnswers = { 'TXT _spf.big.example': [inner], ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`A h${i}.big.example`, i < 3 ? null : ['192.0.2.1']])) };
    const result = spf({ existing: ['v=spf1 include:_spf.big.example ~all'], includes: ['relay.example'], answers: { ...answers, 'TXT relay.example': ['v=spf1 ip4:192.0.2.9 -all'] } });
    expect(result.lookups).toBe(12);
    const problem = result.notes.find((n) => n.key === 'spfTooManyLookupsRemove');
    expect(problem?.severity).toBe('warning');
    expect(problem?.params.terms).toBe('include:_spf.big.example (10), mx (1), include:relay.example (1)');
    expect(result.notes.find((n) => n.key === 'spfTooManyVoids')?.params).toMatchObject({ count: 3, terms: 'include:_spf.big.example' });
  });
});

describe('the record set against what is published', () => {
  const published = [
    txt('example.jp', 'v=spf1 mx ~all'),
    txt('_dmarc.example.jp', 'v=DMARC1; p=quarantine; sp=reject; adkim=s; fo=1; rua=mailto:d@example.jp; ruf=mailto:f@example.jp'),
    txt('_adsp._domainkey.example.jp', 'dkim=unknown'),
    txt('old._domainkey.example.jp', `v=DKIM1; k=rsa; p=${key('A')}`),
    txt('taken._domainkey.example.jp', `v=DKIM1; k=rsa; p=${key('B')}`),
  ];

  it('DMARC keeps p, sp, rua, ruf, fo, adkim and never weakens the policy', () => {
    const kept = buildRecordSet({ domain: 'example.jp', existing: published });
    expect(kept.records.find((r) => r.purpose === 'dmarc')).toMatchObject({ value: 'v=DMARC1; p=quarantine; sp=reject; adkim=s; fo=1; rua=mailto:d@example.jp; ruf=mailto:f@example.jp', change: 'keep' });
    const weaker = buildRecordSet({ domain: 'example.jp', existing: published, dmarc: { policy: 'none', rua: ['r@example.jp'] } });
    expect(weaker.records.find((r) => r.purpose === 'dmarc')?.value).toBe('v=DMARC1; p=quarantine; sp=reject; adkim=s; fo=1; rua=mailto:r@example.jp,mailto:d@example.jp; ruf=mailto:f@example.jp');
    expect(weaker.notes.find((n) => n.key === 'dmarcKeptPublished')?.params).toEqual({ published: 'quarantine', requested: 'none' });
    const stronger = buildRecordSet({ domain: 'example.jp', existing: published, dmarc: { policy: 'reject' } });
    expect(stronger.records.find((r) => r.purpose === 'dmarc')).toMatchObject({ change: 'replace' });
    expect(stronger.records.find((r) => r.purpose === 'dmarc')?.value).toMatch(/^v=DMARC1; p=reject;/);
  });

  it('a selector published with another key is a conflict; other published selectors are kept; ADSP is deleted', () => {
    const set = buildRecordSet({ domain: 'example.jp', existing: published, dkim: [{ selector: 'taken', type: 'rsa', publicKey: key('C') }] });
    const rows = set.records.map((r) => `${r.name} ${r.change ?? '-'}`);
    expect(rows).toEqual(expect.arrayContaining(['taken._domainkey.example.jp conflict', 'old._domainkey.example.jp keep', '_adsp._domainkey.example.jp delete', 'example.jp keep']));
    expect(set.notes.find((n) => n.key === 'dkimSelectorConflict')?.params).toEqual({ selector: 'taken', name: 'taken._domainkey.example.jp' });
    const same = buildRecordSet({ domain: 'example.jp', existing: published, dkim: [{ selector: 'old', type: 'rsa', publicKey: key('A') }] });
    expect(same.records.find((r) => r.selector === 'old')?.change).toBe('replace'); // same key, other tags (h=sha256): not a conflict
  });

  it('says "cannot tell" where no trustworthy answer came, and nothing when the domain was not read', () => {
    const set = buildRecordSet({ domain: 'example.jp', existing: [], unknownNames: ['TXT example.jp'] });
    expect(set.records.find((r) => r.purpose === 'spf')?.change).toBe('unknown');
    expect(set.records.find((r) => r.purpose === 'dmarc')?.change).toBe('add');
    expect(buildRecordSet({ domain: 'example.jp' }).records.every((r) => r.change === undefined)).toBe(true);
  });
});
