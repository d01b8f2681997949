import type { ReportsProgress } from '../../../shared/contract/reports.js';
import type { AggregateReport, KnownIssue, ReportMailbox, ReportPeriod, ReportsResult } from '../../../shared/reports.js';
import type { RemoteSession } from '../ssh/types.js';
import type { ArchiveLimits } from './archive.js';
import type { BudgetLimits } from './budget.js';
import { detectSpamAssassinDkimWarning } from './knownIssues.js';
import { ReportWorker } from './parseInWorker.js';
import { recommendNextPolicy } from './recommend.js';
import { discoverMailbox, readMailbox, reverseNames } from './remote.js';
import type { MessageKey } from './seenList.js';
import type { MailPiece } from './workerProtocol.js';
import { readerNote, reportSentence } from './sentences.js';
import { reportIsFor, summarize, withReverseNames } from './summarize.js';

export interface ReadReportsOptions {
  /** The report address (default: the rua of the domain's DMARC record). */
  address?: string | undefined;
  /** The mail domain (default: Postfix's mydomain). */
  domain?: string | undefined;
  /** Which reports to sum and judge the next DMARC step on. */
  period: ReportPeriod;
  /** Most bytes of mail read per mailbox (newest first). */
  capBytes?: number;
  limits?: ArchiveLimits;
  budget?: BudgetLimits;
  now: Date;
  signal?: AbortSignal | undefined;
  progress?: ((event: ReportsProgress) => void) | undefined;
  /** Every report of the period, once each (the watch stores them in the history). */
  onReports?: ((reports: readonly AggregateReport[]) => void) | undefined;
  /** Read only new mail (the watch); the wizard and `homemail reports` read the whole period. */
  incremental?: IncrementalReading | undefined;
}

export interface IncrementalReading {
  /** The messages already read from this mailbox: the server names them but does not send them. */
  seen: (mailbox: ReportMailbox) => readonly MessageKey[];
  /**
   * The messages read this time, to remember once their reports are stored; not called when the
   * reader stopped before reading every message (they are read again next time).
   */
  onRead: (mailbox: ReportMailbox, messages: readonly MessageKey[]) => void;
}

export const DEFAULT_CAP_BYTES = 64 * 1024 * 1024;
/** Reverse lookups for at most this many sources (the busiest). */
const MAX_REVERSE_LOOKUPS = 64;
const DAY_MS = 86_400_000;
/** Characters of mail handed to the worker at a time. */
const BATCH_CHARS = 256 * 1024;
/** Characters of mail handed over and not parsed yet, past which the mailbox is not read. */
const IN_FLIGHT_CHARS = 4 * 1024 * 1024;

/** The start of the period (null: every report read). */
export function periodStart(period: ReportPeriod, now: Date): Date | null {
  if (period.kind === 'days') return new Date(now.getTime() - period.days * DAY_MS);
  if (period.kind === 'since') return new Date(`${period.date}T00:00:00Z`);
  return null;
}

