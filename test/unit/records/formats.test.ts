import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDkimRecord } from '../../../shared/records/dkim.js';
import { dkimTxtFile } from '../../../shared/records/dkimTxtFile.js';
import { formatRecords, isRecordFormat } from '../../../shared/records/index.js';
import { dnsProviderPresets, presetIds } from '../../../shared/records/presets.js';
import { buildRecordSet, type RecordSet } from '../../../shared/records/recordSet.js';
import { parseQuotedStrings, utf8Length } from '../../../shared/records/txt.js';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'opendkim-genkey');

/** An RSA-looking SPKI base64 of a given length (the builders only check its shape). */
const fakeKey = (length: number) => `MIIB${'Q'.repeat(length - 10)}IDAQAB`;

function sampleSet(): RecordSet {
  return buildRecordSet({
    domain: 'example.jp',
    dkim: [{ selector: '202611', type: 'rsa', publicKey: fakeKey(392), bits: 2048 }],
    addresses: ['8.8.4.4', '2400:4050::25'],
    mxHost: 'mail.example.jp',
    dmarc: { policy: 'quarantine', rua: ['d@example.jp', 'r@reports.example.net'] },
    existing: [{ name: '_adsp._domainkey.example.jp', type: 'TXT', value: 'dkim=unknown' }, { name: 'example.jp', type: 'TXT', value: 'site-verification=1' }],
  });
}

/** Reads our zone lines back: owner, ttl, class, type, rdata (the records actually published). */
function parseZone(text: string, origin?: string): { owner: string; type: string; rdata: string }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(';') && !line.startsWith('$'))
    .map((line) => {
      const [owner = '', ttl, klass, type = '', ...rest] = line.split('\t');
      expect(ttl).toMatch(/^\d+$/);
      expect(klass).toBe('IN');
      const absolute = owner.endsWith('.') ? owner.slice(0, -1) : owner === '@' ? (origin as string) : `${owner}.${origin as string}`;
      return { owner: absolute, type, rdata: rest.join('\t') };
    });
}

describe('opendkim-genkey layout (S.txt)', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.txt'));

  it.each(files)('%s is reproduced byte for byte', (file) => {
    const theirs = readFileSync(path.join(fixtures, file), 'utf8');
    const selector = file.replace(/\.txt$/, '');
    const publicKey = [...theirs.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('').replace(/^.*p=/, '');
    const record = buildDkimRecord({ domain: 'example.test', selector, keyType: 'rsa', publicKey, ttl: 3600, noSubdomains: theirs.includes('t=s;') });
    expect(dkimTxtFile(record)).toBe(theirs);
  });

  it('has the fixtures for every RSA size', () => {
    expect(files).toEqual(expect.arrayContaining(['sel1024.txt', 'sel2048.txt', 'sel3072.txt', 'sel4096.txt', 'subs.txt']));
  });
});

