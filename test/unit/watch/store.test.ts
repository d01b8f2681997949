// The history store on a real SQLite (node:sqlite) in memory or a temporary file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { StoredCheck } from '../../../shared/watch.js';
import { historyCsv } from '../../../shared/watch.js';
import { serializeError } from '../../../shared/errors.js';
import { errorTexts } from '../../../main/cli/main.js';
import { cliText } from '../../../main/cli/language.js';
import { watchChangeText } from '../../../shared/i18n/keyedText.js';
import { migrate, openHistoryStore, HistoryStore, type StorableReport } from '../../../main/services/watch/store.js';
import { migrations, schemaVersion } from '../../../main/services/watch/migrations.js';
import { defaultHistoryFile, recordDmarcReports, recordResult } from '../../../main/services/watch/record.js';
import { buildStatus } from '../../../main/services/watch/status.js';

const check = (checkId: string, status: StoredCheck['status'], values: StoredCheck['values'] = {}): StoredCheck => ({
  checkId,
  area: checkId.startsWith('dkim') ? 'dkim' : 'mx',
  status,
  title: `Title of ${checkId}`,
  found: `=found ${status}`,
  titleKey: 'dkimTitle',
  foundKey: null,
  params: { name: `${checkId}.example.test` },
  values,
});

const server = { host: '192.0.2.10', port: 22, hostKeyFingerprint: 'SHA256:abc' };

function report(org: string, id: string, begin: string, rows: Array<[string, number, boolean]>): StorableReport {
  return {
    orgName: org,
    email: `noreply@${org}`,
    reportId: id,
    begin,
    end: begin.replace('T00', 'T23'),
    policy: { domain: 'example.test', p: 'none' },
    rows: rows.map(([ip, count, pass]) => ({
      sourceIp: ip,
      count,
      disposition: 'none',
      dkim: pass ? 'pass' : 'fail',
      spf: 'fail',
      headerFrom: 'example.test',
      envelopeFrom: null,
      dkimResults: [],
      spfResults: [],
      reasons: [],
    })),
  };
}

