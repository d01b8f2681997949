import type { ReportsProgress } from '../../../shared/contract/reports.js';
import type { AggregateReport, KnownIssue, ReportsResult, SkippedReport } from '../../../shared/reports.js';
import type { RemoteSession } from '../ssh/types.js';
import { defaultArchiveLimits, type ArchiveLimits } from './archive.js';
import { reportsFromMessage } from './extract.js';
import { detectSpamAssassinDkimWarning } from './knownIssues.js';
import { recommendNextPolicy } from './recommend.js';
import { discoverMailbox, readMailbox, reverseNames } from './remote.js';
import { summarize } from './summarize.js';

export interface ReadReportsOptions {
  /** The report address (default: the rua of the domain's DMARC record). */
  address?: string | undefined;
  /** The mail domain (default: Postfix's mydomain). */
  domain?: string | undefined;
  /** Days of reports to sum and to judge the next DMARC step on. */
  days: number;
  /** Most bytes of mail read per mailbox (newest first). */
  capBytes?: number;
  limits?: ArchiveLimits;
  now: Date;
  signal?: AbortSignal;
  progress?: (event: ReportsProgress) => void;
}


export const DEFAULT_CAP_BYTES = 64 * 1024 * 1024;
/** Reverse lookups for at most this many sources (the busiest). */
const MAX_REVERSE_LOOKUPS = 64;

/** Reads, parses and sums the DMARC aggregate reports in the report mailbox. */
export async function readReports(session: RemoteSession, options: ReadReportsOptions): Promise<ReportsResult> {
  const startTrips = session.roundTrips;
  const progress = options.progress ?? (() => undefined);
  progress({ kind: 'phase', phase: 'mailbox', done: 0, total: 4 });
  const discovery = await discoverMailbox(session, { address: options.address, domain: options.domain, signal: options.signal });
  progress({ kind: 'phase', phase: 'messages', done: 1, total: 4 });
  const contents = await readMailbox(session, discovery.mailbox, options.capBytes ?? DEFAULT_CAP_BYTES, options.signal);

  progress({ kind: 'phase', phase: 'parse', done: 2, total: 4 });
  const all: AggregateReport[] = [];
  const skipped: SkippedReport[] = [];
  for (const message of contents.messages) {
    const extracted = reportsFromMessage(message, options.limits ?? defaultArchiveLimits);
    all.push(...extracted.reports);
    skipped.push(...extracted.skipped);
  }
  const since = new Date(options.now.getTime() - options.days * 86_400_000);
  const first = summarize({ reports: all, ownNetworks: discovery.ownNetworks, since });

  progress({ kind: 'phase', phase: 'names', done: 3, total: 4 });
  const names = await reverseNames(
    session,
    first.sources.slice(0, MAX_REVERSE_LOOKUPS).map((s) => s.sourceIp),
    options.signal,
  );
  const summary = summarize({ reports: all, ownNetworks: discovery.ownNetworks, since, reverseNames: names });
  progress({ kind: 'phase', phase: 'names', done: 4, total: 4 });

  const domain = options.domain ?? (discovery.domain || summary.reports[0]?.policy.domain || '');
  const knownIssue: KnownIssue | null = detectSpamAssassinDkimWarning(contents.logLines, contents.versions);
  return {
    mailbox: discovery.mailbox,
    messagesRead: contents.messages.length,
    bytesRead: contents.bytesRead,
    truncated: contents.truncated,
    reports: summary.reports.length,
    duplicates: summary.duplicates,
    reporters: summary.reporters,
    sources: summary.sources,
    timeline: summary.timeline,
    skipped,
    recommendation:
      domain === ''
        ? null
        : recommendNextPolicy({ domain, reports: summary.reports, sources: summary.sources, periodDays: options.days, reportAddress: discovery.mailbox.address, currentRecord: discovery.dmarcRecord }),
    knownIssues: knownIssue === null ? [] : [knownIssue],
    roundTrips: session.roundTrips - startTrips,
  };
}
