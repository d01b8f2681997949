import os from 'node:os';
import path from 'node:path';
import { checkText, type Check } from '../../../shared/checks.js';
import type { BlocklistStatus, InboundReport } from '../../../shared/inbound.js';
import type { SendTestReport, VerifyReport } from '../../../shared/contract/verify.js';
import type { RunKind, ServerIdentity, StoredCheck, WatchChange } from '../../../shared/watch.js';
import type { SshSession } from '../ssh/session.js';
import { detectCheckChanges, detectDmarcChanges } from './detect.js';
import { openHistoryStore, type HistoryStore, type StorableReport, type StoredReportsOutcome } from './store.js';

/**
 * The history store's file: `HOMEMAIL_HISTORY_DIR`, else `HOMEMAIL_DATA_DIR` (tests aim
 * either at a temporary folder), else the per-user data folder
 * (`$XDG_DATA_HOME/homemail`, `~/.local/share/homemail`; `%LOCALAPPDATA%\Homemail`;
 * `~/Library/Application Support/Homemail`). The desktop app passes Electron's userData.
 */
export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(historyDir(env, platform), 'history.sqlite');
}

function historyDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.HOMEMAIL_HISTORY_DIR) return env.HOMEMAIL_HISTORY_DIR;
  if (env.HOMEMAIL_DATA_DIR) return env.HOMEMAIL_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Homemail');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Homemail');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'homemail');
}

const stores = new Map<string, HistoryStore>();

/** One open store per file for the life of the process (the CLI, web mode and the app share this). */
export function historyStoreAt(file: string): HistoryStore {
  let store = stores.get(file);
  if (!store) {
    store = openHistoryStore(file);
    stores.set(file, store);
  }
  return store;
}

/** A check as the store keeps it; `values` are the raw facts the change detector compares. */
export function storedCheck(check: Check, values: StoredCheck['values'] = {}): StoredCheck {
  return {
    checkId: check.id,
    area: check.area,
    status: check.status,
    title: check.title.text,
    found: check.found?.text ?? null,
    titleKey: check.title.key,
    foundKey: check.found?.key ?? null,
    params: { ...check.title.params, ...(check.found?.params ?? {}) },
    values,
  };
}

const blocklistStatus: Record<BlocklistStatus, StoredCheck['status']> = {
  working: 'pass',
  'not-listing': 'fail',
  'lists-everything': 'fail',
  refused: 'unknown',
  'no-answer': 'unknown',
};

/** The inbound report as checks: one per blocklist in use, and the client host-name rule. */
export function inboundChecks(report: InboundReport): StoredCheck[] {
  // Keyed like every check (`checks.inbound…`, the health and rule as words): the Status page and `homemail status` say them in the person's language.
  const inboundCheck = (id: string, status: Check['status'], title: Check['title'], found: Check['found'], values: StoredCheck['values']): StoredCheck => ({
    ...storedCheck({ id, area: 'blocklist', status, title, expected: null, found, fix: null }, values),
    area: 'inbound',
  });
  const checks = report.blocklists.map((test) =>
    inboundCheck(
      `inbound.blocklist:${test.use.zone}`,
      blocklistStatus[test.status],
      checkText('inboundBlocklistTitle', { zone: test.use.zone, parameter: test.use.parameter }),
      checkText('inboundBlocklistFound', { health: test.status }),
      { text: test.use.text, status: test.status },
    ),
  );
  const rule = report.clientHostname.current;
  checks.push(inboundCheck('inbound.client-hostname', 'pass', checkText('inboundRuleTitle'), checkText('inboundRuleFound', { rule }), { rule }));
  return checks;
}

export interface RecordedRun {
  runId: number;
  changes: WatchChange[];
}

/** Stores one result and what changed against the run before it. */
export function recordResult(
  store: HistoryStore,
  run: { kind: RunKind; domain: string | null; server: ServerIdentity | null; at: string; resolvers: readonly string[]; checks: readonly StoredCheck[] },
): RecordedRun {
  const { runId, previous } = store.recordRun(run);
  const changes = detectCheckChanges(previous, run.checks, { domain: run.domain ?? '' });
  store.recordChanges(runId, { domain: run.domain, server: run.server, at: run.at }, changes);
  return { runId, changes };
}

/** Stores newly read DMARC reports (each once) and what they change. */
export function recordDmarcReports(store: HistoryStore, domain: string, reports: readonly StorableReport[], at: string): StoredReportsOutcome & { changes: WatchChange[] } {
  const earlier = store.dmarcFacts(domain, { before: at });
  const outcome = store.storeDmarcReports(domain, reports, at);
  const added = store.dmarcFacts(domain, { since: at });
  const changes = outcome.stored === 0 ? [] : detectDmarcChanges(earlier, added);
  store.recordChanges(null, { domain, server: null, at }, changes);
  return { ...outcome, changes };
}

export type RunRecord = Parameters<typeof recordResult>[1];

/** The server a session reached, as the store names it. */
export function serverOf(session: Pick<SshSession, 'target' | 'hostKey'>): ServerIdentity {
  return { host: session.target.host, port: session.target.port, hostKeyFingerprint: session.hostKey.fingerprint };
}

export const verifyRun = (report: VerifyReport, at: string): RunRecord => ({
  kind: 'verify',
  domain: report.domain,
  server: null,
  at,
  resolvers: report.resolvers.map((r) => r.address),
  checks: report.checks.map((c) => storedCheck(c)),
});

export const sendTestRun = (report: SendTestReport, server: ServerIdentity, resolvers: readonly string[], at: string): RunRecord => ({
  kind: 'send-test',
  domain: report.from.split('@')[1] ?? null,
  server,
  at,
  resolvers,
  checks: report.checks.map((c) => storedCheck(c)),
});

export const inboundRun = (report: InboundReport, server: ServerIdentity, domain: string | null, at: string): RunRecord => ({
  kind: 'inbound',
  domain,
  server,
  at,
  resolvers: [],
  checks: inboundChecks(report),
});

/** Stores a result a command or a wizard call produced; the history never makes a check fail. */
export function recordQuietly(file: string, run: RunRecord): void {
  try {
    recordResult(historyStoreAt(file), run);
  } catch {
    // A locked or unwritable store loses this one record, nothing else.
  }
}
