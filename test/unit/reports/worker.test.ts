// The reader in its worker thread: the same reports as in-thread parsing, the budget noted
// when hit, and the main thread free while a hostile message is read.
import { gzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInWorker } from '../../../main/services/reports/parseInWorker.js';
import { parseMessages } from '../../../main/services/reports/parseMessages.js';
import { hostileMessage } from './hostile.js';
import { mimeMessage, reportXml } from './fixtures.js';

const dir = new URL('../../fixtures/dmarc/parsedmarc/', import.meta.url);
const large = readFileSync(new URL('!large-example.com!1711897200!1711983600.xml', dir));
const messages = [
  mimeMessage('large', [{ contentType: 'application/gzip', filename: 'large.xml.gz', data: gzipSync(large) }]),
  readFileSync(new URL('mimecast-weird-gzip.eml', dir), 'utf8'),
  mimeMessage('small', [{ contentType: 'text/xml', filename: 'r.xml', data: reportXml({ org: 'a.example', id: '1', domain: 'example.test', begin: new Date('2025-03-01T00:00:00Z'), rows: [{ ip: '192.0.2.1', count: 2 }] }) }]),
];

// A worker thread per test reading a large report: seconds on a loaded machine.
describe('the report worker', { timeout: 30_000 }, () => {
  it('returns what in-thread parsing returns', async () => {
    const inThread = parseMessages(messages);
    const fromWorker = await parseInWorker(messages, { batchBytes: 1 });
    expect(fromWorker.messagesRead).toBe(3);
    expect(fromWorker.reports.map((r) => [r.orgName, r.rows.length, r.rowsHash])).toEqual(inThread.reports.map((r) => [r.orgName, r.rows.length, r.rowsHash]));
    expect(fromWorker.rows).toBe(2288);
  });

  it('stops at the row budget with a note, keeping what it read before', async () => {
    const out = await parseInWorker([messages[2] as string, ...messages], { budget: { maxDecodedBytes: 64 * 1024 * 1024, maxRows: 100, maxMs: 10_000 } });
    expect(out.reports.map((r) => r.orgName)).toEqual(['a.example']);
    expect(out.notes.at(-1)?.reason).toMatch(/^Stopped reading: the row budget \(100 rows\) was used up\. 1 message\(s\) were read; 3 message\(s\) were not/);
  });

  it('reads the hostile message within its budget while the main thread stays free', async () => {
    const hostile = hostileMessage();
    const started = performance.now();
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks += 1;
    }, 20);
    const out = await parseInWorker([hostile, messages[2] as string], { budget: { maxDecodedBytes: 256 * 1024 * 1024, maxRows: 200_000, maxMs: 5_000 } });
    clearInterval(timer);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(15_000);
    expect(out.reports.some((r) => r.orgName === 'a.example')).toBe(true);
    expect(ticks).toBeGreaterThan(0);
    // Reading in this thread would stop the timer for the whole read; with the worker no pause
    // comes near half of it, however slowly a loaded machine runs both.
    expect(longestGap).toBeLessThan(elapsed / 2);
  });
});
