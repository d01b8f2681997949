// One measured run of the report reader in its own process (so its peak RSS is its own):
// reads a message file through the worker thread, prints peak RSS, seconds and what was read.
// Bundled by bench/reports.ts next to the worker, as the app is.
import { readFileSync } from 'node:fs';
import { parseInWorker } from '../main/services/reports/parseInWorker.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: reportsChild MESSAGE-FILE');
const message = readFileSync(file, 'latin1');
const started = performance.now();
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const outcome = await parseInWorker([message], { budget: { maxDecodedBytes: 512 * 1024 * 1024, maxRows: 1_000_000, maxMs: 30_000 } });
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
const maxRssMb = Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576;
process.stdout.write(
  `${JSON.stringify({ seconds, peakRssMb: maxRssMb, reports: outcome.reports.length, rows: outcome.reports.reduce((n, r) => n + r.rows.length, 0), skipped: outcome.skipped.length, notes: outcome.notes.map((n) => n.reason.slice(0, 120)) })}\n`,
);
