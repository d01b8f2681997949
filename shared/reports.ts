/**
 * DMARC aggregate reports (RFC 7489 appendix C) as Homemail reads them from the report
 * mailbox, and the summaries the CLI and the Reports page show. Pure data, no Node.
 */
import type { KeyedText, TextParams } from './i18n/keyedText.js';

export type DmarcResult = 'pass' | 'fail';
export type Disposition = 'none' | 'quarantine' | 'reject';
export type DmarcPolicyName = 'none' | 'quarantine' | 'reject';

/** One `<record>` of a report: a source address and what the receiver saw from it. */
export interface ReportRow {
  sourceIp: string;
  count: number;
  disposition: Disposition;
  /** DMARC's own evaluation: DKIM aligned-and-passed (`pass`) or not. */
  dkim: DmarcResult;
  /** DMARC's own evaluation: SPF aligned-and-passed (`pass`) or not. */
  spf: DmarcResult;
  headerFrom: string;
  envelopeFrom: string | null;
  /** Raw `<auth_results>`: each DKIM signature and SPF check the receiver ran. */
  dkimResults: Array<{ domain: string; selector: string | null; result: string }>;
  spfResults: Array<{ domain: string; scope: string | null; result: string }>;
  /** `<reason><type>`s (forwarded, mailing_list, local_policy, …). */
  reasons: string[];
}

export interface PublishedPolicy {
  domain: string;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  p: DmarcPolicyName;
  sp: DmarcPolicyName | null;
  /** RFC 7489 `pct`; null when absent (RFC 9990 reports have no pct: the whole mail stream). */
  pct: number | null;
  /** RFC 9990 `np`: the policy for non-existent subdomains. */
  np: DmarcPolicyName | null;
  /** RFC 9990 `testing` (`t=y`): the policy is published in test mode and not enforced. */
  testing: boolean | null;
  /** RFC 9990 `discovery_method`: how the receiver found the policy (`psl` or `treewalk`). */
  discoveryMethod: 'psl' | 'treewalk' | null;
}

export interface AggregateReport {
  orgName: string;
  email: string | null;
  reportId: string;
  /** ISO 8601 (UTC). */
  begin: string;
  end: string;
  policy: PublishedPolicy;
  rows: ReportRow[];
  /** SHA-256 (hex) of the report's rows as read: with reporter, id and dates, the report's identity. */
  rowsHash: string;
  /** What the reader had to work around (an empty org_name, skipped rows, a legacy encoding). */
  notes: KeyedText[];
}

/** Which reports to count: the last N days, since a date (YYYY-MM-DD, UTC), or every report read. */
export type ReportPeriod = { kind: 'days'; days: number } | { kind: 'since'; date: string } | { kind: 'all' };

/** Report identity: reporter + report id + date range + rows. The same report delivered twice counts once. */
export function reportIdentity(report: Pick<AggregateReport, 'orgName' | 'reportId' | 'begin' | 'end' | 'rowsHash'>): string {
  return [report.orgName.toLowerCase(), report.reportId, report.begin, report.end, report.rowsHash].join('\u0000');
}

/** A report that could not be used, and why (never fatal for the others). */
export interface SkippedReport {
  /** Where it came from: message subject or id, and the attachment name. */
  source: string;
  /** In English; the same as `code` (under `reports.note.` in the catalogs) with `params`, when the reader gave one. */
  reason: string;
  code?: string;
  params?: TextParams;
  /** When the source is a word of the catalogs (`reports.note.<sourceCode>`), not a message. */
  sourceCode?: string;
}

/** Something worth knowing that did not stop a report: a fallback, skipped rows, a TLS report, a budget hit. */
export type ReportNote = SkippedReport;

export interface ReporterSummary {
  orgName: string;
  email: string | null;
  domain: string;
  reports: number;
  firstBegin: string;
  lastEnd: string;
  messages: number;
  /** Messages that passed DMARC (aligned DKIM or aligned SPF). */
  pass: number;
  fail: number;
}

/**
 * Who a source is:
 * - `own`: one of the person's servers (its addresses, or the domain's SPF networks);
 * - `authorized`: not listed as own, but passes aligned SPF (a service the SPF record includes);
 * - `forwarder`: passes aligned DKIM only, or the receiver said it was forwarded / a list;
 * - `forger`: nothing aligned: someone else using the domain.
 */
export type SourceKind = 'own' | 'authorized' | 'forwarder' | 'forger';

