// One measured run of the report reader in its own process (so its peak RSS is its own):
// streams a message file into the worker thread piece by piece, as the app streams the
// mailbox from SSH (64 KiB pieces, at most 4 M characters waiting for the worker), and prints
// peak RSS, seconds and what was read. Bundled by bench/reports.ts next to the worker, as the app is.
import { createReadStream } from 'node:fs';
import { ReportWorker } from '../main/services/reports/parseInWorker.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: reportsChild MESSAGE-FILE');
const started = performance.now();
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const worker = new ReportWorker({ budget: { maxDecodedBytes: 512 * 1024 * 1024, maxRows: 1_000_000, maxMs: 30_000 } });
worker.pushPieces([{ kind: 'begin' }]);
for await (const piece of createReadStream(file, { encoding: 'latin1', highWaterMark: 64 * 1024 })) {
  worker.pushPieces([{ kind: 'text', text: piece as string }]);
  await worker.whenBelow(4 * 1024 * 1024);
}
worker.pushPieces([{ kind: 'end' }]);
const outcome = await worker.finish();
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
const maxRssMb = Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576;
process.stdout.write(
  `${JSON.stringify({ seconds, peakRssMb: maxRssMb, reports: outcome.reports.length, rows: outcome.reports.reduce((n, r) => n + r.rows.length, 0), skipped: outcome.skipped.length, notes: outcome.notes.map((n) => n.reason.slice(0, 120)) })}\n`,
);
