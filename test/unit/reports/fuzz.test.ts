// A fuzz corpus: the real samples (test/fixtures/dmarc/parsedmarc) mutated by fast-check
// (bytes flipped, inserted, cut, repeated; packed plain, gzip, zip or inside MIME), read within
// a small budget. The reader may refuse anything, but only with its own error type, never
// beyond its budget, and never for long.
import fc from 'fast-check';
import { gzipSync, zipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAggregateReport } from '../../../main/services/reports/aggregateXml.js';
import { BudgetExhausted, ReadBudget, ReportRefused } from '../../../main/services/reports/budget.js';
import { decodeXmlBytes } from '../../../main/services/reports/decode.js';
import { MessageParser } from '../../../main/services/reports/parseMessages.js';
import { mimeMessage } from './fixtures.js';

const dir = new URL('../../fixtures/dmarc/parsedmarc/', import.meta.url);
const corpus = readdirSync(dir)
  .filter((f) => f !== 'LICENSE' && !f.startsWith('!large'))
  .map((f) => readFileSync(new URL(encodeURIComponent(f).replaceAll('%21', '!'), dir)));

type Mutation = { kind: 'flip' | 'insert' | 'cut' | 'repeat' | 'truncate'; at: number; length: number; byte: number };

const mutation = fc.record({
  kind: fc.constantFrom('flip', 'insert', 'cut', 'repeat', 'truncate'),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 64 }),
  byte: fc.integer({ min: 0, max: 255 }),
}) as fc.Arbitrary<Mutation>;

function mutate(data: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Buffer.from(data);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip') out[at] = m.byte;
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.alloc(m.length, m.byte), out.subarray(at)]);
    else if (m.kind === 'cut') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    else if (m.kind === 'repeat') out = Buffer.concat([out.subarray(0, at + m.length), ...Array.from({ length: m.byte % 8 }, () => out.subarray(at, at + m.length)), out.subarray(at + m.length)]);
    else out = out.subarray(0, at);
  }
  return out;
}

const limits = { maxDecodedBytes: 8 * 1024 * 1024, maxRows: 5_000, maxMs: 2_000 };

// Hundreds of mutated reports each: seconds of CPU on a loaded machine.
describe('fuzz: mutated real samples', { timeout: 30_000 }, () => {
  it('parseAggregateReport throws only ReportRefused', () => {
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (index, mutations) => {
        const bytes = mutate(corpus[index] as Uint8Array, mutations);
        try {
          parseAggregateReport(decodeXmlBytes(bytes).text, { budget: new ReadBudget(limits) });
        } catch (error) {
          expect(error).toBeInstanceOf(ReportRefused);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the message reader never throws, stays in its budget and never hangs', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: corpus.length - 1 }),
        fc.array(mutation, { maxLength: 6 }),
        fc.constantFrom('raw', 'gzip', 'zip', 'mime-gzip', 'mime-plain'),
        fc.boolean(),
        (index, mutations, packing, mutateAfterPacking) => {
          let data = mutateAfterPacking ? (corpus[index] as Uint8Array) : mutate(corpus[index] as Uint8Array, mutations);
          if (packing === 'gzip' || packing === 'mime-gzip') data = gzipSync(data);
          if (packing === 'zip') data = zipSync({ 'r.xml': data });
          if (mutateAfterPacking) data = mutate(data, mutations);
          const message =
            packing === 'raw'
              ? Buffer.from(data).toString('latin1')
              : mimeMessage('fuzz', [{ contentType: packing === 'mime-plain' ? 'text/xml' : 'application/octet-stream', filename: 'r.xml.gz', data }]);
          const parser = new MessageParser({ budget: limits });
          const started = performance.now();
          let thrown: unknown = null;
          try {
            parser.parse([message, message]);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBe(null);
          expect(performance.now() - started).toBeLessThan(limits.maxMs + 1_000);
          expect(parser.budget.rows).toBeLessThanOrEqual(limits.maxRows);
          expect(parser.budget.decodedBytes <= limits.maxDecodedBytes || parser.stopped).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a budget too small for the input stops with BudgetExhausted, noted', () => {
    const parser = new MessageParser({ budget: { maxDecodedBytes: 1_000, maxRows: 10, maxMs: 1_000 } });
    const big = mimeMessage('big', [{ contentType: 'application/gzip', filename: 'l.xml.gz', data: gzipSync(readFileSync(new URL('!large-example.com!1711897200!1711983600.xml', dir))) }]);
    parser.parse([big, big]);
    expect(parser.stopped).toBe(true);
    expect(parser.budgetNote()?.reason).toMatch(/decoding budget/);
    expect(() => parser.budget.check()).toThrow(BudgetExhausted);
  });
});