describe('history store', () => {
  it('migrates an empty database to the newest schema', () => {
    const db = new DatabaseSync(':memory:');
    expect(migrate(db)).toBe(0);
    expect(Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(schemaVersion);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['changes', 'checks', 'dmarc_reports', 'dmarc_rows', 'mail_seen', 'runs', 'settings', 'targets']);
  });

  for (let from = 1; from < migrations.length; from += 1) {
    it(`migrates a store at schema ${from} to ${schemaVersion}, keeping its data`, () => {
      const db = new DatabaseSync(':memory:');
      migrate(db, from);
      db.prepare("INSERT INTO targets (domain, ssh, created_at) VALUES ('example.test', 'deploy@192.0.2.10', '2026-01-01T00:00:00.000Z')").run();
      db.prepare("INSERT INTO runs (kind, domain, at) VALUES ('verify', 'example.test', '2026-01-01T00:00:00.000Z')").run();
      db.prepare("INSERT INTO checks (run_id, check_id, area, status, title) VALUES (1, 'mx', 'mx', 'pass', 'MX')").run();
      if (from >= 2) {
        // From schema 4 a report carries its identity (here as migration 4 gives older ones).
        const identity = from >= 4 ? ", lower('Google.com') || char(0) || 'r1' || char(0) || '2026-01-01T00:00:00Z' || char(0) || '2026-01-01T23:59:59Z'" : '';
        db.prepare(
          `INSERT INTO dmarc_reports (domain, org_name, report_id, begin_at, end_at, policy, read_at${from >= 4 ? ', identity' : ''}) VALUES ('example.test', 'Google.com', 'r1', '2026-01-01T00:00:00Z', '2026-01-01T23:59:59Z', '{}', '2026-01-02T00:00:00Z'${identity})`,
        ).run();
        db.prepare("INSERT INTO dmarc_rows (report, source_ip, count, disposition, dkim, spf, header_from) VALUES (1, '192.0.2.10', 7, 'none', 'pass', 'pass', 'example.test')").run();
      }
      if (from >= 3) {
        db.prepare(
          "INSERT INTO changes (run_id, domain, at, kind, severity, subject, before, after, params, text) VALUES (1, 'example.test', '2026-01-01T00:00:00.000Z', 'check-worse', 'worse', 'mx', 'pass', 'fail', '{\"title\":\"MX\",\"before\":\"pass\",\"after\":\"fail\"}', 'MX: pass → fail.')",
        ).run();
      }
      expect(migrate(db)).toBe(from);
      const store = new HistoryStore(db, ':memory:');
      expect(store.schemaVersion).toBe(schemaVersion);
      expect(store.targets().map((t) => [t.domain, t.ssh])).toEqual([['example.test', 'deploy@192.0.2.10']]);
      expect(store.latestRuns('example.test')[0]?.checks.map((c) => c.status)).toEqual(['pass']);
      if (from >= 3) {
        // A change kept before keyed words existed keeps its English title and states, in any language.
        const [kept] = store.latestChanges('example.test').changes;
        expect(kept?.checks).toBeNull();
        expect(watchChangeText(cliText({ LANG: 'ja_JP.UTF-8' }), kept!)).toBe('MX: pass → fail');
      }
      if (from >= 2) {
        expect(store.dmarcTrends('example.test')).toMatchObject({ reports: 1, rows: 1, daily: [{ date: '2026-01-01', pass: 7, fail: 0 }] });
        // The report read before the migration is recognised after it (same identity, empty rows hash).
        const again = { orgName: 'google.com', email: null, reportId: 'r1', begin: '2026-01-01T00:00:00Z', end: '2026-01-01T23:59:59Z', policy: { domain: 'example.test', p: 'none' as const }, rows: [] };
        if (from < 4) expect(store.storeDmarcReports('example.test', [again], '2026-01-03T00:00:00Z')).toEqual({ stored: 0, duplicates: 1, rows: 0 });
      }
    });
  }

  it('refuses a store from a newer Homemail', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`PRAGMA user_version = ${schemaVersion + 1}`);
    expect(() => migrate(db)).toThrow(`The history store is at schema version ${schemaVersion + 1}, newer than this Homemail knows (${schemaVersion}): update Homemail.`);
    // a coded sentence: the CLI says it in Japanese under LANG=ja_JP.UTF-8
    const error = (() => {
      try {
        migrate(db);
      } catch (thrown) {
        return serializeError(thrown);
      }
      return null;
    })();
    expect(error && errorTexts(error, cliText({ LANG: 'ja_JP.UTF-8' })).message).toBe(
      `履歴データベースのスキーマのバージョン(${schemaVersion + 1})が、この Homemail の扱える版(${schemaVersion})より新しくなっています。Homemail を更新してください。`,
    );
  });

  it('keeps runs, checks and changes across reopening the file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hm-store-')), 'sub', 'history.sqlite');
    const store = openHistoryStore(file);
    const first = recordResult(store, { kind: 'verify', domain: 'example.test', server: null, at: '2026-11-01T00:00:00.000Z', resolvers: ['127.53.0.1'], checks: [check('dkim:a', 'pass', { record: 'v=DKIM1; p=A' })] });
    expect(first.changes).toEqual([]);
    const second = recordResult(store, { kind: 'verify', domain: 'example.test', server: null, at: '2026-11-02T00:00:00.000Z', resolvers: ['127.53.0.1'], checks: [check('dkim:a', 'pass', { record: 'v=DKIM1; p=B' })] });
    expect(second.changes.map((c) => c.kind)).toEqual(['dkim-changed']);
    store.close();

    const again = openHistoryStore(file);
    const runs = again.history('example.test');
    expect(runs.map((r) => [r.kind, r.at, r.resolvers])).toEqual([
      ['verify', '2026-11-01T00:00:00.000Z', ['127.53.0.1']],
      ['verify', '2026-11-02T00:00:00.000Z', ['127.53.0.1']],
    ]);
    expect(runs[1]?.checks[0]).toEqual(check('dkim:a', 'pass', { record: 'v=DKIM1; p=B' }));
    const status = buildStatus(again, null);
    expect(status.targets.map((t) => [t.domain, t.runs, t.lastRunAt, t.changes.map((c) => c.kind)])).toEqual([['example.test', 2, '2026-11-02T00:00:00.000Z', ['dkim-changed']]]);
    // CSV: one line per check; cells a spreadsheet would run as a formula are defused.
    const csv = historyCsv(runs);
    expect(csv.split('\r\n')[0]).toBe('at,kind,domain,server,hostKey,resolvers,check,area,status,title,found');
    expect(csv).toContain(",'=found pass\r\n");
    again.close();
  });

  it('compares server checks with the same server only', () => {
    const store = openHistoryStore(':memory:');
    const other = { ...server, host: '192.0.2.11' };
    recordResult(store, { kind: 'inbound', domain: 'example.test', server, at: '2026-11-01T00:00:00.000Z', resolvers: [], checks: [check('mx', 'pass')] });
    const elsewhere = recordResult(store, { kind: 'inbound', domain: 'example.test', server: other, at: '2026-11-02T00:00:00.000Z', resolvers: [], checks: [check('mx', 'fail')] });
    expect(elsewhere.changes).toEqual([]);
    const same = recordResult(store, { kind: 'inbound', domain: 'example.test', server, at: '2026-11-03T00:00:00.000Z', resolvers: [], checks: [check('mx', 'fail')] });
    expect(same.changes.map((c) => c.kind)).toEqual(['check-worse']);
  });

  it('saves a target once per domain and SSH target, and deletes a server history', () => {
    const store = openHistoryStore(':memory:');
    const target = { domain: 'example.test', ssh: 'deploy@192.0.2.10:22', identityFile: '/k', selectors: ['a'], dkimFiles: [], resolvers: [], addresses: [] };
    store.saveTarget(target, '2026-11-01T00:00:00.000Z');
    store.saveTarget({ ...target, selectors: ['a', 'b'] }, '2026-11-02T00:00:00.000Z');
    store.saveTarget({ ...target, ssh: null }, '2026-11-02T00:00:00.000Z');
    expect(store.targets().map((t) => [t.ssh, t.selectors])).toEqual([
      [null, ['a']],
      ['deploy@192.0.2.10:22', ['a', 'b']],
    ]);
    recordResult(store, { kind: 'inbound', domain: 'example.test', server, at: '2026-11-01T00:00:00.000Z', resolvers: [], checks: [check('mx', 'pass')] });
    recordResult(store, { kind: 'verify', domain: 'example.test', server: null, at: '2026-11-01T00:00:00.000Z', resolvers: [], checks: [check('mx', 'pass')] });
    store.markSeen(server, '/var/mail/dmarc', [{ messageId: '<a@x>', size: 10 }], '2026-11-01T00:00:00.000Z');
    expect(store.deleteServerHistory('192.0.2.10', 22)).toEqual({ runs: 1 });
    expect(store.history('example.test').map((r) => r.kind)).toEqual(['verify']);
    expect(store.seenMessages(server, '/var/mail/dmarc')).toEqual([]);
    expect(store.targets().map((t) => t.ssh)).toEqual([null]);
  });

  it('stores each DMARC report once, remembers the mail read, and sums the trends', () => {
    const store = openHistoryStore(':memory:');
    const a = report('google.com', 'r1', '2026-11-01T00:00:00Z', [['192.0.2.10', 20, true], ['203.0.113.5', 1, false]]);
    const b = report('yahoo.com', 'r1', '2026-11-02T00:00:00Z', [['192.0.2.10', 5, true]]);
    expect(recordDmarcReports(store, 'example.test', [a], '2026-11-02T01:00:00.000Z')).toMatchObject({ stored: 1, duplicates: 0, rows: 2, changes: [] });
    const second = recordDmarcReports(store, 'example.test', [a, b], '2026-11-03T01:00:00.000Z');
    expect(second).toMatchObject({ stored: 1, duplicates: 1, rows: 1 });
    const trends = store.dmarcTrends('example.test');
    expect(trends.reports).toBe(2);
    expect(trends.rows).toBe(3);
    expect(trends.daily).toEqual([
      { date: '2026-11-01', pass: 20, fail: 1 },
      { date: '2026-11-02', pass: 5, fail: 0 },
    ]);
    expect(trends.reporters).toEqual([
      { orgName: 'google.com', pass: 20, fail: 1 },
      { orgName: 'yahoo.com', pass: 5, fail: 0 },
    ]);
    expect(trends.sources[0]).toEqual({ sourceIp: '192.0.2.10', count: 25, fail: 0 });
    const c = report('google.com', 'r2', '2026-11-03T00:00:00Z', [['198.51.100.66', 4, false]]);
    expect(recordDmarcReports(store, 'example.test', [c], '2026-11-04T01:00:00.000Z').changes.map((x) => x.subject)).toEqual(['dmarc:198.51.100.66']);

    store.markSeen(server, '/var/mail/dmarc', [{ messageId: '<a@x>', size: 10 }, { messageId: '<b@x>', size: 20 }], '2026-11-02T01:00:00.000Z');
    store.markSeen(server, '/var/mail/dmarc', [{ messageId: '<a@x>', size: 10 }], '2026-11-03T01:00:00.000Z');
    const seen = store.seenMessages(server, '/var/mail/dmarc');
    expect(seen.sort((x, y) => x.size - y.size)).toEqual([
      { messageId: '<a@x>', size: 10 },
      { messageId: '<b@x>', size: 20 },
    ]);
    expect(store.seenMessages({ host: server.host, port: 2222 }, '/var/mail/dmarc')).toEqual([]);
  });

  it('keeps two different reports that reuse one id (reporter, id, dates and rows are the identity)', () => {
    const store = openHistoryStore(':memory:');
    const first = { ...report('hosting.example', 'same', '2026-11-01T00:00:00Z', [['192.0.2.10', 3, true]]), rowsHash: 'aa' };
    const other = { ...report('hosting.example', 'same', '2026-11-02T00:00:00Z', [['192.0.2.10', 4, true]]), rowsHash: 'bb' };
    expect(store.storeDmarcReports('example.test', [first, other, first], '2026-11-03T00:00:00.000Z')).toEqual({ stored: 2, duplicates: 1, rows: 2 });
  });

  it('keeps the desktop schedule (default daily, on)', () => {
    const store = openHistoryStore(':memory:');
    expect(store.schedule()).toEqual({ enabled: true, intervalHours: 24, lastRunAt: null });
    store.setSchedule({ enabled: false, intervalHours: 6, lastRunAt: '2026-11-01T00:00:00.000Z' });
    expect(store.schedule()).toEqual({ enabled: false, intervalHours: 6, lastRunAt: '2026-11-01T00:00:00.000Z' });
  });

  it('lives in the per-user data folder', () => {
    expect(defaultHistoryFile({ HOMEMAIL_HISTORY_DIR: '/t/h' }, 'linux')).toBe('/t/h/history.sqlite');
    expect(defaultHistoryFile({ HOMEMAIL_DATA_DIR: '/t/d' }, 'linux')).toBe('/t/d/history.sqlite');
    expect(defaultHistoryFile({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/homemail/history.sqlite');
    expect(defaultHistoryFile({}, 'linux')).toMatch(/\.local\/share\/homemail\/history\.sqlite$/);
    expect(defaultHistoryFile({ LOCALAPPDATA: 'C:\\L' }, 'win32')).toContain('Homemail');
  });
});
