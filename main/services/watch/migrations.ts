/**
 * The history store's schema, one step per version (docs/history-store.md describes it).
 * A step is applied in one transaction with `PRAGMA user_version` set to its number, so a
 * store is always at exactly one version. Never edit a released step: add the next one.
 * Foreign keys are off while steps run (SQLite's way to rebuild a table) and checked before
 * each commit.
 */
export const migrations: readonly string[] = [
  // 1: check results per run.
  `
  CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    ssh TEXT NOT NULL DEFAULT '',
    identity_file TEXT,
    selectors TEXT NOT NULL DEFAULT '[]',
    dkim_files TEXT NOT NULL DEFAULT '[]',
    resolvers TEXT NOT NULL DEFAULT '[]',
    addresses TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    UNIQUE (domain, ssh)
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    domain TEXT,
    server_host TEXT,
    server_port INTEGER,
    host_key TEXT,
    at TEXT NOT NULL,
    resolvers TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX runs_by_domain ON runs (domain, kind, at);
  CREATE INDEX runs_by_server ON runs (server_host, server_port, kind, at);
  CREATE TABLE checks (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    area TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    found TEXT,
    title_key TEXT,
    found_key TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    vals TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, check_id)
  ) WITHOUT ROWID;
  `,
  // 2: DMARC aggregate reports, stored once per reporter and report id, and the mail already read.
  `
  CREATE TABLE dmarc_reports (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    org_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    report_id TEXT NOT NULL,
    begin_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    policy TEXT NOT NULL,
    read_at TEXT NOT NULL,
    UNIQUE (org_name, email, report_id)
  );
  CREATE INDEX dmarc_reports_by_domain ON dmarc_reports (domain, begin_at);
  CREATE TABLE dmarc_rows (
    report INTEGER NOT NULL REFERENCES dmarc_reports (id) ON DELETE CASCADE,
    source_ip TEXT NOT NULL,
    count INTEGER NOT NULL,
    disposition TEXT NOT NULL,
    dkim TEXT NOT NULL,
    spf TEXT NOT NULL,
    header_from TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX dmarc_rows_by_report ON dmarc_rows (report);
  CREATE TABLE mail_seen (
    server_host TEXT NOT NULL,
    server_port INTEGER NOT NULL,
    mailbox TEXT NOT NULL,
    message_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (server_host, server_port, mailbox, message_id, size)
  ) WITHOUT ROWID;
  `,
  // 3: what changed at each run, what a watch skipped, and the desktop app's schedule.
  `
  CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs (id) ON DELETE CASCADE,
    domain TEXT,
    server_host TEXT,
    server_port INTEGER,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    subject TEXT NOT NULL,
    before TEXT,
    after TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL
  );
  CREATE INDEX changes_by_domain ON changes (domain, at);
  ALTER TABLE targets ADD COLUMN last_watch_at TEXT;
  ALTER TABLE targets ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 4: a report is the same report when reporter, id, dates and rows are (shared/reports.ts
  // reportIdentity): reporters reuse ids for different reports. Earlier reports get an empty rows hash.
  `
  CREATE TABLE dmarc_reports_v4 (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    org_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    report_id TEXT NOT NULL,
    begin_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    policy TEXT NOT NULL,
    read_at TEXT NOT NULL,
    rows_hash TEXT NOT NULL DEFAULT '',
    identity TEXT NOT NULL UNIQUE
  );
  INSERT INTO dmarc_reports_v4 (id, domain, org_name, email, report_id, begin_at, end_at, policy, read_at, rows_hash, identity)
    SELECT id, domain, org_name, email, report_id, begin_at, end_at, policy, read_at, '',
      lower(org_name) || char(0) || report_id || char(0) || begin_at || char(0) || end_at || char(0)
    FROM dmarc_reports;
  DROP TABLE dmarc_reports;
  ALTER TABLE dmarc_reports_v4 RENAME TO dmarc_reports;
  CREATE INDEX dmarc_reports_by_domain ON dmarc_reports (domain, begin_at);
  `,
  // 5: a change about one check keeps that check's keyed words (before and after), so it is
  // rendered in the reader's language; older changes keep their English.
  `
  ALTER TABLE changes ADD COLUMN checks TEXT;
  `,
];

export const schemaVersion = migrations.length;
