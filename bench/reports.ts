// The report reader's figures (issue 20): parse speed on the largest public sample against
// Python's ElementTree in the same run, peak RSS for a 78,000-row report and for the hostile
// message (each in its own process, through the worker thread as the app reads), and the time
// to read 3,000 reports from a Maildir against the same mail as one mbox on the test host.
// `tsx bench/reports.ts [--host]` runs this part alone (the Maildir part takes the host lock
// unless run through test/host/isolated.sh); `npm run bench -- --only=reports` does it as a table.
import { build } from 'esbuild';
import { gzipSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAggregateReport } from '../main/services/reports/aggregateXml.js';
import { decodeXmlChunks } from '../main/services/reports/decode.js';
import { readMailbox } from '../main/services/reports/remote.js';
import { connectAdmin } from '../test/host/session.js';
import type { TestHost } from '../test/host/testHost.js';
import { mimeMessage, reportXml } from '../test/unit/reports/fixtures.js';
import { hostileMessage } from '../test/unit/reports/hostile.js';
import { median, round } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LARGEST_SAMPLE = path.join(here, '../test/fixtures/dmarc/parsedmarc/!large-example.com!1711897200!1711983600.xml');

export interface ParseFigures {
  homemailMbPerS: number;
  pythonMbPerS: number | null;
  pythonError: string | null;
  sampleBytes: number;
  rows: number;
  runs: number;
}

const PYTHON = `
import sys, time, xml.etree.ElementTree as ET
path, runs = sys.argv[1], int(sys.argv[2])
data = open(path, 'rb').read()
times = []
for _ in range(runs):
    t = time.perf_counter()
    root = ET.fromstring(data)
    rows = []
    for rec in root.iter('record'):
        row = rec.find('row')
        pe = row.find('policy_evaluated')
        rows.append((row.findtext('source_ip'), int(row.findtext('count')), pe.findtext('disposition'), pe.findtext('dkim'), pe.findtext('spf'),
                     rec.findtext('identifiers/header_from'), [(d.findtext('domain'), d.findtext('result')) for d in rec.findall('auth_results/dkim')],
                     [(s.findtext('domain'), s.findtext('result')) for s in rec.findall('auth_results/spf')]))
    times.append(time.perf_counter() - t)
times.sort()
print(len(data) / 1048576 / times[len(times) // 2], len(rows))
`;

/** MB/s (MiB) of bytes → report rows, median of `runs`, against ElementTree doing the same fields. */
export function parseFigures(runs = 15): ParseFigures {
  const bytes = readFileSync(LARGEST_SAMPLE);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    rows = parseAggregateReport(decodeXmlChunks(bytes).chunks).rows.length;
    if (i >= 2) times.push((performance.now() - t) / 1000);
  }
  let pythonMbPerS: number | null = null;
  let pythonError: string | null = null;
  try {
    const out = execFileSync('python3', ['-c', PYTHON, LARGEST_SAMPLE, String(runs)], { encoding: 'utf8' }).trim().split(' ');
    pythonMbPerS = Number(out[0]);
  } catch (error) {
    pythonError = error instanceof Error ? error.message.split('\n')[0] ?? 'python3 failed' : String(error);
  }
  return { homemailMbPerS: bytes.length / 1048576 / median(times), pythonMbPerS, pythonError, sampleBytes: bytes.length, rows, runs };
}

export interface ChildRun {
  seconds: number;
  peakRssMb: number;
  reports: number;
  rows: number;
  skipped: number;
  notes: string[];
  inputMb: number;
}

/** A report with `rows` records (RFC 7489 appendix C), as one gzip attachment. */
export function bigReportMessage(rows: number): string {
  const records = Array.from({ length: rows }, (_, i) => ({ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, count: 1 + (i % 7), ...(i % 3 === 0 ? { dkim: 'fail' as const, spf: 'fail' as const } : {}) }));
  const xml = reportXml({ org: 'big.example', id: 'big-1', domain: 'example.test', begin: new Date('2025-03-01T00:00:00Z'), rows: records });
  return mimeMessage('Report Domain: example.test Submitter: big.example', [{ contentType: 'application/gzip', filename: 'big.xml.gz', data: gzipSync(new TextEncoder().encode(xml)) }]);
}

/**
 * One big report message: a quoted-printable XML attachment of about 45 MB (every padding
 * character escaped, soft line breaks every 76) holding a two-row report and 15 MB of unknown
 * elements a reader passes over. Before the reader streamed within a message, a message like
 * this one was held whole, then decoded whole.
 */
export function bigAttachmentMessage(targetMb = 45): string {
  const head = reportXml({ org: 'big-attachment.example', id: 'qp-1', domain: 'example.test', begin: new Date('2025-03-01T00:00:00Z'), rows: [{ ip: '192.0.2.1', count: 5 }, { ip: '192.0.2.2', count: 2 }] });
  const padding = `<padding>${'x'.repeat(60_000)}</padding>`;
  const count = Math.ceil((targetMb * 1024 * 1024) / 3 / padding.length);
  const xml = head.replace('</feedback>', `${padding.repeat(count)}</feedback>`);
  const qp = xml.replace(/[^<>/\n]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/([^\n]{72}[^=\n]{0,2})/g, '$1=\n');
  return mimeMessage('Report Domain: example.test Submitter: big-attachment.example', [{ contentType: 'text/xml', filename: 'big.xml', data: qp, encoding: 'quoted-printable' }]);
}

