import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StoredCheck } from '../shared/watch.js';
import { recordDmarcReports, recordResult } from '../main/services/watch/record.js';
import { buildStatus } from '../main/services/watch/status.js';
import { openHistoryStore, type StorableReport } from '../main/services/watch/store.js';
import { median } from './stats.js';

export interface StatusPageFigures {
  /** buildStatus (every query the Status page's one call makes) plus JSON serialisation, per call. */
  ms: { median: number; samples: number[] };
  runs: number;
  checks: number;
  reportRows: number;
  reports: number;
  storeBytes: number;
  fillSeconds: number;
}

const DAYS = 365;
const ROWS = 10_000;
const ROWS_PER_REPORT = 10;

function checks(day: number): StoredCheck[] {
  const list: StoredCheck[] = [];
  const status = (i: number): StoredCheck['status'] => ((day + i) % 97 === 0 ? 'fail' : 'pass');
  for (let i = 0; i < 24; i += 1) {
    list.push({
      checkId: i < 2 ? `dkim:s${i}` : `check:${i}`,
      area: i < 2 ? 'dkim' : 'mx',
      status: status(i),
      title: `Check ${i} of bench.example`,
      found: `found ${i}`,
      titleKey: 'mxTitle',
      foundKey: 'mxFoundOk',
      params: { domain: 'bench.example', hosts: 'mail.bench.example' },
      values: i < 2 ? { record: `v=DKIM1; k=rsa; p=KEY${i}${Math.floor(day / 90)}` } : {},
    });
  }
  return list;
}

function report(n: number): StorableReport {
  const begin = new Date(Date.UTC(2025, 11, 1) + (n % DAYS) * 86_400_000).toISOString();
  return {
    orgName: ['google.com', 'Yahoo', 'Outlook.com', 'Mail.Ru', 'comcast.net'][n % 5] ?? 'x',
    email: null,
    reportId: `bench-${n}`,
    begin,
    end: begin,
    policy: { domain: 'bench.example', p: 'none' },
    rows: Array.from({ length: ROWS_PER_REPORT }, (_, i) => ({
      sourceIp: `192.0.2.${(n * 7 + i) % 200}`,
      count: 1 + ((n + i) % 9),
      disposition: 'none' as const,
      dkim: (n + i) % 11 === 0 ? ('fail' as const) : ('pass' as const),
      spf: 'pass' as const,
      headerFrom: 'bench.example',
      envelopeFrom: null,
      dkimResults: [{ domain: 'bench.example', selector: 's0', result: 'pass' }],
      spfResults: [{ domain: 'bench.example', scope: 'mfrom', result: 'pass' }],
      reasons: [],
    })),
  };
}

/**
 * The Status page's data from a store holding one year of daily watch runs (DNS checks and
 * the server's inbound checks) and 10,000 DMARC report rows, read from a file on disk.
 */
export async function statusPageFigures(samples = 15): Promise<StatusPageFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-bench-store-'));
  const file = path.join(dir, 'history.sqlite');
  try {
    const fillStart = performance.now();
    const store = openHistoryStore(file);
    const server = { host: '192.0.2.10', port: 22, hostKeyFingerprint: 'SHA256:bench' };
    for (let day = 0; day < DAYS; day += 1) {
      const at = new Date(Date.UTC(2025, 11, 1) + day * 86_400_000).toISOString();
      recordResult(store, { kind: 'verify', domain: 'bench.example', server: null, at, resolvers: ['192.0.2.53'], checks: checks(day) });
      recordResult(store, { kind: 'inbound', domain: 'bench.example', server, at, resolvers: [], checks: checks(day).slice(2, 8) });
    }
    const reports = ROWS / ROWS_PER_REPORT;
    for (let n = 0; n < reports; n += 100) {
      recordDmarcReports(store, 'bench.example', Array.from({ length: 100 }, (_, i) => report(n + i)), new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString());
    }
    store.close();
    const fillSeconds = (performance.now() - fillStart) / 1000;

    // Each sample opens the store as the app or CLI would, then builds the page's data.
    const times: number[] = [];
    for (let i = 0; i < samples + 1; i += 1) {
      const start = performance.now();
      const reopened = openHistoryStore(file);
      const status = buildStatus(reopened, reopened.schedule());
      JSON.stringify(status);
      const elapsed = performance.now() - start;
      reopened.close();
      if (i > 0) times.push(elapsed);
    }
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(file));
    return { ms: { median: median(times), samples: times }, runs: DAYS * 2, checks: DAYS * 30, reportRows: ROWS, reports, storeBytes: size, fillSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
