/**
 * DMARC aggregate reports (RFC 7489 appendix C) as Homemail reads them from the report
 * mailbox, and the summaries the CLI and the Reports page show. Pure data, no Node.
 */

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
  pct: number;
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
}

/** A report that could not be used, and why (never fatal for the others). */
export interface SkippedReport {
  /** Where it came from: message subject or id, and the attachment name. */
  source: string;
  reason: string;
}

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
  key: 'ready' | 'notReady' | 'noReports' | 'atReject' | 'tooFewDays';
  text: string;
  /** The record to publish for `next` (name and one-line value), when there is a next step. */
  record: { name: string; value: string } | null;
  /** Legitimate (own/authorized) sources that did not align in the period. */
  failingSources: string[];
}

export interface KnownIssue {
  key: 'spamassassinDkimVersion';
  severity: 'info' | 'warning';
  text: string;
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
  /** Why some targets were not read (pipes, files, remote addresses). */
  notes: string[];
}

export interface ReportsResult {
  mailbox: ReportMailbox;
  messagesRead: number;
  /** Bytes of mail read over SSH (after the size cap). */
  bytesRead: number;
  /** True when the mailbox held more than the cap and the oldest messages were left out. */
  truncated: boolean;
  reports: number;
  /** Reports with the same reporter and id, counted once. */
  duplicates: number;
  reporters: ReporterSummary[];
  sources: SourceSummary[];
  timeline: DailyPoint[];
  skipped: SkippedReport[];
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
  const header = ['sourceIp', 'reverseName', 'kind', 'count', 'dmarcPass', 'dmarcFail', 'dkimAligned', 'spfAligned', 'none', 'quarantine', 'reject', 'headerFrom', 'reporters'];
  const rows = sources.map((s) =>
    [s.sourceIp, s.reverseName, s.kind, s.count, s.dmarcPass, s.dmarcFail, s.dkimAligned, s.spfAligned, s.dispositions.none, s.dispositions.quarantine, s.dispositions.reject, s.headerFrom.join(' '), s.reporters.join(' ')]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
