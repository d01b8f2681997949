// The XML scanner fed in chunks cut anywhere (inside tags, entities, comments, CDATA) reads the
// same report as when it gets the whole text. Samples: parsedmarc (real) and one constructed
// with every construct the scanner knows.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAggregateReport } from '../../../main/services/reports/aggregateXml.js';
import { reportXml } from './fixtures.js';

const dir = new URL('../../fixtures/dmarc/parsedmarc/', import.meta.url);
const constructed = reportXml({ org: 'A &amp; B <!-- x -->', id: 'c-1', domain: 'example.test', begin: new Date('2025-03-01T00:00:00Z'), rows: [{ ip: '192.0.2.1', count: 3 }, { ip: '2001:db8::1', count: 4, reason: 'forwarded' }] })
  .replace('<report_id>c-1</report_id>', '<!-- a comment > with > signs --><report_id><![CDATA[c-1 <raw>]]></report_id>')
  .replace('<org_name>A &amp; B <!-- x --></org_name>', '<org_name>A &amp; B &#x263A; &#9731;</org_name>');
const texts = [
  constructed,
  readFileSync(new URL('rfc9990-example.net!example.com!1700000000!1700086399.xml', dir), 'utf8'),
  readFileSync(new URL('ikea.com!example.de!1538690400!1538776800.xml', dir), 'utf8'),
];

describe('the chunked XML scanner', () => {
  it('reads the constructs right', () => {
    const report = parseAggregateReport(constructed);
    expect(report.orgName).toBe('A & B ☺ ☃');
    expect(report.reportId).toBe('c-1 <raw>');
    expect(report.rows.map((r) => r.reasons)).toEqual([[], ['forwarded']]);
  });

  it('reads the same report however the text is cut', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(fc.nat(), { maxLength: 40 }), (index, cuts) => {
        const text = texts[index] as string;
        const points = [...new Set(cuts.map((c) => c % text.length))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
        expect(parseAggregateReport(() => chunks)).toEqual(parseAggregateReport(text));
      }),
      { numRuns: 300 },
    );
  });
});