/** Reads, parses (in a worker thread, while the mail arrives) and sums the DMARC aggregate reports in the report mailbox. */
export async function readReports(session: RemoteSession, options: ReadReportsOptions): Promise<ReportsResult> {
  const startTrips = session.roundTrips;
  const progress = options.progress ?? (() => undefined);
  progress({ kind: 'phase', phase: 'mailbox', done: 0, total: 4 });
  const discovery = await discoverMailbox(session, { address: options.address, domain: options.domain, signal: options.signal });
  progress({ kind: 'phase', phase: 'messages', done: 1, total: 4 });

  let received = 0;
  let announced: number | null = null;
  let lastProgress = 0;
  const worker = new ReportWorker({
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    signal: options.signal,
    onBatch: (messagesRead) => progress({ kind: 'read', bytes: received, totalBytes: announced, messagesParsed: messagesRead }),
  });
  // Mail goes to the worker piece by piece as it arrives, never whole messages; the mailbox is
  // read no faster than the worker parses (at most IN_FLIGHT_CHARS wait for it).
  let batch: MailPiece[] = [];
  let batchChars = 0;
  const flush = () => {
    worker.pushPieces(batch);
    batch = [];
    batchChars = 0;
  };
  let contents;
  try {
    contents = await readMailbox(session, discovery.mailbox, options.capBytes ?? DEFAULT_CAP_BYTES, {
      signal: options.signal,
      seen: options.incremental?.seen(discovery.mailbox),
      messageSink: {
        begin: () => batch.push({ kind: 'begin' }),
        text: (text) => {
          batch.push({ kind: 'text', text });
          batchChars += text.length;
        },
        end: () => batch.push({ kind: 'end' }),
      },
      pace: () => {
        if (batchChars >= BATCH_CHARS) flush();
        return worker.whenBelow(IN_FLIGHT_CHARS);
      },
      onProgress: (chars, total) => {
        received = chars;
        announced = total;
        const now = performance.now();
        if (now - lastProgress > 200) {
          lastProgress = now;
          progress({ kind: 'read', bytes: chars, totalBytes: total, messagesParsed: null });
        }
      },
    });
  } catch (error) {
    worker.cancel();
    throw error;
  }
  flush();
  progress({ kind: 'phase', phase: 'parse', done: 2, total: 4 });
  const parsed = await worker.finish();

  const since = periodStart(options.period, options.now);
  const first = summarize({ reports: parsed.reports, ownNetworks: discovery.ownNetworks, ...(since === null ? {} : { since }), ...(options.domain === undefined ? {} : { domain: options.domain }) });
  // The rows are summed: let them go before the reverse lookups.
  parsed.reports.length = 0;

  progress({ kind: 'phase', phase: 'names', done: 3, total: 4 });
  const names = await reverseNames(
    session,
    [...new Set(first.sources.map((s) => s.sourceIp))].slice(0, MAX_REVERSE_LOOKUPS),
    options.signal,
  );
  const summary = withReverseNames(first, names);
  options.onReports?.(summary.reports);
  if (parsed.messagesLeftOut === 0) options.incremental?.onRead(discovery.mailbox, contents.newKeys);
  progress({ kind: 'phase', phase: 'names', done: 4, total: 4 });

  const coveredDays = summary.reports.length === 0 ? 0 : (Math.max(...summary.reports.map((r) => Date.parse(r.end))) - Math.min(...summary.reports.map((r) => Date.parse(r.begin)))) / DAY_MS;
  const periodDays = since === null ? Math.max(1, Math.round(coveredDays)) : Math.max(1, Math.round((options.now.getTime() - since.getTime()) / DAY_MS));
  const domain = options.domain ?? (discovery.domain || summary.reports[0]?.policy.domain || '');
  const otherDomains = summary.otherDomains.reports === 0 ? [] : [readerNote(reportSentence('otherDomains', { count: summary.otherDomains.reports, domains: summary.otherDomains.domains.join(', '), domain }))];
  const knownIssue: KnownIssue | null = detectSpamAssassinDkimWarning(contents.logLines, contents.versions);
  return {
    mailbox: discovery.mailbox,
    messagesRead: contents.messageCount,
    bytesRead: contents.bytesRead,
    truncated: contents.truncated,
    period: options.period,
    reports: summary.reports.length,
    duplicates: summary.duplicates,
    reporters: summary.reporters,
    sources: summary.sources,
    timeline: summary.timeline,
    skipped: parsed.skipped,
    notes: [...parsed.notes, ...otherDomains],
    recommendation:
      domain === ''
        ? null
        : recommendNextPolicy({ domain, reports: summary.reports, sources: summary.sources.filter((s) => reportIsFor(s.domain, domain)), periodDays, reportAddress: discovery.mailbox.address, currentRecord: discovery.dmarcRecord }),
    knownIssues: knownIssue === null ? [] : [knownIssue],
    roundTrips: session.roundTrips - startTrips,
  };
}