export interface SourceSummary {
  sourceIp: string;
  /** The domain whose reports these rows are from (the one asked for, or the report's policy_published domain): each domain's sums stay apart. */
  domain: string;
  count: number;
  /** PTR name through the server's resolver; null when none. */
  reverseName: string | null;
  kind: SourceKind;
  /** Messages whose DKIM / SPF was aligned and passed (DMARC's view). */
  dkimAligned: number;
  spfAligned: number;
  dmarcPass: number;
  dmarcFail: number;
  dispositions: Record<Disposition, number>;
  /** Raw results seen, e.g. `{ "pass": 12, "fail": 1 }`. */
  dkimResults: Record<string, number>;
  spfResults: Record<string, number>;
  headerFrom: string[];
  reporters: string[];
}

/** Messages per UTC day of the report periods (a report's count is spread on its start day). */
export interface DailyPoint {
  date: string;
  pass: number;
  fail: number;
}

export interface DmarcRecommendation {
  domain: string;
  current: DmarcPolicyName;
  /** The next step, or null when staying put (not ready, or already at reject). */
  next: DmarcPolicyName | null;
  /** Days of reports looked at. */
  periodDays: number;
  /** English explanation (the wizard translates `key`). */
  key: 'ready' | 'notReady' | 'noReports' | 'atReject' | 'tooFewDays' | 'testing';
  text: string;
  /** `text` as a code under `reports.recText.` with params. */
  code: string;
  params: TextParams;
  /** The record to publish for `next` (name and one-line value), when there is a next step. */
  record: { name: string; value: string } | null;
  /** Legitimate (own/authorized) sources that did not align in the period. */
  failingSources: string[];
  /** The latest report's published policy as receivers saw it (RFC 9990 fields included). */
  published: PublishedPolicy | null;
}

export interface KnownIssue {
  key: 'spamassassinDkimVersion';
  severity: 'info' | 'warning';
  text: string;
  /** `text` as a code under `reports.issue.` with params; `fix` is `reports.issue.<fixCode>`. */
  code: string;
  params: TextParams;
  fixCode: string;
  /** What was seen: log lines or package versions. */
  evidence: string[];
  fix: string;
}

export interface ReportMailbox {
  /** The report address the mailbox was found from (rua), or null when guessed from aliases. */
  address: string | null;
  /** Local users the address delivers to (after /etc/aliases). */
  users: string[];
  /** Where the mail sits: mbox files or Maildir folders. */
  paths: Array<{ path: string; format: 'mbox' | 'maildir' }>;
  /** Why some targets were not read (pipes, files, remote addresses), in English… */
  notes: string[];
  /** …and as codes under `reports.note.` with params. */
  keyedNotes: KeyedText[];
}

export interface ReportsResult {
  mailbox: ReportMailbox;
  messagesRead: number;
  /** Bytes of mail read over SSH (after the size cap). */
  bytesRead: number;
  /** True when the mailbox held more than the cap and the oldest messages were left out. */
  truncated: boolean;
  reports: number;
  /** Reports with the same identity (reporter, id, dates and rows), counted once. */
  duplicates: number;
  /** The period the totals cover. */
  period: ReportPeriod;
  reporters: ReporterSummary[];
  sources: SourceSummary[];
  timeline: DailyPoint[];
  skipped: SkippedReport[];
  /** Reports read with a workaround, TLS reports seen, the reading budget hit. */
  notes: ReportNote[];
  recommendation: DmarcRecommendation | null;
  knownIssues: KnownIssue[];
  roundTrips: number;
}

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would read as a formula (`=`,
 * `+`, `-`, `@`, tab, CR at the start) get a leading apostrophe: reverse names come from
 * other people's DNS.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The per-source table as CSV (header line first, CRLF line ends). */
export function sourcesCsv(sources: readonly SourceSummary[]): string {
  const header = ['sourceIp', 'reverseName', 'kind', 'count', 'dmarcPass', 'dmarcFail', 'dkimAligned', 'spfAligned', 'none', 'quarantine', 'reject', 'headerFrom', 'reporters', 'domain'];
  const rows = sources.map((s) =>
    [s.sourceIp, s.reverseName, s.kind, s.count, s.dmarcPass, s.dmarcFail, s.dkimAligned, s.spfAligned, s.dispositions.none, s.dispositions.quarantine, s.dispositions.reject, s.headerFrom.join(' '), s.reporters.join(' '), s.domain]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