describe('zone format', () => {
  it('writes absolute names, one line per record, and what belongs elsewhere as comments', () => {
    const set = sampleSet();
    const { text, notes } = formatRecords(set, 'zone');
    const published = parseZone(text);
    expect(published.map((r) => `${r.owner} ${r.type}`)).toEqual(['202611._domainkey.example.jp TXT', 'example.jp TXT', '_dmarc.example.jp TXT', 'example.jp MX']);
    expect(text).toContain('; example.jp._report._dmarc.reports.example.net.\t3600\tIN\tTXT\t"v=DMARC1"');
    expect(text).toMatch(/^; 4\.4\.8\.8\.in-addr\.arpa\.\t3600\tIN\tPTR\tmail\.example\.jp\.$/m);
    expect(text).toMatch(/^; _adsp\._domainkey\.example\.jp\.\t3600\tIN\tTXT\t"dkim=unknown"$/m);
    expect(notes.map((n) => n.key)).toEqual(['formatOutsideOrigin', 'formatAddressOwner', 'formatRemove']);
    for (const r of published.filter((p) => p.type === 'TXT')) {
      const strings = parseQuotedStrings(r.rdata);
      expect(strings).not.toBeNull();
      expect(strings?.join('')).toBe(set.records.find((x) => x.name === r.owner && x.type === 'TXT')?.value);
    }
  });

  it('writes names relative to $ORIGIN when asked, also for a parent zone', () => {
    const { text } = formatRecords(buildRecordSet({ domain: 'shop.example.jp', mxHost: 'mail.example.jp' }), 'zone', { relative: true, origin: 'example.jp' });
    expect(text).toContain('$ORIGIN example.jp.\n');
    expect(text).toContain('shop\t3600\tIN\tTXT\t"v=spf1 mx ~all"\n');
    expect(text).toContain('_dmarc.shop\t3600\tIN\tTXT\t"v=DMARC1; p=none"\n');
    expect(parseZone(text, 'example.jp').map((r) => r.owner)).toEqual(['shop.example.jp', '_dmarc.shop.example.jp', 'shop.example.jp']);
  });

  it('keeps every TXT string within 255 bytes and loses nothing, whatever the key and addresses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 216, max: 1400 }),
        fc.array(fc.ipV4(), { maxLength: 40 }),
        fc.array(fc.domain(), { maxLength: 5 }),
        (keyLength, addresses, includes) => {
          const set = buildRecordSet({
            domain: 'example.jp',
            dkim: [{ selector: 's1', type: 'rsa', publicKey: fakeKey(keyLength - (keyLength % 4)) }],
            addresses: addresses.filter((a) => !/(^|\.)0\d/.test(a)),
            spf: { includes: includes.filter((d) => /^[a-z0-9.-]+$/.test(d) && !/(^|\.)-|-(\.|$)|\.\d+$/.test(d)) },
          });
          const published = parseZone(formatRecords(set, 'zone').text);
          for (const r of published.filter((p) => p.type === 'TXT')) {
            const strings = parseQuotedStrings(r.rdata) ?? [];
            for (const s of strings) expect(utf8Length(s)).toBeLessThanOrEqual(255);
            expect(strings.join('')).toBe(set.records.find((x) => x.name === r.owner && x.type === 'TXT')?.value);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('value and json formats', () => {
  it('value: one line per record to publish, the value unquoted', () => {
    const all = formatRecords(sampleSet(), 'value').text.trimEnd().split('\n');
    const lines = all.filter((l) => !l.startsWith('#'));
    expect(lines).toHaveLength(5);
    // What to do, the deletion and the record that belongs in another domain's DNS are marked.
    expect(all).toContain('# add (nothing is published there now):');
    expect(all).toContain('# delete: _adsp._domainkey.example.jp\tTXT\tdkim=unknown');
    expect(all[all.indexOf('example.jp._report._dmarc.reports.example.net\tTXT\tv=DMARC1') - 2]).toBe('# in the DNS of reports.example.net, not example.jp (ask its owner):');
    expect(lines[0]).toBe(`202611._domainkey.example.jp\tTXT\tv=DKIM1; h=sha256; k=rsa; p=${fakeKey(392)}`);
    expect(lines).toContain('example.jp._report._dmarc.reports.example.net\tTXT\tv=DMARC1');
    expect(lines.some((l) => l.includes('"'))).toBe(false);
  });

  it('json: name, type, ttl, value and strings for every record, with notes', () => {
    const json = JSON.parse(formatRecords(sampleSet(), 'json').text) as { records: { name: string; type: string; ttl: number; value: string; strings: string[]; action: string }[]; notes: { key: string }[]; spfLookups: number };
    expect(json.records.map((r) => r.action)).toEqual(['publish', 'publish', 'publish', 'publish', 'publish', 'address-owner', 'address-owner', 'remove']);
    for (const r of json.records) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['name', 'type', 'ttl', 'value', 'strings']));
      if (r.type === 'TXT') expect(r.strings.join('')).toBe(r.value);
    }
    expect(json.spfLookups).toBe(0);
    expect(json.notes.length).toBeGreaterThan(3);
  });
});

describe('provider presets', () => {
  it('lists at least Cloudflare, Route 53, Google Cloud DNS, mydns.jp and a generic relative form', () => {
    expect(presetIds).toEqual(expect.arrayContaining(['cloudflare', 'route53', 'google-cloud-dns', 'mydns-jp', 'generic-relative']));
    for (const id of presetIds) expect(isRecordFormat(id)).toBe(true);
    expect(isRecordFormat('bind9')).toBe(false);
    for (const p of dnsProviderPresets) {
      expect(['relative', 'fqdn', 'unknown']).toContain(p.hostField);
      expect(['auto-split', 'quoted-strings', 'unknown']).toContain(p.longValues);
    }
  });

  it('says so where the provider\'s form is undocumented, and gives the generic advice', () => {
    const mydns = formatRecords(sampleSet(), 'mydns-jp');
    expect(dnsProviderPresets.find((p) => p.id === 'mydns-jp')?.longValues).toBe('unknown');
    expect(mydns.notes[0]?.text).toMatch(/not documented/);
    expect(mydns.notes[0]?.text).toMatch(/quoted strings/);
  });

  it('route53: a change batch whose TXT values are quoted strings of at most 255 bytes, keeping other TXT values at the apex', () => {
    const set = sampleSet();
    const batch = JSON.parse(formatRecords(set, 'route53').text) as {
      Changes: { Action: string; ResourceRecordSet: { Name: string; Type: string; TTL: number; ResourceRecords: { Value: string }[] } }[];
    };
    expect(batch.Changes.map((c) => `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.Type}`)).toEqual([
      'UPSERT 202611._domainkey.example.jp. TXT',
      'UPSERT example.jp. TXT',
      'UPSERT _dmarc.example.jp. TXT',
      'UPSERT example.jp. MX',
    ]);
    const dkim = batch.Changes[0]?.ResourceRecordSet.ResourceRecords[0]?.Value ?? '';
    const strings = parseQuotedStrings(dkim) ?? [];
    expect(strings.length).toBe(3);
    for (const s of strings) expect(utf8Length(s)).toBeLessThanOrEqual(255);
    expect(strings.join('')).toBe(set.records[0]?.value);
    expect(batch.Changes[1]?.ResourceRecordSet.ResourceRecords.map((r) => r.Value)).toEqual(['"v=spf1 ip4:8.8.4.4 ip6:2400:4050::25 ~all"', '"site-verification=1"']);
  });

  it('route53: warns that the apex TXT set is replaced when the existing records are unknown', () => {
    const set = buildRecordSet({ domain: 'example.jp' });
    expect(formatRecords(set, 'route53').notes.map((n) => n.key)).toContain('formatRrsetReplaced');
  });

  it('cloudflare and generic-relative: relative names ("@" for the domain), values on one line', () => {
    const cf = formatRecords(sampleSet(), 'cloudflare').text;
    expect(cf).toContain('Name:    202611._domainkey\n');
    expect(cf).toContain('Name:    @\n');
    expect(cf).toContain(`Content: v=DKIM1; h=sha256; k=rsa; p=${fakeKey(392)}\n`);
    expect(cf).toMatch(/Mail server: +mail\.example\.jp\nPriority: +10/);
    const generic = formatRecords(sampleSet(), 'generic-relative').text.split('\n');
    expect(generic).toContain('_dmarc\tTXT\tv=DMARC1; p=quarantine; rua=mailto:d@example.jp,mailto:r@reports.example.net');
    expect(generic).toContain('@\tMX\t10 mail.example.jp.');
    expect(generic.some((l) => l.startsWith('Delete: _adsp._domainkey.example.jp'))).toBe(true);
  });

  it('google-cloud-dns: blank name for the apex, TXT data as quoted strings', () => {
    const text = formatRecords(sampleSet(), 'google-cloud-dns').text;
    expect(text).toContain('DNS name:             (leave blank)\n');
    expect(text).toMatch(/TXT data: +"v=DKIM1; h=sha256; k=rsa; " "p=/);
  });

  it('sakura: warns when a value passes its 255-character limit, and not when all fit', () => {
    expect(formatRecords(sampleSet(), 'sakura').notes[0]).toMatchObject({ key: 'presetSakura', severity: 'warning' });
    expect(formatRecords(buildRecordSet({ domain: 'example.jp' }), 'sakura').notes[0]?.key).toBe('presetSakuraFits');
  });
});
