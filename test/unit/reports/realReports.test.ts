// The findings of issue 20, each with a real sample (test/fixtures/dmarc/parsedmarc, from
// domainaware/parsedmarc, Apache-2.0; see test/fixtures/dmarc/README.md) or one constructed
// by RFC 7489 appendix C / RFC 9990 / RFC 1952 / RFC 2046 (said at each test).
import { gzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAggregateReport } from '../../../main/services/reports/aggregateXml.js';
import { ArchiveRefused, gunzipMembers } from '../../../main/services/reports/archive.js';
import { reportsFromMessage } from '../../../main/services/reports/extract.js';
import { recommendNextPolicy } from '../../../main/services/reports/recommend.js';
import { summarize } from '../../../main/services/reports/summarize.js';
import { forwarded, mimeMessage, reportMessage, reportXml, type FixtureReport } from './fixtures.js';

const dir = new URL('../../fixtures/dmarc/parsedmarc/', import.meta.url);
const sample = (name: string): Buffer => readFileSync(new URL(encodeURIComponent(name).replaceAll('%21', '!'), dir));
const LARGE = '!large-example.com!1711897200!1711983600.xml';
const RFC9990 = 'rfc9990-example.net!example.com!1700000000!1700086399.xml';

const day = new Date('2025-03-01T00:00:00Z');
const base: FixtureReport = { org: 'Example Receiver', id: 'id-1', domain: 'example.test', begin: day, rows: [{ ip: '192.0.2.1', count: 3 }, { ip: '192.0.2.2', count: 4 }] };
const total = (reports: Array<{ rows: Array<{ count: number }> }>) => reports.flatMap((r) => r.rows).reduce((n, r) => n + r.count, 0);

describe('1. an empty <org_name> (real: parsedmarc large-example, 2,286 rows)', () => {
  it('falls back to the domain of <email> and says so, keeping every row', () => {
    const report = parseAggregateReport(sample(LARGE).toString('utf8'));
    expect(report.orgName).toBe('accurateplastics.com');
    expect(report.rows).toHaveLength(2286);
    expect(report.notes.map((n) => n.text).join(' ')).toMatch(/org_name> is empty.*domain of its <email>/);
  });

  it('falls back to the file name when there is no <email> (constructed)', () => {
    const xml = reportXml(base).replace(/<org_name>.*<\/org_name>/, '<org_name></org_name>').replace(/<email>.*<\/email>/, '');
    const report = parseAggregateReport(xml, { fileName: 'mx.example.jp!example.test!1740787200!1740873599.xml.gz' });
    expect(report.orgName).toBe('mx.example.jp');
    expect(report.notes[0]?.text).toMatch(/file name/);
  });
});

describe('2. gzip as mail systems deliver it (RFC 1952)', () => {
  const xml = new TextEncoder().encode(reportXml(base));
  it('reads the real Mimecast report', () => {
    const { reports, skipped } = reportsFromMessage(sample('mimecast-weird-gzip.eml').toString('utf8'));
    expect(skipped).toEqual([]);
    expect(reports.map((r) => r.orgName)).toEqual(['Mimecast']);
  });

  it('ignores a CRLF or NUL padding after the member, and reads every member', () => {
    const gz = gzipSync(xml);
    for (const tail of [Uint8Array.from([13, 10]), new Uint8Array(512)]) {
      expect(Buffer.from(gunzipMembers(Buffer.concat([gz, tail])).data).toString()).toBe(Buffer.from(xml).toString());
    }
    const half = Math.floor(xml.length / 2);
    const two = Buffer.concat([gzipSync(xml.subarray(0, half)), gzipSync(xml.subarray(half)), Buffer.from('\r\n')]);
    const out = gunzipMembers(two);
    expect(out.members).toBe(2);
    expect(parseAggregateReport(Buffer.from(out.data).toString()).rows).toHaveLength(2);
  });

  it('still refuses a damaged member (CRC) and one cut short', () => {
    const gz = Buffer.from(gzipSync(xml));
    const bad = Buffer.from(gz);
    bad[bad.length - 6] = (bad[bad.length - 6] ?? 0) ^ 0xff;
    expect(() => gunzipMembers(bad)).toThrow(ArchiveRefused);
    expect(() => gunzipMembers(gz.subarray(0, gz.length - 20))).toThrow(/ends early|damaged/);
  });
});

