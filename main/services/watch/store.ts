import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { CheckArea, CheckStatus } from '../../../shared/checks.js';
import { keyedError } from '../../../shared/errors.js';
import { reportIdentity, type AggregateReport, type PublishedPolicy, type ReportRow } from '../../../shared/reports.js';
import type {
  ChangeKind,
  ChangeSeverity,
  DmarcTrends,
  RunKind,
  ServerIdentity,
  StoredCheck,
  StoredRun,
  WatchChange,
  WatchSchedule,
  WatchSkip,
  WatchTarget,
} from '../../../shared/watch.js';
import { migrations, schemaVersion } from './migrations.js';
import type { MessageKey } from '../reports/seenList.js';
import type { RotationStatus } from '../../../shared/rotation.js';

type Row = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const json = <T>(value: unknown, fallback: T): T => {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
};

/** Opens (and creates) a store file; `:memory:` for a throwaway one. */
export function openHistoryStore(file: string): HistoryStore {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return new HistoryStore(new DatabaseSync(file), file);
}

/** Brings a database to the newest schema; returns the version it was at. */
export function migrate(db: DatabaseSync, upTo = schemaVersion): number {
  const from = Number((db.prepare('PRAGMA user_version').get() as Row).user_version ?? 0);
  if (from > schemaVersion) throw keyedError('internal', { key: 'historyStoreNewer', params: { found: from, known: schemaVersion } });
  if (from >= upTo) return from;
  const foreignKeys = Number((db.prepare('PRAGMA foreign_keys').get() as Row).foreign_keys);
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (let version = from + 1; version <= upTo; version += 1) {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(migrations[version - 1] ?? '');
        if (db.prepare('PRAGMA foreign_key_check').all().length > 0) throw new Error(`history store migration ${version} left rows without their parent`);
        db.exec(`PRAGMA user_version = ${version}`);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    }
  } finally {
    db.exec(`PRAGMA foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
  return from;
}

export interface RunInput {
  kind: RunKind;
  domain: string | null;
  server: ServerIdentity | null;
  at: string;
  resolvers: readonly string[];
  checks: readonly StoredCheck[];
}

export interface TargetInput {
  domain: string;
  ssh: string | null;
  identityFile: string | null;
  selectors: readonly string[];
  dkimFiles: readonly string[];
  resolvers: readonly string[];
  addresses: readonly string[];
}

export interface StoredReportsOutcome {
  stored: number;
  duplicates: number;
  rows: number;
}

/**
 * What the store keeps of an aggregate report: any AggregateReport the reader returns fits
 * (the policy is kept whole, as JSON); only these fields are required.
 */
export type StorableReport = Pick<AggregateReport, 'orgName' | 'email' | 'reportId' | 'begin' | 'end'> & {
  /** The reader's hash of the rows (part of the report's identity); absent = ''. */
  rowsHash?: string;
  policy: Pick<PublishedPolicy, 'domain' | 'p'>;
  rows: ReadonlyArray<Pick<ReportRow, 'sourceIp' | 'count' | 'disposition' | 'dkim' | 'spf' | 'headerFrom'> & Partial<Pick<ReportRow, 'envelopeFrom' | 'dkimResults' | 'spfResults' | 'reasons'>>>;
};

/** A DMARC row as the change detector compares it. */
export interface DmarcRowFact {
  sourceIp: string;
  count: number;
  pass: boolean;
  date: string;
}

/**
 * The local history: every check result, every DMARC aggregate report (once), the mail
 * already read and what changed. SQLite through Node's built-in node:sqlite. Holds no
 * secrets: servers are named by host, port and host-key fingerprint.
 */
export class HistoryStore {
  readonly file: string;
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync, file: string) {
    this.db = db;
    this.file = file;
    db.exec('PRAGMA foreign_keys = ON');
    if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  }

  get schemaVersion(): number {
    return Number((this.db.prepare('PRAGMA user_version').get() as Row).user_version);
  }

  close(): void {
    this.db.close();
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  // ---- targets ----

  /** Saves a target (the same domain and SSH target replaces the earlier settings). */
  saveTarget(target: TargetInput, at: string): WatchTarget {
    this.db
      .prepare(
        `INSERT INTO targets (domain, ssh, identity_file, selectors, dkim_files, resolvers, addresses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (domain, ssh) DO UPDATE SET identity_file = excluded.identity_file, selectors = excluded.selectors, dkim_files = excluded.dkim_files,
           resolvers = excluded.resolvers, addresses = excluded.addresses`,
      )
      .run(target.domain, target.ssh ?? '', target.identityFile, JSON.stringify(target.selectors), JSON.stringify(target.dkimFiles), JSON.stringify(target.resolvers), JSON.stringify(target.addresses), at);
    const row = this.db.prepare('SELECT * FROM targets WHERE domain = ? AND ssh = ?').get(target.domain, target.ssh ?? '') as Row;
    return targetFromRow(row);
  }

  targets(): WatchTarget[] {
    return this.all('SELECT * FROM targets ORDER BY domain, ssh').map(targetFromRow);
  }

  markWatched(targetId: number, at: string, skipped: readonly WatchSkip[]): void {
    this.db.prepare('UPDATE targets SET last_watch_at = ?, skipped = ? WHERE id = ?').run(at, JSON.stringify(skipped), targetId);
  }

  skippedAt(domain: string): { at: string | null; skipped: WatchSkip[] } {
    const row = this.db.prepare('SELECT last_watch_at, skipped FROM targets WHERE domain = ? ORDER BY last_watch_at DESC LIMIT 1').get(domain) as Row | undefined;
    return { at: nullableText(row?.last_watch_at), skipped: json<WatchSkip[]>(row?.skipped, []) };
  }

  // ---- runs and checks ----

  /**
   * Stores one run with its checks and returns the checks of the run before it (same kind,
   * same domain and, for server checks, same server), or null when this is the first.
   */
  recordRun(run: RunInput): { runId: number; previous: StoredCheck[] | null } {
    return this.transaction(() => {
      const previousId = this.previousRunId(run);
      const inserted = this.db
        .prepare('INSERT INTO runs (kind, domain, server_host, server_port, host_key, at, resolvers) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(run.kind, run.domain, run.server?.host ?? null, run.server?.port ?? null, run.server?.hostKeyFingerprint ?? null, run.at, JSON.stringify(run.resolvers));
      const runId = Number(inserted.lastInsertRowid);
      const insertCheck = this.db.prepare(
        'INSERT OR REPLACE INTO checks (run_id, check_id, area, status, title, found, title_key, found_key, params, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of run.checks) {
        insertCheck.run(runId, c.checkId, c.area, c.status, c.title, c.found, c.titleKey, c.foundKey, JSON.stringify(c.params), JSON.stringify(c.values));
      }
      return { runId, previous: previousId === null ? null : this.checksOf(previousId) };
    });
  }

  private previousRunId(run: Pick<RunInput, 'kind' | 'domain' | 'server'>): number | null {
    const byServer = run.kind !== 'verify' && run.server !== null;
    const row = (
      byServer
        ? this.db
            .prepare('SELECT id FROM runs WHERE kind = ? AND domain IS ? AND server_host = ? AND server_port = ? ORDER BY at DESC, id DESC LIMIT 1')
            .get(run.kind, run.domain, run.server?.host ?? '', run.server?.port ?? 0)
        : this.db.prepare('SELECT id FROM runs WHERE kind = ? AND domain IS ? ORDER BY at DESC, id DESC LIMIT 1').get(run.kind, run.domain)
    ) as Row | undefined;
    return row ? Number(row.id) : null;
  }

  checksOf(runId: number): StoredCheck[] {
    return this.all('SELECT * FROM checks WHERE run_id = ? ORDER BY check_id', runId).map(checkFromRow);
  }

  recordChanges(runId: number | null, where: { domain: string | null; server: ServerIdentity | null; at: string }, changes: readonly WatchChange[]): void {
    const insert = this.db.prepare(
      'INSERT INTO changes (run_id, domain, server_host, server_port, at, kind, severity, subject, before, after, params, text, checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.transaction(() => {
      for (const c of changes) {
        insert.run(runId, where.domain, where.server?.host ?? null, where.server?.port ?? null, where.at, c.kind, c.severity, c.subject, c.before, c.after, JSON.stringify(c.params), c.text, c.checks ? JSON.stringify(c.checks) : null);
      }
    });
  }

  /** Domains (or, for runs without one, servers) that have history, newest first. */
  watchedDomains(): string[] {
    return this.all(
      `SELECT name FROM (SELECT domain AS name, MAX(at) AS last FROM runs WHERE domain IS NOT NULL GROUP BY domain
        UNION SELECT domain AS name, created_at AS last FROM targets)
       GROUP BY name ORDER BY MAX(last) DESC`,
    ).map((r) => text(r.name));
  }

  /** The newest run of each kind for a domain, with its checks. */
  latestRuns(domain: string): StoredRun[] {
    const rows = this.all(
      `SELECT r.* FROM runs r JOIN (SELECT kind, MAX(id) AS id FROM runs WHERE domain = ? GROUP BY kind) newest ON newest.id = r.id ORDER BY r.kind`,
      domain,
    );
    return rows.map((row) => this.runFromRow(row, true));
  }

  runCount(domain: string): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE domain = ?').get(domain) as Row).n);
  }

  /** Changes recorded at the domain's newest run time. */
  latestChanges(domain: string): { at: string | null; changes: WatchChange[] } {
    const last = this.db.prepare('SELECT MAX(at) AS at FROM runs WHERE domain = ?').get(domain) as Row;
    const at = nullableText(last.at);
    if (at === null) return { at: null, changes: [] };
    const changes = this.all('SELECT * FROM changes WHERE domain = ? AND at = ? ORDER BY id', domain, at).map(changeFromRow);
    return { at, changes };
  }

  /** Every run of a domain, oldest first (the export). */
  history(domain: string): StoredRun[] {
    return this.all('SELECT * FROM runs WHERE domain = ? ORDER BY at, id', domain).map((row) => this.runFromRow(row, true));
  }

  changeHistory(domain: string): Array<WatchChange & { at: string }> {
    return this.all('SELECT * FROM changes WHERE domain = ? ORDER BY at, id', domain).map((row) => ({ ...changeFromRow(row), at: text(row.at) }));
  }

  private runFromRow(row: Row, withChecks: boolean): StoredRun {
    const host = nullableText(row.server_host);
    return {
      id: Number(row.id),
      kind: text(row.kind) as RunKind,
      domain: nullableText(row.domain),
      server: host === null ? null : { host, port: Number(row.server_port), hostKeyFingerprint: nullableText(row.host_key) },
      at: text(row.at),
      resolvers: json<string[]>(row.resolvers, []),
      checks: withChecks ? this.checksOf(Number(row.id)) : [],
    };
  }

  /** Deletes everything recorded about one server (its runs, their changes, the mail read there, its targets). */
  deleteServerHistory(host: string, port: number): { runs: number } {
    return this.transaction(() => {
      const runs = Number(this.db.prepare('DELETE FROM runs WHERE server_host = ? AND server_port = ?').run(host, port).changes);
      this.db.prepare('DELETE FROM changes WHERE server_host = ? AND server_port = ?').run(host, port);
      this.db.prepare('DELETE FROM mail_seen WHERE server_host = ? AND server_port = ?').run(host, port);
      const sshTargets = this.all("SELECT id, ssh FROM targets WHERE ssh <> ''");
      for (const t of sshTargets) {
        const [hostPart = '', portPart] = text(t.ssh).replace(/^[^@]*@/, '').split(/:(?=\d+$)/);
        if (hostPart.replace(/^\[|\]$/g, '') === host && Number(portPart ?? 22) === port) this.db.prepare('DELETE FROM targets WHERE id = ?').run(Number(t.id));
      }
      return { runs };
    });
  }

  // ---- DMARC reports ----

  /** Message-ID + size pairs already read from one mailbox of one server. */
  seenMessages(server: Pick<ServerIdentity, 'host' | 'port'>, mailbox: string): MessageKey[] {
    const rows = this.all('SELECT message_id, size FROM mail_seen WHERE server_host = ? AND server_port = ? AND mailbox = ?', server.host, server.port, mailbox);
    return rows.map((r) => ({ messageId: text(r.message_id), size: Number(r.size) }));
  }

  markSeen(server: Pick<ServerIdentity, 'host' | 'port'>, mailbox: string, messages: readonly MessageKey[], at: string): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO mail_seen (server_host, server_port, mailbox, message_id, size, seen_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.transaction(() => {
      for (const m of messages) insert.run(server.host, server.port, mailbox, m.messageId, m.size, at);
    });
  }

  /** Stores reports not stored before: the same reporter, id, dates and rows (reportIdentity) is the same report. */
  storeDmarcReports(domain: string, reports: readonly StorableReport[], at: string): StoredReportsOutcome {
    const insertReport = this.db.prepare(
      'INSERT OR IGNORE INTO dmarc_reports (domain, org_name, email, report_id, begin_at, end_at, policy, read_at, rows_hash, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertRow = this.db.prepare('INSERT INTO dmarc_rows (report, source_ip, count, disposition, dkim, spf, header_from, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    return this.transaction(() => {
      const outcome: StoredReportsOutcome = { stored: 0, duplicates: 0, rows: 0 };
      for (const report of reports) {
        const rowsHash = report.rowsHash ?? '';
        const identity = reportIdentity({ ...report, rowsHash });
        const result = insertReport.run(domain, report.orgName, report.email ?? '', report.reportId, report.begin, report.end, JSON.stringify(report.policy), at, rowsHash, identity);
        if (Number(result.changes) === 0) {
          outcome.duplicates += 1;
          continue;
        }
        outcome.stored += 1;
        const id = Number(result.lastInsertRowid);
        for (const row of report.rows) {
          const detail = { envelopeFrom: row.envelopeFrom ?? null, dkimResults: row.dkimResults ?? [], spfResults: row.spfResults ?? [], reasons: row.reasons ?? [] };
          insertRow.run(id, row.sourceIp, row.count, row.disposition, row.dkim, row.spf, row.headerFrom, JSON.stringify(detail));
          outcome.rows += 1;
        }
      }
      return outcome;
    });
  }

  /** Rows of a domain's reports read at or after / before a time (the change detector's two sides). */
  dmarcFacts(domain: string, readAt: { since?: string; before?: string }): DmarcRowFact[] {
    const rows = this.all(
      `SELECT r.source_ip, r.count, r.dkim, r.spf, substr(d.begin_at, 1, 10) AS date FROM dmarc_rows r JOIN dmarc_reports d ON d.id = r.report
       WHERE d.domain = ? AND d.read_at >= ? AND d.read_at < ?`,
      domain,
      readAt.since ?? '',
      readAt.before ?? '\uffff',
    );
    return rows.map((r) => ({ sourceIp: text(r.source_ip), count: Number(r.count), pass: r.dkim === 'pass' || r.spf === 'pass', date: text(r.date) }));
  }

  /** DMARC pass rate per day and per reporter, and volume per source, for the Status page. */
  dmarcTrends(domain: string): DmarcTrends {
    const totals = this.db
      .prepare('SELECT COUNT(DISTINCT d.id) AS reports, COUNT(r.report) AS rows FROM dmarc_reports d LEFT JOIN dmarc_rows r ON r.report = d.id WHERE d.domain = ?')
      .get(domain) as Row;
    const pass = "CASE WHEN r.dkim = 'pass' OR r.spf = 'pass' THEN r.count ELSE 0 END";
    const fail = "CASE WHEN r.dkim = 'pass' OR r.spf = 'pass' THEN 0 ELSE r.count END";
    const daily = this.all(
      `SELECT substr(d.begin_at, 1, 10) AS date, SUM(${pass}) AS pass, SUM(${fail}) AS fail FROM dmarc_rows r JOIN dmarc_reports d ON d.id = r.report
       WHERE d.domain = ? GROUP BY date ORDER BY date`,
      domain,
    ).map((r) => ({ date: text(r.date), pass: Number(r.pass), fail: Number(r.fail) }));
    const reporters = this.all(
      `SELECT d.org_name AS org, SUM(${pass}) AS pass, SUM(${fail}) AS fail FROM dmarc_rows r JOIN dmarc_reports d ON d.id = r.report
       WHERE d.domain = ? GROUP BY d.org_name ORDER BY SUM(r.count) DESC`,
      domain,
    ).map((r) => ({ orgName: text(r.org), pass: Number(r.pass), fail: Number(r.fail) }));
    const sources = this.all(
      `SELECT r.source_ip AS ip, SUM(r.count) AS count, SUM(${fail}) AS fail FROM dmarc_rows r JOIN dmarc_reports d ON d.id = r.report
       WHERE d.domain = ? GROUP BY r.source_ip ORDER BY SUM(r.count) DESC LIMIT 50`,
      domain,
    ).map((r) => ({ sourceIp: text(r.ip), count: Number(r.count), fail: Number(r.fail) }));
    return { reports: Number(totals.reports), rows: Number(totals.rows), daily, reporters, sources };
  }

  // ---- settings ----

  schedule(): WatchSchedule {
    const value = json<Partial<WatchSchedule>>((this.db.prepare("SELECT value FROM settings WHERE key = 'schedule'").get() as Row | undefined)?.value, {});
    return { enabled: value.enabled ?? true, intervalHours: value.intervalHours ?? 24, lastRunAt: value.lastRunAt ?? null };
  }

  setSchedule(schedule: WatchSchedule): void {
    this.db.prepare("INSERT INTO settings (key, value) VALUES ('schedule', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(schedule));
  }

  // ---- key rotations (a mirror: the server's rotation file is the truth) ----

  /** Keeps the latest status of a domain's key (its age) and rotation seen on `host` (null, or neither known: forgotten). */
  mirrorRotation(host: string, domain: string, status: RotationStatus | null): void {
    const key = `rotation:${host}:${domain}`;
    if (status === null || (status.state === null && status.key === null)) this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify({ host, status }));
  }

  /** Every mirrored rotation, as last seen. */
  rotations(): Array<{ host: string; status: RotationStatus }> {
    const rows = this.db.prepare("SELECT value FROM settings WHERE key LIKE 'rotation:%' ORDER BY key").all() as Row[];
    return rows.flatMap((row) => {
      const value = json<{ host?: string; status?: RotationStatus } | null>(row.value, null);
      return value?.host !== undefined && value.status !== undefined ? [{ host: value.host, status: value.status }] : [];
    });
  }
}

function targetFromRow(row: Row): WatchTarget {
  return {
    id: Number(row.id),
    domain: text(row.domain),
    ssh: text(row.ssh) === '' ? null : text(row.ssh),
    identityFile: nullableText(row.identity_file),
    selectors: json<string[]>(row.selectors, []),
    dkimFiles: json<string[]>(row.dkim_files, []),
    resolvers: json<string[]>(row.resolvers, []),
    addresses: json<string[]>(row.addresses, []),
  };
}

function checkFromRow(row: Row): StoredCheck {
  return {
    checkId: text(row.check_id),
    area: text(row.area) as CheckArea,
    status: text(row.status) as CheckStatus,
    title: text(row.title),
    found: nullableText(row.found),
    titleKey: nullableText(row.title_key),
    foundKey: nullableText(row.found_key),
    params: json<Record<string, string | number>>(row.params, {}),
    values: json<Record<string, string | number | null>>(row.vals, {}),
  };
}

function changeFromRow(row: Row): WatchChange {
  return {
    kind: text(row.kind) as ChangeKind,
    severity: text(row.severity) as ChangeSeverity,
    subject: text(row.subject),
    before: nullableText(row.before),
    after: nullableText(row.after),
    params: json<Record<string, string | number>>(row.params, {}),
    text: text(row.text),
    checks: json<WatchChange['checks']>(row.checks, null),
  };
}
