import { describe, expect, it } from 'vitest';
import { buildDmarcRecords, dmarcMailto, parseFailureOptions, type DmarcInput } from '../../../shared/records/dmarc.js';
import { parseEmailAddress, type EmailAddress } from '../../../shared/validation/email.js';

function email(text: string): EmailAddress {
  const result = parseEmailAddress(text);
  if (!result.ok) throw new Error(result.problem.text);
  return result.value;
}

function dmarc(overrides: Partial<DmarcInput>) {
  return buildDmarcRecords({ domain: 'example.jp', policy: 'none', rua: [], ruf: [], ttl: 3600, ...overrides });
}

describe('buildDmarcRecords', () => {
  it('starts with v=DMARC1; p=…', () => {
    const { records } = dmarc({ rua: [email('report-a@example.jp')] });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ name: '_dmarc.example.jp', type: 'TXT', value: 'v=DMARC1; p=none; rua=mailto:report-a@example.jp', purpose: 'dmarc' });
  });

  it('writes every tag given, in a fixed order, and fo=1 by default when ruf is set', () => {
    const { records } = dmarc({
      policy: 'quarantine',
      subdomainPolicy: 'reject',
      pct: 50,
      adkim: 's',
      aspf: 'r',
      rua: [email('a@example.jp'), email('a@example.jp')],
      ruf: [email('f@example.jp')],
    });
    expect(records[0]?.value).toBe('v=DMARC1; p=quarantine; sp=reject; pct=50; adkim=s; aspf=r; fo=1; rua=mailto:a@example.jp; ruf=mailto:f@example.jp');
  });

  it('leaves out defaults: sp equal to p, pct=100, fo=0', () => {
    expect(dmarc({ subdomainPolicy: 'none', pct: 100, failureOptions: '0' }).records[0]?.value).toBe('v=DMARC1; p=none');
  });

  it('explains the staged plan for each policy', () => {
    expect(dmarc({ policy: 'none' }).notes.map((n) => n.key)).toContain('dmarcStageNone');
    expect(dmarc({ policy: 'quarantine' }).notes.map((n) => n.key)).toContain('dmarcStageQuarantine');
    expect(dmarc({ policy: 'reject' }).notes.map((n) => n.key)).toContain('dmarcStageReject');
    expect(dmarc({ policy: 'none' }).notes.find((n) => n.key === 'dmarcNoRua')?.severity).toBe('warning');
  });

  it('adds the authorisation record for report addresses in another domain (RFC 7489 §7.1)', () => {
    const { records, notes } = dmarc({ rua: [email('r@reports.example.net'), email('x@mail.example.jp')], ruf: [email('f@reports.example.net')] });
    expect(records.slice(1)).toEqual([
      {
        name: 'example.jp._report._dmarc.reports.example.net',
        type: 'TXT',
        ttl: 3600,
        value: 'v=DMARC1',
        strings: ['v=DMARC1'],
        purpose: 'dmarc-report-auth',
        action: 'publish',
        zone: 'reports.example.net',
      },
    ]);
    expect(notes.find((n) => n.key === 'dmarcExternalReports')?.params.other).toBe('reports.example.net');
  });

  it('needs no authorisation for a parent domain either', () => {
    expect(buildDmarcRecords({ domain: 'shop.example.jp', policy: 'none', rua: [email('r@example.jp')], ruf: [], ttl: 3600 }).records).toHaveLength(1);
  });
});

describe('DMARC URIs and fo=', () => {
  it('percent-encodes the characters DMARC gives a meaning', () => {
    expect(dmarcMailto(email('a!b%c@example.jp'))).toBe('mailto:a%21b%25c@example.jp');
    expect(dmarcMailto(email("o'brien+dmarc@日本語.jp"))).toBe('mailto:o%27brien+dmarc@xn--wgv71a119e.jp');
  });

  it('reads fo= values', () => {
    expect(parseFailureOptions('1')).toBe('1');
    expect(parseFailureOptions('D:s:d')).toBe('d:s');
    expect(parseFailureOptions('2')).toBeNull();
    expect(parseFailureOptions('')).toBeNull();
  });
});