describe('3. report identity: reporter + id + date range + rows', () => {
  const a = parseAggregateReport(reportXml(base));
  const sameIdOtherRows = parseAggregateReport(reportXml({ ...base, rows: [{ ip: '198.51.100.9', count: 5 }] }));
  const sameIdOtherDays = parseAggregateReport(reportXml({ ...base, begin: new Date('2025-03-02T00:00:00Z') }));

  it('counts two different reports with one id, and the same report twice once', () => {
    const s = summarize({ reports: [a, sameIdOtherRows, sameIdOtherDays, parseAggregateReport(reportXml(base))], ownNetworks: [] });
    expect(s.reports).toHaveLength(3);
    expect(s.duplicates).toBe(1);
    expect(s.sources.reduce((n, x) => n + x.count, 0)).toBe(7 + 5 + 7);
  });

  it('gives the same totals whatever the order of the mail', () => {
    const reports = [a, sameIdOtherRows, sameIdOtherDays, a, parseAggregateReport(sample(LARGE).toString('utf8'))];
    const expected = JSON.stringify(summarize({ reports, ownNetworks: [] }));
    for (const order of [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 1, 0, 4, 2]]) {
      expect(JSON.stringify(summarize({ reports: order.map((i) => reports[i] as (typeof reports)[number]), ownNetworks: [] }))).toBe(expected);
    }
  });
});

