// npm run bench: builds the app, measures what users feel beside the alternatives in the
// same run, writes bench/results.json and prints the table. Exit 1 only when something could
// not be measured (an error), never for a missed target. Needs root and the test host's tools
// (test/host/install-deps.sh); holds /tmp/homemail-host.lock while it uses the host.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { buildBase, hostAvailability, hostDown, resetHost } from '../test/host/testHost.js';
import { changeFigures, verifyFigures, type ChangeFigures, type VerifyFigures } from './hostFigures.js';
import { takeHostLock } from './hostLock.js';
import { keygenFigures, type KeygenFigures } from './keygen.js';
import { figure, formatTable, hasErrors, missing, ratio, type Figure, type Results } from './report.js';
import { firstPaintMs, rendererJsGzipKb } from './rendererFigures.js';
import { round } from './stats.js';
import { statusPageFigures } from './statusPage.js';
import { webRssFigures, type WebRssFigures } from './webRss.js';
import { maildirFigures, parseFigures, rssFigures, type ChildRun, type MaildirFigures, type ParseFigures } from './reports.js';

const RESULTS_FILE = 'bench/results.json';
const args = new Set(process.argv.slice(2));
const keygenRuns = Number(process.argv.find((a) => a.startsWith('--keygen-runs='))?.slice('--keygen-runs='.length) ?? 30);
/** `--only=apply` / `--only=reports` (or `--only NAME`): one part alone, printed; no results file written. */
const onlyIndex = process.argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
const onlyArg = onlyIndex === -1 ? undefined : process.argv[onlyIndex];
const only = onlyArg === undefined ? null : onlyArg === '--only' ? (process.argv[onlyIndex + 1] ?? '') : onlyArg.slice('--only='.length);

const log = (text: string): void => void process.stderr.write(`[bench] ${text}\n`);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 300) ?? 'unknown error';