async function childBundle(): Promise<string> {
  const outdir = path.join(here, '../dist/bench');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { reportsChild: path.join(here, 'reportsChild.ts'), reportsWorker: path.join(here, '../main/services/reports/reportsWorker.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return path.join(outdir, 'reportsChild.js');
}

function runChild(script: string, message: string): ChildRun {
  const file = path.join(tmpdir(), `hm-bench-${process.pid}-${Math.random().toString(36).slice(2)}.eml`);
  writeFileSync(file, message, 'latin1');
  const out = execFileSync(process.execPath, [script, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { ...(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Omit<ChildRun, 'inputMb'>), inputMb: Buffer.byteLength(message, 'latin1') / 1048576 };
}

export async function rssFigures(): Promise<{ big: ChildRun; hostile: ChildRun; bigAttachment: ChildRun }> {
  const script = await childBundle();
  return { big: runChild(script, bigReportMessage(78_000)), hostile: runChild(script, hostileMessage()), bigAttachment: runChild(script, bigAttachmentMessage()) };
}

export interface MaildirFigures {
  maildirSeconds: number;
  mboxSeconds: number;
  messages: number;
  mailboxMb: number;
  samples: { maildir: number[]; mbox: number[] };
}

/** 3,000 report messages as one mbox and as a Maildir on the test host; readMailbox over SSH, median of 3 each. */
export async function maildirFigures(host: TestHost, count = 3000): Promise<MaildirFigures> {
  const message = mimeMessage('Report Domain: example.test Submitter: bench.example', [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(new TextEncoder().encode(reportXml({ org: 'bench.example', id: 'b', domain: 'example.test', begin: new Date('2025-03-01T00:00:00Z'), rows: [{ ip: '192.0.2.1', count: 1 }] }))) }]);
  const setup = await host.runAsRoot(
    `set -e; cat > /tmp/bench.eml; d=/home/admin/BenchMaildir; rm -rf $d /var/mail/bench; mkdir -p $d/new $d/cur $d/tmp
awk -v n=${count} -v d=$d 'BEGIN { while ((getline line < "/tmp/bench.eml") > 0) msg = msg line "\\n"; for (i = 1; i <= n; i++) { f = d "/new/" 1700000000 + i ".M" i ".bench"; printf "%s", msg > f; close(f); printf "From bench@example.test Mon Jan  1 00:00:00 2026\\n%s\\n", msg > "/var/mail/bench" } }'
chown -R admin $d; ls $d/new | wc -l; wc -c < /var/mail/bench`,
    { stdin: message, timeoutMs: 120_000 },
  );
  if (setup.code !== 0) throw new Error(`could not write the bench mailboxes: ${setup.stderr.slice(0, 300)}`);
  const session = await connectAdmin(host);
  const samples = { maildir: [] as number[], mbox: [] as number[] };
  let messages = 0;
  try {
    for (let run = 0; run < 3; run++) {
      for (const format of ['mbox', 'maildir'] as const) {
        const mailbox = { address: null, users: [], notes: [], keyedNotes: [], paths: [{ path: format === 'mbox' ? '/var/mail/bench' : '/home/admin/BenchMaildir', format }] };
        let seen = 0;
        const t = performance.now();
        await readMailbox(session, mailbox, 256 * 1024 * 1024, { onMessages: (m) => (seen += m.length) });
        samples[format].push((performance.now() - t) / 1000);
        if (seen !== count) throw new Error(`${format}: read ${seen} of ${count} messages`);
        messages = seen;
      }
    }
  } finally {
    await session.close();
  }
  return { maildirSeconds: median(samples.maildir), mboxSeconds: median(samples.mbox), messages, mailboxMb: Number(setup.stdout.trim().split('\n').at(-1)) / 1048576, samples };
}

export const roundAll = (values: number[]): number[] => values.map((v) => round(v, 2));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const parse = parseFigures();
  process.stdout.write(`${JSON.stringify({ parse }, null, 1)}\n`);
  const rss = await rssFigures();
  process.stdout.write(`${JSON.stringify({ rss }, null, 1)}\n`);
  if (process.argv.includes('--host')) {
    const { takeHostLock } = await import('./hostLock.js');
    const { buildBase, hostDown, resetHost } = await import('../test/host/testHost.js');
    // Through test/host/isolated.sh the host is this run's own: no shared lock then.
    const lock = process.env['HOMEMAIL_HOST_DIR'] === undefined ? await takeHostLock() : null;
    try {
      await buildBase();
      const host = await resetHost('fresh');
      process.stdout.write(`${JSON.stringify({ maildir: await maildirFigures(host) }, null, 1)}\n`);
    } finally {
      await hostDown();
      await lock?.release();
    }
  }
}