describe('4. bad rows are skipped and counted; the other rows stay (constructed)', () => {
  it('keeps the good rows of a report with a leading-zero address and a row without source_ip', () => {
    const xml = reportXml({ ...base, rows: [{ ip: '192.0.2.1', count: 3 }, { ip: '010.0.2.7', count: 9 }, { ip: 'REMOVE', count: 1 }, { ip: '192.0.2.2', count: 4 }] }).replace('<source_ip>REMOVE</source_ip>', '');
    const report = parseAggregateReport(xml);
    expect(report.rows.map((r) => r.sourceIp)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(report.notes.map((n) => n.text)).toEqual(['2 of 4 rows were skipped (a missing or malformed <source_ip> ×2); the other rows are counted.']);
  });
});

describe('5. every MIME part is sniffed (constructed by RFC 2046)', () => {
  const gz = gzipSync(new TextEncoder().encode(reportXml(base)));
  it('opens a report inside a forwarded message (message/rfc822)', () => {
    const inner = reportMessage({ from: 'noreply@receiver.example', to: 'dmarc@example.test', subject: 'Report Domain: example.test', attachment: { filename: 'r.xml.gz', contentType: 'application/gzip', data: gz } });
    const { reports } = reportsFromMessage(forwarded('Fwd: Report Domain: example.test', inner));
    expect(total(reports)).toBe(7);
  });

  it('opens application/octet-stream without a report-like name and application/x-gzip-compressed', () => {
    const message = mimeMessage('two odd attachments', [
      { contentType: 'text/plain', data: 'report attached' },
      { contentType: 'application/octet-stream', filename: 'attachment', data: gz },
      { contentType: 'application/x-gzip-compressed', data: gzipSync(new TextEncoder().encode(reportXml({ ...base, id: 'id-2' }))) },
    ]);
    const { reports, skipped } = reportsFromMessage(message);
    expect(skipped).toEqual([]);
    expect(reports.map((r) => r.reportId)).toEqual(['id-1', 'id-2']);
  });

  it('notes each attachment it skips, with the reason', () => {
    const message = mimeMessage('logo and report', [
      { contentType: 'image/png', filename: 'logo.png', data: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
      { contentType: 'application/gzip', filename: 'report.xml.gz', data: Uint8Array.from([1, 2, 3, 4]) },
      { contentType: 'application/gzip', filename: 'ok.xml.gz', data: gz },
    ]);
    const { reports, skipped } = reportsFromMessage(message);
    expect(total(reports)).toBe(7);
    expect(skipped.map((s) => `${s.source}: ${s.reason}`)).toEqual([
      'logo and report — logo.png: Its content is not XML, gzip, zip or a TLS report (image/png); not read.',
      'logo and report — report.xml.gz: Named like a report, but its content is not XML, gzip, zip or a TLS report (application/gzip); not read.',
    ]);
  });
});

describe('6. encodings, times, zip names and TLS reports', () => {
  const withOrg = (org: string, encoding: string) => reportXml({ ...base, org }).replace('encoding="UTF-8"', `encoding="${encoding}"`);
  const attach = (name: string, data: Uint8Array) => reportsFromMessage(mimeMessage(name, [{ contentType: 'application/octet-stream', filename: name, data }]));

  it('reads UTF-16 (BOM, LE and BE) and windows-1252 / ISO-8859-1 as declared (constructed)', () => {
    const text = withOrg('Société Générale', 'UTF-16');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    be[0] = 0xfe;
    be[1] = 0xff;
    expect(attach('le.xml', le).reports[0]?.orgName).toBe('Société Générale');
    expect(attach('be.xml', be).reports[0]?.orgName).toBe('Société Générale');
    for (const encoding of ['windows-1252', 'ISO-8859-1']) {
      expect(attach('latin.xml', Buffer.from(withOrg('Société Générale', encoding), 'latin1')).reports[0]?.orgName).toBe('Société Générale');
    }
  });

  it('reads fractional Unix times (constructed)', () => {
    const xml = reportXml(base).replace(/<begin>(\d+)<\/begin>/, '<begin>$1.0</begin>').replace(/<end>(\d+)<\/end>/, '<end>$1.5</end>');
    expect(parseAggregateReport(xml).begin).toBe('2025-03-01T00:00:00.000Z');
  });

  it('reads zip entries whatever their names end with (constructed)', () => {
    const zip = zipSync({ 'report-2025-03-01': new TextEncoder().encode(reportXml(base)) });
    expect(total(attach('report.zip', zip).reports)).toBe(7);
  });

  it('recognises a TLS report (RFC 8460) as such: real samples, plain, gzip and in Google\'s message', () => {
    const json = sample('rfc8460.json');
    for (const data of [json, gzipSync(json)]) {
      const out = attach('tls.json.gz', data);
      expect(out.skipped).toEqual([]);
      expect(out.notes.map((n) => n.reason)).toEqual(['A TLS report (SMTP TLS reporting, RFC 8460), not a DMARC aggregate report: not counted here.']);
    }
    const google = reportsFromMessage(sample('google.com_smtp_tls_report.eml').toString('utf8'));
    expect(google.skipped).toEqual([]);
    expect(google.notes[0]?.reason).toMatch(/TLS report/);
  });
});

describe('7. RFC 9990 fields (real: parsedmarc rfc9990 samples)', () => {
  const report = parseAggregateReport(sample(RFC9990).toString('utf8'));
  it('reads testing, np, discovery_method and a missing pct', () => {
    expect(report.policy).toMatchObject({ p: 'reject', sp: 'quarantine', np: 'reject', testing: true, discoveryMethod: 'treewalk', pct: null });
    expect(parseAggregateReport(sample('rfc9990-sample.xml').toString('utf8')).policy).toMatchObject({ testing: false, np: 'none', pct: null });
  });

  it('does not treat a testing-mode p=reject as enforced, and offers the record without t=y', () => {
    const own = { sourceIp: '198.51.100.1', domain: 'example.com', count: 5, reverseName: null, kind: 'own' as const, dkimAligned: 5, spfAligned: 5, dmarcPass: 5, dmarcFail: 0, dispositions: { none: 5, quarantine: 0, reject: 0 }, dkimResults: {}, spfResults: {}, headerFrom: [], reporters: [] };
    const rec = recommendNextPolicy({ domain: 'example.com', reports: [report], sources: [own], periodDays: 1, reportAddress: null, currentRecord: 'v=DMARC1; p=reject; t=y; rua=mailto:d@example.com' });
    expect(rec).toMatchObject({ key: 'testing', current: 'reject', next: 'reject', record: { name: '_dmarc.example.com', value: 'v=DMARC1; p=reject; rua=mailto:d@example.com' } });
    expect(rec.published?.testing).toBe(true);
    const enforced = { ...report, policy: { ...report.policy, testing: false } };
    expect(recommendNextPolicy({ domain: 'example.com', reports: [enforced], sources: [own], periodDays: 1, reportAddress: null }).key).toBe('atReject');
  });
});

describe('issue 17: names from outside never reach an object prototype', () => {
  it('counts DKIM results and domains called __proto__ and constructor as plain keys', () => {
    const xml = reportXml({ ...base, rows: [{ ip: '192.0.2.1', count: 3, dkimResult: '__proto__', dkimDomain: 'constructor', spfResult: 'constructor' }, { ip: '192.0.2.1', count: 2, dkimResult: 'constructor' }] });
    const s = summarize({ reports: [parseAggregateReport(xml)], ownNetworks: [] });
    const source = s.sources[0];
    expect(Object.getPrototypeOf(source?.dkimResults)).toBe(null);
    expect(Object.entries(source?.dkimResults ?? {})).toEqual([['__proto__', 3], ['constructor', 2]]);
    expect(Object.entries(source?.spfResults ?? {})).toEqual([['constructor', 3], ['pass', 2]]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(source?.dkimResults))).toEqual(JSON.parse('{"__proto__":3,"constructor":2}'));
  });
});
