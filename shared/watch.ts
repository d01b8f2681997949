/**
 * Keeping watch: what the history store holds and what `homemail status` and the Status page
 * show (the current state of every check, what changed since the previous run, DMARC trends).
 * Pure data, no Node.
 */
import type { CheckArea, CheckStatus } from './checks.js';
import type { SerializedError } from './errors.js';
import { englishText } from './i18n/english.js';
import { csvCell } from './reports.js';
import type { RotationStatus } from './rotation.js';

/** Where a result came from. `outbound` is reserved for the outbound checks (issue 15). */
export type RunKind = 'verify' | 'send-test' | 'inbound' | 'outbound';

export const runKinds: readonly RunKind[] = ['verify', 'send-test', 'inbound', 'outbound'];

/** A server as the store names it: never a secret, only where it is and which key it showed. */
export interface ServerIdentity {
  host: string;
  port: number;
  /** `SHA256:…` of the host key seen at the run, when the run connected. */
  hostKeyFingerprint: string | null;
}

/** A saved watch target: what `homemail watch --once` checks when no target is given. */
export interface WatchTarget {
  id: number;
  domain: string;
  /** `user@host:port` as given to --ssh, or null for DNS-only watching. */
  ssh: string | null;
  /** Private key file for the SSH checks (no passphrase: watching never prompts). */
  identityFile: string | null;
  selectors: string[];
  /** `S:FILE` key files given with --dkim (the public half is read from them each run). */
  dkimFiles: string[];
  resolvers: string[];
  addresses: string[];
}

/** One check as stored: its status and the values it was judged on. */
export interface StoredCheck {
  checkId: string;
  area: CheckArea | 'inbound' | 'tls';
  status: CheckStatus;
  /** The English title and finding (the wizard re-renders from key + params). */
  title: string;
  found: string | null;
  titleKey: string | null;
  foundKey: string | null;
  params: Record<string, string | number>;
  /** Raw values the change detector compares (a DKIM record's text, a certificate's end date). */
  values: Record<string, string | number | null>;
}

export interface StoredRun {
  id: number;
  kind: RunKind;
  domain: string | null;
  server: ServerIdentity | null;
  /** ISO 8601 UTC. */
  at: string;
  resolvers: string[];
  checks: StoredCheck[];
}

export type ChangeKind =
  | 'dkim-changed'
  | 'dkim-gone'
  | 'dkim-key-mismatch'
  | 'spf-lost-address'
  | 'blocklisted'
  | 'certificate-expiring'
  | 'inbound-blocklist-broken'
  | 'dmarc-new-failing-source'
  | 'dmarc-pass-rate-drop'
  | 'check-worse'
  | 'check-better'
  | 'check-new'
  | 'check-gone';

/** `worse` changes make `watch --once` exit 1 and the desktop app notify. */
export type ChangeSeverity = 'worse' | 'better' | 'info';

export interface WatchChange {
  kind: ChangeKind;
  severity: ChangeSeverity;
  /** The check it is about (`dkim:postfix`), or the DMARC source (`dmarc:192.0.2.1`). */
  subject: string;
  before: string | null;
  after: string | null;
  /** Fills the wizard's `watch.change.<kind>` text. */
  params: Record<string, string | number>;
  /** The English sentence (CLI, --json, notifications). */
  text: string;
  /**
   * The check it compares, before and after, as the history keeps it, so `{{title}}`,
   * `{{before}}` and `{{after}}` are rendered in the reader's language. Null for changes not
   * about one check and for changes stored before schema 5 (their English stays).
   */
  checks?: { before: CheckWords | null; after: CheckWords | null } | null;
}

/** What of a stored check its words are rebuilt from. */
export type CheckWords = Pick<StoredCheck, 'status' | 'title' | 'found' | 'titleKey' | 'foundKey' | 'params'>;

export interface PassRatePoint {
  date: string;
  pass: number;
  fail: number;
}

export interface ReporterTrend {
  orgName: string;
  pass: number;
  fail: number;
}

export interface SourceVolume {
  sourceIp: string;
  count: number;
  fail: number;
}

export interface DmarcTrends {
  reports: number;
  rows: number;
  daily: PassRatePoint[];
  reporters: ReporterTrend[];
  sources: SourceVolume[];
}

/** A check a watch could not run: what (`watch.skip.<what>` in the catalogs) and why. */
export interface WatchSkip {
  what: 'server-none' | 'server-login' | 'inbound' | 'send-test' | 'reports';
  /** The English sentence (CLI, --json). */
  text: string;
  /** Why, in English (an error message); empty when `what` says it all. */
  detail: string;
  /** The same error with its codes, for each door to say in its language. */
  failure?: SerializedError;
}

export function watchSkip(what: WatchSkip['what'], failure?: SerializedError): WatchSkip {
  const title = englishText('watch', `skip.${what}`);
  const detail = failure?.message ?? '';
  return { what, detail, text: detail === '' ? title : `${title}: ${detail}`, ...(failure ? { failure } : {}) };
}

export interface TargetStatus {
  domain: string;
  server: ServerIdentity | null;
  /** The newest run of each kind, with its checks: the current state. */
  latest: StoredRun[];
  /** What changed at the newest run(s) against the run before. */
  changes: WatchChange[];
  /** Checks that were not run at the last watch, and why (no credentials without a prompt, …). */
  skipped: WatchSkip[];
  lastRunAt: string | null;
  runs: number;
  trends: DmarcTrends;
}

export interface WatchStatus {
  storePath: string;
  schemaVersion: number;
  targets: TargetStatus[];
  /** The desktop app's schedule (null outside the desktop app). */
  schedule: WatchSchedule | null;
  /** DKIM key rotations as last seen on each server (a mirror of the servers' state). */
  rotations: Array<{ host: string; status: RotationStatus }>;
}

export interface WatchSchedule {
  enabled: boolean;
  intervalHours: number;
  lastRunAt: string | null;
}

export interface WatchRunResult {
  at: string;
  /** `failed`: why the target could not be watched, in English; `failure`: the same error with its codes, for each door to say in its language. */
  targets: Array<{ domain: string; server: string | null; changes: WatchChange[]; skipped: WatchSkip[]; failed: string | null; failure?: SerializedError }>;
  /** Something got worse at this run. */
  worse: boolean;
}

const severityOrder: Record<ChangeSeverity, number> = { worse: 0, info: 1, better: 2 };

export function sortChanges(changes: readonly WatchChange[]): WatchChange[] {
  return [...changes].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || a.subject.localeCompare(b.subject));
}

/** One domain's history as CSV: a line per stored check (CRLF, formula-safe cells). */
export function historyCsv(runs: readonly StoredRun[]): string {
  const header = ['at', 'kind', 'domain', 'server', 'hostKey', 'resolvers', 'check', 'area', 'status', 'title', 'found'];
  const lines = runs.flatMap((run) =>
    run.checks.map((check) =>
      [
        run.at,
        run.kind,
        run.domain,
        run.server ? `${run.server.host}:${run.server.port}` : null,
        run.server?.hostKeyFingerprint ?? null,
        run.resolvers.join(' '),
        check.checkId,
        check.area,
        check.status,
        check.title,
        check.found,
      ]
        .map(csvCell)
        .join(','),
    ),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
