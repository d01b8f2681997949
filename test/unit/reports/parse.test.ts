import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseAggregateReport, ReportRefused } from '../../../main/services/reports/aggregateXml.js';
import { ArchiveRefused, gunzipLimited, unzipLimited, defaultArchiveLimits } from '../../../main/services/reports/archive.js';
import { reportsFromMessage } from '../../../main/services/reports/extract.js';
import { parseHeaderParams, parseMessage } from '../../../main/services/reports/mime.js';
import { packReport, reportMessage, reportXml } from './fixtures.js';
import { catalogText } from '../../../main/services/catalogText.js';
import { englishSentences } from '../../support/englishSentences.js';

const day = new Date('2025-03-01T00:00:00Z');
const sample = reportXml({
  org: 'google.com',
  id: 'r-1',
  domain: 'example.test',
  begin: day,
  rows: [
    { ip: '203.0.113.10', count: 5 },
    { ip: '198.51.100.7', count: 2, dkim: 'fail', spf: 'fail', disposition: 'none', reason: 'forwarded' },
  ],
});

describe('parseAggregateReport', () => {
  it('reads metadata, policy and rows', () => {
    const report = parseAggregateReport(sample);
    expect(report.orgName).toBe('google.com');
    expect(report.reportId).toBe('r-1');
    expect(report.begin).toBe('2025-03-01T00:00:00.000Z');
    expect(report.policy).toEqual({ domain: 'example.test', adkim: 'r', aspf: 'r', p: 'none', sp: 'none', pct: 100, np: null, testing: null, discoveryMethod: null });
    expect(report.notes).toEqual([]);
    expect(report.rowsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rows).toHaveLength(2);
    expect(report.rows[1]).toMatchObject({ sourceIp: '198.51.100.7', count: 2, dkim: 'fail', spf: 'fail', reasons: ['forwarded'] });
    expect(report.rows[0]?.dkimResults).toEqual([{ domain: 'example.test', selector: 's1', result: 'pass' }]);
  });

  it('reads a report with a single record and no namespace', () => {
    const xml = sample.replace(' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"', '').replace(/<record>[\s\S]*?<\/record>\n/, '');
    const report = parseAggregateReport(xml);
    expect(report.rows.map((r) => r.sourceIp)).toEqual(['198.51.100.7']);
  });

  it('refuses an XXE report before parsing', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n${sample.replace('<?xml version="1.0" encoding="UTF-8" ?>', '').replace('google.com', '&xxe;')}`;
    expect(() => parseAggregateReport(xxe)).toThrow(/DOCTYPE or entities/);
  });

  it('refuses entity declarations in any case and spacing (billion laughs)', () => {
    const laughs = `<?xml version="1.0"?><!doctype lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><feedback>&lol2;</feedback>`;
    expect(() => parseAggregateReport(laughs)).toThrow(ReportRefused);
    expect(() => parseAggregateReport('<feedback><! ENTITY x "y"></feedback>')).toThrow(ReportRefused);
  });

  it('decodes the predefined entities and leaves undeclared entity references as text', () => {
    const report = parseAggregateReport(sample.replace('<org_name>google.com</org_name>', '<org_name>a &amp; b &secret; &#x41;</org_name>'));
    expect(report.orgName).toBe('a & b &secret; A');
  });

  it('refuses malformed XML, non-reports and bad values with a reason', () => {
    expect(() => parseAggregateReport('<feedback><report_metadata>')).toThrow(/not well-formed/);
    expect(() => parseAggregateReport('<html><body/></html>')).toThrow(/no <feedback>/);
    expect(() => parseAggregateReport('<feedback><a></b></feedback>')).toThrow(/not well-formed.*closes <a>/);
    expect(() => parseAggregateReport(sample.replace(/<date_range>.*<\/date_range>/, ''))).toThrow(/no <begin>/);
    expect(() => parseAggregateReport(sample.replace(/<begin>\d+/, '<begin>yesterday'))).toThrow(/not a Unix time/);
  });
});

// Inflating bombs up to their limits: seconds of CPU on a loaded machine.
describe('archives', { timeout: 30_000 }, () => {
  const xmlBytes = new TextEncoder().encode(sample);

  it('gunzips and unzips within the limits', () => {
    expect(new TextDecoder().decode(gunzipLimited(gzipSync(xmlBytes)))).toBe(sample);
    const entries = unzipLimited(zipSync({ 'a.xml': xmlBytes, 'readme.txt': new Uint8Array([1]) }), (n) => n.endsWith('.xml'));
    expect(entries.map((e) => e.name)).toEqual(['a.xml']);
    expect(new TextDecoder().decode(entries[0]?.data)).toBe(sample);
  });

  const small = { ...defaultArchiveLimits, maxOutputBytes: 4 * 1024 * 1024, ratioGraceBytes: 64 * 1024 };

  it('stops a gzip bomb while inflating (ratio and absolute limits)', () => {
    const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => gunzipLimited(bomb, small)).toThrow(/more than 200 times its size; refused as a possible zip bomb/);
    expect(() => gunzipLimited(bomb, { ...small, maxRatio: 10_000 })).toThrow(/expands past 4194304 bytes/);
    const modest = gzipSync(new Uint8Array(3 * 1024 * 1024).fill(65));
    expect(() => gunzipLimited(modest, { ...defaultArchiveLimits, maxOutputBytes: 1024 * 1024 })).toThrow(ArchiveRefused);
  });

  it('stops a zip bomb whose header lies about the size', () => {
    const zip = zipSync({ 'big.xml': new Uint8Array(8 * 1024 * 1024) });
    // Patch the local header's uncompressed size (offset 22) to claim 100 bytes.
    new DataView(zip.buffer, zip.byteOffset).setUint32(22, 100, true);
    expect(() => unzipLimited(zip, () => true, small)).toThrow(/possible zip bomb/);
  });

  it('refuses damaged and oversized input', () => {
    expect(() => gunzipLimited(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]))).toThrow(ArchiveRefused);
    expect(() => gunzipLimited(new Uint8Array(11 * 1024 * 1024))).toThrow(/over the/);
    expect(() => unzipLimited(new Uint8Array([1, 2, 3]), () => true)).toThrow(ArchiveRefused);
  });

  it('says why an archive is refused by code, in the chosen language (no English inside Japanese)', () => {
    const refusal = (run: () => unknown): ArchiveRefused => {
      try {
        run();
      } catch (error) {
        if (error instanceof ArchiveRefused) return error;
      }
      throw new Error('not refused');
    };
    const zip = zipSync({ 'big.xml': new Uint8Array(8 * 1024 * 1024) });
    new DataView(zip.buffer, zip.byteOffset).setUint32(22, 100, true);
    const cases = [
      refusal(() => gunzipLimited(new Uint8Array(11 * 1024 * 1024))),
      refusal(() => gunzipLimited(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]))),
      refusal(() => unzipLimited(new Uint8Array([1, 2, 3]), () => true)),
      refusal(() => unzipLimited(zip, () => true, small)),
    ];
    expect(cases.map((c) => c.sentence?.key)).toEqual(['archiveTooBig', 'gzipNotGzip', 'zipEmpty', 'expandsRatio']);
    const ja = catalogText('ja');
    const said = cases.map((c) => ja.keyed('reports.note', c.sentence));
    expect(said[0]).toBe('gzip の添付ファイルは 11534336 バイトで、上限の 10485760 バイトを超えています。');
    expect(said[3]).toBe('zip の添付ファイルは展開すると元の 200 倍を超えるため、zip 爆弾の可能性があるとして拒否しました。');
    for (const text of said) expect(englishSentences(text), text).toEqual([]);
  });
});

describe('mime', () => {
  it('reads RFC 2231 continued and encoded parameters', () => {
    const parsed = parseHeaderParams(`attachment; filename*0*=UTF-8''google.com%21example; filename*1="!1.xml.gz"`);
    expect(parsed.value).toBe('attachment');
    expect(parsed.params.get('filename')).toBe('google.com!example!1.xml.gz');
  });

  it('walks nested multiparts and decodes base64 and quoted-printable', () => {
    const message = [
      'Subject: nested',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'caf=C3=A9 =',
      'ok',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream; name="r.xml"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<feedback/>').toString('base64'),
      '--outer--',
    ].join('\r\n');
    const parsed = parseMessage(message);
    expect(parsed.headers.get('subject')).toBe('nested');
    expect(parsed.parts).toHaveLength(2);
    expect(new TextDecoder().decode(parsed.parts[0]?.data)).toBe('café ok');
    expect(parsed.parts[1]?.filename).toBe('r.xml');
    expect(new TextDecoder().decode(parsed.parts[1]?.data)).toBe('<feedback/>');
  });
});

describe('reportsFromMessage', () => {
  for (const packing of ['xml', 'gzip', 'zip'] as const) {
    it(`extracts a ${packing} report`, () => {
      const message = reportMessage({ from: 'noreply@google.com', to: 'dmarc@example.test', subject: `Report ${packing}`, attachment: packReport(sample, packing) });
      const { reports, skipped } = reportsFromMessage(message);
      expect(skipped).toEqual([]);
      expect(reports).toHaveLength(1);
      expect(reports[0]?.rows.reduce((n, r) => n + r.count, 0)).toBe(7);
    });
  }

  it('skips an XXE report and a bomb with notes, keeping the good one', () => {
    const xxe = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/shadow">]>${sample}`;
    const bomb = { filename: 'big.xml.gz', contentType: 'application/gzip', data: gzipSync(new Uint8Array(6 * 1024 * 1024)) };
    const messages = [
      reportMessage({ from: 'a@b', to: 'dmarc@example.test', subject: 'XXE', attachment: packReport(xxe, 'xml') }),
      reportMessage({ from: 'a@b', to: 'dmarc@example.test', subject: 'Bomb', attachment: bomb }),
      reportMessage({ from: 'a@b', to: 'dmarc@example.test', subject: 'Good', attachment: packReport(sample, 'gzip') }),
    ];
    const results = messages.map((m) => reportsFromMessage(m));
    expect(results.map((r) => r.reports.length)).toEqual([0, 0, 1]);
    expect(results[0]?.skipped[0]?.reason).toMatch(/XXE/);
    expect(results[1]?.skipped[0]?.reason).toMatch(/zip bomb/);
    expect(results[1]?.skipped[0]?.source).toMatch(/^Bomb/);
  });

  it('ignores messages without report attachments', () => {
    expect(reportsFromMessage('Subject: hi\n\nhello\n')).toEqual({ reports: [], skipped: [], notes: [] });
  });
});
