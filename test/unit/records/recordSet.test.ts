import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HomemailError } from '../../../shared/errors.js';
import { buildRecordSet, type RecordRequest } from '../../../shared/records/recordSet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'homemail-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslPublicKey(): string {
  const key = path.join(dir, `k${Math.random().toString(36).slice(2)}.pem`);
  execFileSync('openssl', ['genrsa', '-out', key, '1024'], { stdio: 'ignore' });
  return execFileSync('openssl', ['pkey', '-in', key, '-pubout', '-outform', 'DER']).toString('base64');
}
const rsa1024 = opensslPublicKey();
const ed25519 = Buffer.alloc(32, 7).toString('base64');

function fieldOf(request: RecordRequest): string | undefined {
  try {
    buildRecordSet(request);
  } catch (error) {
    expect(error).toBeInstanceOf(HomemailError);
    expect((error as HomemailError).code).toBe('bad-input');
    return String((error as HomemailError).details?.field);
  }
  return undefined;
}

describe('buildRecordSet', () => {
  it('builds DKIM, SPF, DMARC, MX and PTR guidance for an internationalised domain', () => {
    const set = buildRecordSet({
      domain: '日本語.JP.',
      dkim: [
        { selector: '202611', type: 'rsa', publicKey: rsa1024, bits: 1024 },
        { selector: '202611e', type: 'ed25519', publicKey: ed25519 },
      ],
      addresses: ['8.8.4.4', '8.8.4.4'],
      mxHost: 'Mail.日本語.jp',
      dmarc: { policy: 'none', rua: ['dmarc@日本語.jp'] },
    });
    expect(set.domain).toBe('xn--wgv71a119e.jp');
    expect(set.records.map((r) => `${r.purpose} ${r.name} ${r.type} ${r.action}`)).toEqual([
      'dkim 202611._domainkey.xn--wgv71a119e.jp TXT publish',
      'dkim 202611e._domainkey.xn--wgv71a119e.jp TXT publish',
      'spf xn--wgv71a119e.jp TXT publish',
      'dmarc _dmarc.xn--wgv71a119e.jp TXT publish',
      'mx xn--wgv71a119e.jp MX publish',
      'ptr 4.4.8.8.in-addr.arpa PTR address-owner',
    ]);
    expect(set.records[0]?.value).toBe(`v=DKIM1; h=sha256; k=rsa; p=${rsa1024}`);
    expect(set.records[1]?.value).toBe(`v=DKIM1; h=sha256; k=ed25519; p=${ed25519}`);
    expect(set.records[2]?.value).toBe('v=spf1 ip4:8.8.4.4 ~all');
    expect(set.records[4]?.value).toBe('10 mail.xn--wgv71a119e.jp.');
    expect(set.records[5]?.value).toBe('mail.xn--wgv71a119e.jp.');
    expect(set.spfLookups).toBe(0);
    expect(set.otherApexTxt).toBeNull();
    const noteKeys = set.notes.map((n) => n.key);
    expect(noteKeys).toEqual(expect.arrayContaining(['dkimRsaWeak', 'dkimEd25519Additional', 'ptrAtOwner', 'mxHostAddress', 'dmarcStageNone']));
    expect(set.notes.find((n) => n.key === 'dkimRsaWeak')?.text).toContain('RFC 8301');
  });

  it('flags an existing ADSP record for removal and never writes one', () => {
    const set = buildRecordSet({
      domain: 'example.jp',
      existing: [
        { name: '_adsp._domainkey.example.jp.', type: 'TXT', value: 'dkim=unknown' },
        { name: 'example.jp', type: 'TXT', value: 'v=spf1 a ~all' },
        { name: 'example.jp', type: 'TXT', value: 'google-site-verification=abc' },
      ],
    });
    const adsp = set.records.filter((r) => r.purpose === 'adsp');
    expect(adsp).toEqual([expect.objectContaining({ name: '_adsp._domainkey.example.jp', action: 'remove', value: 'dkim=unknown' })]);
    expect(set.records.filter((r) => r.action === 'publish').some((r) => r.name.startsWith('_adsp.'))).toBe(false);
    expect(set.notes.find((n) => n.key === 'adspRemove')?.severity).toBe('warning');
    expect(set.records.find((r) => r.purpose === 'spf')?.value).toBe('v=spf1 a mx ~all');
    expect(set.otherApexTxt).toEqual(['google-site-verification=abc']);
  });

  it('keeps a third-party rua and does not ask for its authorization when that is already published', () => {
    const existing = [
      { name: 'example.jp', type: 'TXT', value: 'v=spf1 mx ~all' },
      { name: '_dmarc.example.jp', type: 'TXT', value: 'v=DMARC1; p=none; rua=mailto:re+abc123@reports.example.net' },
    ];
    const asked = buildRecordSet({ domain: 'example.jp', existing });
    expect(asked.records.find((r) => r.purpose === 'dmarc')?.value).toBe('v=DMARC1; p=none; rua=mailto:re+abc123@reports.example.net');
    expect(asked.notes.find((n) => n.purpose === 'dmarc-report-auth')?.key).toBe('dmarcExternalReports');
    // Their SPF relies on mx only: the note says so; one that names its own addresses gets no such note.
    expect(asked.notes.map((n) => n.key)).toContain('spfNoAddress');
    const withAddresses = buildRecordSet({ domain: 'example.jp', existing: [{ name: 'example.jp', type: 'TXT', value: 'v=spf1 a mx ip4:203.0.113.5 ~all' }] });
    expect(withAddresses.notes.map((n) => n.key)).not.toContain('spfNoAddress');
    const authorized = buildRecordSet({ domain: 'example.jp', existing: [...existing, { name: 'example.jp._report._dmarc.reports.example.net', type: 'TXT', value: 'v=DMARC1' }] });
    expect(authorized.records.find((r) => r.purpose === 'dmarc-report-auth')?.change).toBe('keep');
    expect(authorized.notes.filter((n) => n.purpose === 'dmarc-report-auth').map((n) => [n.key, n.severity])).toEqual([['dmarcExternalReportsAuthorized', 'info']]);
  });

  it('refuses an Ed25519 key alone: it is only ever an extra signature', () => {
    expect(fieldOf({ domain: 'example.jp', dkim: [{ selector: 's', type: 'ed25519', publicKey: ed25519 }] })).toBe('dkim');
  });

  it.each<[string, RecordRequest, string]>([
    ['domain', { domain: 'exa mple.jp' }, 'domain'],
    ['ip', { domain: 'example.jp', addresses: ['300.1.1.1'] }, 'ip'],
    ['mx', { domain: 'example.jp', mxHost: 'mail..example.jp' }, 'mx'],
    ['rua', { domain: 'example.jp', dmarc: { rua: ['not an address'] } }, 'rua'],
    ['ruf', { domain: 'example.jp', dmarc: { ruf: ['a@b'] } }, 'ruf'],
    ['policy', { domain: 'example.jp', dmarc: { policy: 'block' as never } }, 'dmarc-policy'],
    ['pct', { domain: 'example.jp', dmarc: { pct: 101 } }, 'pct'],
    ['fo', { domain: 'example.jp', dmarc: { fo: '3' } }, 'fo'],
    ['include', { domain: 'example.jp', spf: { includes: ['bad domain'] } }, 'include'],
    ['selector', { domain: 'example.jp', dkim: [{ selector: 'a/b', type: 'rsa', publicKey: rsa1024 }] }, 'selector'],
    ['duplicate selector', { domain: 'example.jp', dkim: [{ selector: 's', type: 'rsa', publicKey: rsa1024 }, { selector: 'S', type: 'rsa', publicKey: rsa1024 }] }, 'dkim'],
    ['short key', { domain: 'example.jp', dkim: [{ selector: 's', type: 'rsa', publicKey: 'QUJD' }] }, 'dkim'],
    ['ttl', { domain: 'example.jp', ttl: 5 }, 'ttl'],
    ['long name', { domain: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(55)}.jp`, dkim: [{ selector: 'abcdefghij', type: 'rsa', publicKey: rsa1024 }] }, 'selector'],
  ])('refuses a bad %s, naming the field', (_label, request, field) => {
    expect(fieldOf(request)).toBe(field);
  });
});