async function step<T>(name: string, work: () => Promise<T>): Promise<T | Error> {
  const start = performance.now();
  log(`${name}…`);
  try {
    const value = await work();
    log(`${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    log(`${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return error instanceof Error ? error : new Error(String(error));
  }
}

function npmBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit ${code ?? 'signal'})`))));
  });
}

interface HostPart {
  change: ChangeFigures | Error;
  verify: VerifyFigures | Error;
  web: WebRssFigures | Error;
  maildir: MaildirFigures | Error;
  lockWaitSeconds: number;
}

/** Everything that needs the test host, under the host lock; the host is brought down after. */
async function hostPart(): Promise<HostPart | Error> {
  const availability = hostAvailability();
  if (!availability.ok) return new Error(`the test host cannot run here: ${availability.reason}`);
  const lock = await takeHostLock();
  log(`host lock taken after ${(lock.waitedMs / 1000).toFixed(1)} s`);
  try {
    const up = await step('test host up (fresh)', async () => {
      await buildBase();
      return resetHost('fresh');
    });
    if (up instanceof Error) return up;
    const change = await step('round trips and apply at 0 and 100 ms RTT', () => changeFigures(up));
    const host = await step('host reset for verify and web mode', () => resetHost('fresh'));
    if (host instanceof Error) return host;
    const verify = await step('verify behind the 50 ms UDP proxy', () => verifyFigures(host));
    const web = await step('web mode: a full wizard run, then RSS', () => webRssFigures(host));
    const maildir = await step('reports: 3,000 reports read as Maildir and as mbox', () => maildirFigures(host));
    return { change, verify, web, maildir, lockWaitSeconds: round(lock.waitedMs / 1000) };
  } finally {
    await step('test host down', () => hostDown());
    await lock.release();
  }
}

function keygenResults(k: KeygenFigures | Error): Pick<Results, 'keygen_rsa2048_ms' | 'openssl_genrsa2048_ms'> {
  const target = 'ratio to openssl genrsa <= 1.2';
  if (k instanceof Error) return { keygen_rsa2048_ms: missing('ms', target, errorText(k)), openssl_genrsa2048_ms: missing('ms', 'reference', errorText(k)) };
  const r = ratio(k.homemailMs.median, k.opensslMs.median);
  const withoutStart = ratio(k.homemailMs.median, k.opensslMs.median - k.opensslStartMs);
  return {
    keygen_rsa2048_ms: figure(round(k.homemailMs.median), 'ms', { kind: 'limit', op: '<=', limit: 1.2, judged: r, text: target }, {
      ratio: r === null ? null : round(r, 2),
      ratio_without_openssl_start: withoutStart === null ? null : round(withoutStart, 2),
      samples: k.runs,
      bits: k.bits,
      range_ms: [round(Math.min(...k.homemailMs.samples)), round(Math.max(...k.homemailMs.samples))],
      how: 'generateDkimKey (node-forge on Node\'s native crypto, PEM and p= included), alternating with openssl genrsa',
      node_openssl: k.nodeOpenssl,
    }),
    openssl_genrsa2048_ms: figure(round(k.opensslMs.median), 'ms', { kind: 'reference', text: 'reference' }, {
      samples: k.runs,
      range_ms: [round(Math.min(...k.opensslMs.samples)), round(Math.max(...k.opensslMs.samples))],
      openssl_start_ms: round(k.opensslStartMs),
      system_openssl: k.systemOpenssl,
    }),
  };
}

function changeResults(c: ChangeFigures | Error): Pick<Results, 'inspect_round_trips' | 'apply_round_trips' | 'apply_seconds_at_100ms_rtt'> {
  const targets = { inspect: '= 1', apply: '<= 4 (any number of files)', seconds: '< 2 s excluding service restarts' };
  if (c instanceof Error) {
    return {
      inspect_round_trips: missing('', targets.inspect, errorText(c)),
      apply_round_trips: missing('', targets.apply, errorText(c)),
      apply_seconds_at_100ms_rtt: missing('s', targets.seconds, errorText(c)),
    };
  }
  const runs = [c.local.fresh, c.local.again, c.local.twoKeys, c.delayed.fresh, c.delayed.again, c.delayed.twoKeys];
  const worstTrips = Math.max(...runs.map((r) => r.roundTrips));
  const d = c.delayed.fresh;
  const restartMs = d.stagesMs?.['restart'] ?? null;
  const healthMs = d.stagesMs?.['health'] ?? null;
  const excluded = restartMs === null ? null : d.seconds - restartMs / 1000;
  const stageSeconds = (r: typeof d) => (r.stagesMs === null ? null : Object.fromEntries(Object.entries(r.stagesMs).map(([k, v]) => [k, round(v / 1000, 2)])));
  return {
    inspect_round_trips: figure(c.inspectRoundTrips, '', { kind: 'limit', op: '=', limit: 1, judged: c.inspectRoundTrips, text: targets.inspect }, {
      plan_round_trips: c.planRoundTrips,
      counted: 'SshSession.roundTrips (commands and SFTP operations after login)',
    }),
    apply_round_trips: figure(c.local.fresh.roundTrips, '', { kind: 'limit', op: '<=', limit: 4, judged: worstTrips, text: targets.apply }, {
      judged_on: 'the most of six applies (fresh / same again / two RSA keys, at 0 and 100 ms RTT)',
      fresh_one_key: { round_trips: c.local.fresh.roundTrips, files: c.local.fresh.files },
      same_again_unchanged: { round_trips: c.local.again.roundTrips, changed: c.local.again.changed },
      two_rsa_keys: { round_trips: c.local.twoKeys.roundTrips, files: c.local.twoKeys.files },
      rsa_and_ed25519: { round_trips: c.rsaEd25519.roundTrips, files: c.rsaEd25519.files, outcome: c.rsaEd25519.outcome },
      most: worstTrips,
    }),
    apply_seconds_at_100ms_rtt: figure(excluded === null ? null : round(excluded, 2), 's', { kind: 'limit', op: '<', limit: 2, judged: excluded, text: targets.seconds }, {
      ...(excluded === null ? { error: 'the server reported no stage timings, so restarts could not be excluded' } : {}),
      raw_seconds: round(d.seconds, 2),
      restart_seconds: restartMs === null ? null : round(restartMs / 1000, 2),
      health_seconds: healthMs === null ? null : round(healthMs / 1000, 2),
      excluding_restart_and_health_seconds: restartMs === null || healthMs === null ? null : round(d.seconds - (restartMs + healthMs) / 1000, 2),
      server_stages_seconds: stageSeconds(d),
      outside_server_transaction_seconds: d.serverMs === null ? null : round(d.seconds - d.serverMs / 1000, 2),
      latency_cost_seconds: round(d.seconds - c.local.fresh.seconds, 2),
      added_rtt_ms: c.delayed.rttMs,
      how: 'applyChanges on an open SSH session (as the wizard does) on a freshly reset host, through a TCP proxy delaying each direction by half the RTT; restart = the server\'s restart stage (service reloads/restarts)',
      connect_login_seconds: round(c.delayed.connectSeconds, 2),
      inspect_seconds: round(c.delayed.inspectSeconds, 2),
      same_again_unchanged_seconds: round(c.delayed.again.seconds, 2),
      two_keys_raw_seconds: round(c.delayed.twoKeys.seconds, 2),
      two_keys_restart_seconds: c.delayed.twoKeys.stagesMs?.['restart'] === undefined ? null : round(c.delayed.twoKeys.stagesMs['restart'] / 1000, 2),
      at_0ms_rtt: { raw_seconds: round(c.local.fresh.seconds, 2), server_stages_seconds: stageSeconds(c.local.fresh) },
    }),
  };
}

/**
 * Every predictable query is sent at once, so a run costs one answer, except where an answer
 * names what to ask next and the name could not be guessed: PTR → host → A is then two
 * answers in sequence, about 2 x the slowest query, beyond the 1.5 x target by nature.
 */
function chainFloor(v: VerifyFigures): Record<string, unknown> {
  const c = v.dependentChain;
  const r = ratio(c.medianRun.wallMs, c.medianRun.slowestQueryMs);
  return {
    note: 'inherent floor when a dependent name is unpredictable: two answers in sequence (~2 x slowest query); the judged run needs one, as its PTR and MX name mail.example.test is asked ahead',
    chain: c.chain,
    wall_ms: c.medianRun.wallMs,
    slowest_query_ms: c.medianRun.slowestQueryMs,
    ratio: r === null ? null : round(r, 2),
    samples_ms: c.wallMs,
    checks_failed: c.checksFailed,
  };
}

function verifyResults(v: VerifyFigures | Error): Pick<Results, 'verify_wall_ms' | 'verify_slowest_query_ms'> {
  const target = '<= 1.5 x slowest query';
  if (v instanceof Error) return { verify_wall_ms: missing('ms', target, errorText(v)), verify_slowest_query_ms: missing('ms', 'reference', errorText(v)) };
  const r = ratio(v.medianRun.wallMs, v.medianRun.slowestQueryMs);
  return {
    verify_wall_ms: figure(v.medianRun.wallMs, 'ms', { kind: 'limit', op: '<=', limit: 1.5, judged: r, text: target }, {
      ratio: r === null ? null : round(r, 2),
      runs: v.runs,
      samples_ms: v.wallMs,
      queries: v.queries,
      added_delay_ms: v.delayMs,
      checks_failed: v.checksFailed,
      how: 'verifyDns against nsd behind a UDP proxy holding each answer 50 ms; the median run of 7 after one warm-up; public-address discovery and blocklists off (they need the Internet)',
      verify_dependent_chain_floor: chainFloor(v),
    }),
    verify_slowest_query_ms: figure(v.medianRun.slowestQueryMs, 'ms', { kind: 'reference', text: 'reference' }, {
      slowest_query: v.slowestQuery,
      samples_ms: v.slowestQueryMs,
    }),
  };
}

function webResults(w: WebRssFigures | Error): Pick<Results, 'web_rss_mb'> {
  const target = '<= 120 MB';
  if (w instanceof Error) return { web_rss_mb: missing('MB', target, errorText(w)) };
  return {
    web_rss_mb: figure(round(w.rssMb), 'MB', { kind: 'limit', op: '<=', limit: 120, judged: w.rssMb, text: target }, {
      start_rss_mb: round(w.startRssMb),
      peak_rss_mb: round(w.peakRssMb),
      calls: w.calls.map((c) => `${c.name} ${c.ms} ms`),
      how: w.method,
    }),
  };
}

type ReportsKeys = 'reports_parse_mb_per_s' | 'reports_elementtree_mb_per_s' | 'reports_peak_rss_mb' | 'reports_hostile_peak_rss_mb' | 'reports_big_message_peak_rss_mb' | 'maildir_read_s';
const REPORTS_KEYS: readonly ReportsKeys[] = ['reports_parse_mb_per_s', 'reports_elementtree_mb_per_s', 'reports_peak_rss_mb', 'reports_hostile_peak_rss_mb', 'reports_big_message_peak_rss_mb', 'maildir_read_s'];

function reportsResults(parse: ParseFigures | Error, rss: { big: ChildRun; hostile: ChildRun; bigAttachment: ChildRun } | Error, maildir: MaildirFigures | Error): Pick<Results, ReportsKeys> {
  const t = { parse: 'ratio to Python ElementTree >= 1', big: '<= 300 MB', hostile: '<= 256 MB and <= 5 s', bigMessage: '<= 256 MB', maildir: '<= 2 x mbox time' };
  const parseFig =
    parse instanceof Error
      ? { reports_parse_mb_per_s: missing('MB/s', t.parse, errorText(parse)), reports_elementtree_mb_per_s: missing('MB/s', 'reference', errorText(parse)) }
      : (() => {
          const r = ratio(parse.homemailMbPerS, parse.pythonMbPerS);
          // Judged as reference / value so that "at least as fast" is a <= limit.
          const inverse = r === null ? null : 1 / r;
          return {
            reports_parse_mb_per_s: figure(round(parse.homemailMbPerS, 1), 'MB/s', { kind: 'limit', op: '<=', limit: 1, judged: inverse, text: t.parse }, {
              ratio: r === null ? null : round(r, 2),
              sample: 'parsedmarc samples/aggregate/!large-example.com!1711897200!1711983600.xml (largest public sample)',
              sample_bytes: parse.sampleBytes,
              rows: parse.rows,
              runs: parse.runs,
              how: 'median of runs: bytes -> text (encoding detection) -> report rows with every field (parseAggregateReport), in-process; 1 MB = 1 MiB',
            }),
            reports_elementtree_mb_per_s:
              parse.pythonMbPerS === null
                ? missing('MB/s', 'reference', parse.pythonError ?? 'python3 failed')
                : figure(round(parse.pythonMbPerS, 1), 'MB/s', { kind: 'reference', text: 'reference' }, { how: 'python3 xml.etree.ElementTree.fromstring + the same fields per record, median of the same number of runs' }),
          };
        })();
  const rssFig =
    rss instanceof Error
      ? {
          reports_peak_rss_mb: missing('MB', t.big, errorText(rss)),
          reports_hostile_peak_rss_mb: missing('MB', t.hostile, errorText(rss)),
          reports_big_message_peak_rss_mb: missing('MB', t.bigMessage, errorText(rss)),
        }
      : {
          reports_peak_rss_mb: figure(round(rss.big.peakRssMb), 'MB', { kind: 'limit', op: '<=', limit: 300, judged: rss.big.peakRssMb, text: t.big }, {
            seconds: round(rss.big.seconds, 2),
            rows: rss.big.rows,
            input_mb: round(rss.big.inputMb, 2),
            how: 'a generated 78,000-row report (RFC 7489 appendix C) gzipped in one message, read through the worker thread in its own Node process; peak RSS of that process (main + worker)',
          }),
          reports_hostile_peak_rss_mb: figure(round(rss.hostile.peakRssMb), 'MB', { kind: 'limit', op: '<=', limit: 256, judged: rss.hostile.seconds <= 5 ? rss.hostile.peakRssMb : Number.POSITIVE_INFINITY, text: t.hostile }, {
            seconds: round(rss.hostile.seconds, 2),
            input_mb: round(rss.hostile.inputMb, 2),
            skipped_parts: rss.hostile.skipped,
            how: 'test/unit/reports/hostile.ts (2,000 parts, 40-deep nesting, 2 MB quoted-printable, 8 MB gzip bomb, deep XML), same process setup',
          }),
          reports_big_message_peak_rss_mb: figure(round(rss.bigAttachment.peakRssMb), 'MB', { kind: 'limit', op: '<=', limit: 256, judged: rss.bigAttachment.rows === 2 ? rss.bigAttachment.peakRssMb : Number.POSITIVE_INFINITY, text: t.bigMessage }, {
            seconds: round(rss.bigAttachment.seconds, 2),
            input_mb: round(rss.bigAttachment.inputMb, 1),
            rows: rss.bigAttachment.rows,
            how: 'one message with a ~45 MB quoted-printable XML attachment (a 2-row report padded with 15 MB of unknown elements, bench/reports.ts bigAttachmentMessage), streamed into the worker in 64 KiB pieces as the app streams the mailbox, same process setup; counts only when both rows are read',
          }),
        };
  const maildirFig =
    maildir instanceof Error
      ? { maildir_read_s: missing('s', t.maildir, errorText(maildir)) }
      : (() => {
          const r = ratio(maildir.maildirSeconds, maildir.mboxSeconds);
          return {
            maildir_read_s: figure(round(maildir.maildirSeconds, 2), 's', { kind: 'limit', op: '<=', limit: 2, judged: r, text: t.maildir }, {
              ratio: r === null ? null : round(r, 2),
              mbox_seconds: round(maildir.mboxSeconds, 2),
              messages: maildir.messages,
              mailbox_mb: round(maildir.mailboxMb, 1),
              samples_s: { maildir: maildir.samples.maildir.map((v) => round(v, 2)), mbox: maildir.samples.mbox.map((v) => round(v, 2)) },
              how: 'readMailbox over SSH as admin with sudo on the test host, median of 3 each: one awk over the Maildir files through xargs vs one tail of the mbox; messages split as they stream',
            }),
          };
        })();
  return { ...parseFig, ...rssFig, ...maildirFig };
}

/**
 * `--only=reports`: the report reader's figures alone (parse speed, the three peak RSS runs,
 * and Maildir against mbox on a test host), printed as a table; bench/results.json is left as
 * it is. Run it through test/host/isolated.sh, which gives it a host of its own (no host lock
 * then); elsewhere it takes the host lock.
 */
async function reportsOnly(): Promise<number> {
  const started = performance.now();
  const parse = await step('reports: parse speed against ElementTree', async () => parseFigures());
  const rss = await step('reports: peak RSS, 78,000 rows, the hostile message and one big message', () => rssFigures());
  const maildir = await step('reports: 3,000 reports read as Maildir and as mbox', async () => {
    const availability = hostAvailability();
    if (!availability.ok) throw new Error(`the test host cannot run here: ${availability.reason}`);
    const lock = process.env['HOMEMAIL_HOST_DIR'] === undefined ? await takeHostLock() : null;
    try {
      await buildBase();
      return await maildirFigures(await resetHost('fresh'));
    } finally {
      await hostDown();
      await lock?.release();
    }
  });
  const results = reportsResults(parse, rss, maildir);
  process.stdout.write(`${formatTable(results, REPORTS_KEYS)}\n\n${((performance.now() - started) / 1000).toFixed(0)} s. Node ${process.versions.node}, ${process.arch}.\n`);
  for (const key of REPORTS_KEYS) {
    const f = results[key];
    process.stdout.write(`${key}: ${JSON.stringify(f)}\n`);
  }
  return REPORTS_KEYS.some((key) => results[key].value === null) ? 1 : 0;
}

/**
 * `--only=apply` (or `--only apply`): the apply figures alone (round trips, apply time at 0 and
 * 100 ms RTT) on a fresh host, printed with the whole apply figure; bench/results.json is left
 * as it is. Through test/host/isolated.sh no host lock is taken (the host is its own).
 */
async function applyOnly(): Promise<number> {
  const availability = hostAvailability();
  if (!availability.ok) {
    log(`the test host cannot run here: ${availability.reason}`);
    return 1;
  }
  const lock = process.env['HOMEMAIL_HOST_DIR'] === undefined ? await takeHostLock() : null;
  let change: ChangeFigures | Error;
  try {
    const up = await step('test host up (fresh)', async () => {
      await buildBase();
      return resetHost('fresh');
    });
    change = up instanceof Error ? up : await step('round trips and apply at 0 and 100 ms RTT', () => changeFigures(up));
  } finally {
    await step('test host down', () => hostDown());
    await lock?.release();
  }
  const results = changeResults(change);
  const keys = ['inspect_round_trips', 'apply_round_trips', 'apply_seconds_at_100ms_rtt'] as const;
  process.stdout.write(`${formatTable(results, keys)}\n`);
  process.stdout.write(`apply_seconds_at_100ms_rtt: ${JSON.stringify(results.apply_seconds_at_100ms_rtt, null, 2)}\n`);
  return keys.some((key) => results[key].value === null) ? 1 : 0;
}

async function main(): Promise<number> {
  if (only === 'reports') return reportsOnly();
  if (only === 'apply') return applyOnly();
  if (only !== null) {
    log(`--only takes apply or reports, not "${only}"`);
    return 2;
  }
  const started = performance.now();
  if (!args.has('--no-build')) {
    const built = await step('npm run build', npmBuild);
    if (built instanceof Error) {
      log('the build failed; nothing can be measured');
      return 1;
    }
  }
  const keygen = await step(`keygen: ${keygenRuns} RSA-2048 keys each`, () => keygenFigures(keygenRuns));
  const gzip = await step('renderer JS gzip size', () => rendererJsGzipKb());
  const paint = await step('first paint in headless Chromium', () => firstPaintMs());
  const statusPage = await step('status page data: a year of daily checks and 10,000 report rows', () => statusPageFigures());
  const reportsParse = await step('reports: parse speed against ElementTree', async () => parseFigures());
  const reportsRss = await step('reports: peak RSS, 78,000 rows and the hostile message', () => rssFigures());
  const host = await step('test host figures', hostPart);
  const hostError = host instanceof Error ? host : null;
  const part = <T>(pick: (h: HostPart) => T | Error): T | Error => (hostError ?? pick(host as HostPart));

  const results: Results = {
    ...keygenResults(keygen),
    ...changeResults(part((h) => h.change)),
    ...verifyResults(part((h) => h.verify)),
    renderer_js_gzip_kb:
      gzip instanceof Error
        ? missing('kB', '<= 250 kB', errorText(gzip))
        : figure(round(gzip), 'kB', { kind: 'limit', op: '<=', limit: 250, judged: gzip, text: '<= 250 kB' }, { how: 'every .js file in dist/renderer, gzip -9, 1 kB = 1000 bytes' }),
    first_paint_ms:
      paint instanceof Error
        ? missing('ms', '<= 500 ms', errorText(paint))
        : figure(round(paint.median), 'ms', { kind: 'limit', op: '<=', limit: 500, judged: paint.median, text: '<= 500 ms' }, {
            samples_ms: paint.samples.map((s) => round(s)),
            how: 'first-contentful-paint of the first step, headless Chromium through homemail web, median of 7 cold loads (new context each)',
          }),
    ...webResults(part((h) => h.web)),
    status_page_ms:
      statusPage instanceof Error
        ? missing('ms', '<= 300 ms', errorText(statusPage))
        : figure(round(statusPage.ms.median), 'ms', { kind: 'limit', op: '<=', limit: 300, judged: statusPage.ms.median, text: '<= 300 ms' }, {
            samples_ms: statusPage.ms.samples.map((s) => round(s)),
            store: { runs: statusPage.runs, checks: statusPage.checks, report_rows: statusPage.reportRows, reports: statusPage.reports, bytes: statusPage.storeBytes },
            fill_seconds: round(statusPage.fillSeconds, 1),
            how: 'open the history store file and build the Status page data (watchStatus: newest runs with checks, last changes, DMARC trends per day, reporter and source) plus JSON, median of 15 after a warm-up',
          }),
    ...reportsResults(reportsParse, reportsRss, part((h) => h.maildir)),
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  const lockWait = host instanceof Error ? '' : `, of which ${host.lockWaitSeconds} s waiting for the host lock`;
  process.stdout.write(`${formatTable(results)}\n\nWritten to ${RESULTS_FILE}; ${seconds.toFixed(0)} s in all${lockWait}. Node ${process.versions.node}, ${process.arch}.\n`);
  const floor = results.verify_wall_ms['verify_dependent_chain_floor'] as { chain: string; wall_ms: number; ratio: number | null } | undefined;
  if (floor) process.stdout.write(`verify_dependent_chain_floor: ${floor.wall_ms} ms (ratio ${floor.ratio ?? 'n/a'}) when a name must wait for an answer (${floor.chain}): two answers in sequence\n`);
  for (const [key, f] of Object.entries(results) as [string, Figure][]) if (f.error !== undefined) process.stdout.write(`${key}: ${f.error}\n`);
  return hasErrors(results) ? 1 : 0;
}

process.exitCode = await main();
