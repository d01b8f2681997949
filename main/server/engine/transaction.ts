import { randomBytes } from 'node:crypto';
import { HomemailError } from '../../../shared/errors.js';
import { APPLY_STAGES, type ApplyProgress, type ApplyResult, type ApplyStage, type Plan, type RollbackResult } from '../../../shared/plan.js';
import { commandLine } from '../../services/ssh/quote.js';
import type { RemoteSession } from '../../services/ssh/types.js';
import { transactionScript } from '../scripts/index.js';
import { encodeBundle, type TestHook } from './bundle.js';
import type { ChangeSet } from './changeSet.js';
import { buildPlan } from './planView.js';
import { parseGather, type ServerState } from './state.js';

/**
 * plan / apply / rollback over one RemoteSession. Plan is one round trip (gather, read only).
 * Apply is two: gather (first finishing or undoing an interrupted apply) and the transaction.
 * Rollback is one.
 */

const GATHER_TIMEOUT_MS = 60_000;
const APPLY_TIMEOUT_MS = 15 * 60_000;

export interface ChangeOptions {
  signal?: AbortSignal;
  progress?: (event: ApplyProgress) => void;
  now?: () => Date;
}

export interface ApplyOptions extends ChangeOptions {
  /** Tests only (test/host/hooks/faults.sh): see faultsAllowed(). */
  testHook?: TestHook | null;
  /** The backup id to use (from newBackupId), when the change itself must name it (a rotation's state file). */
  backupId?: string;
}

/** A test hook is honoured only when the process runs with HOMEMAIL_TEST_FAULTS=1. */
export function faultsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.HOMEMAIL_TEST_FAULTS === '1';
}

function scriptCommand(mode: string, args: readonly string[]): string {
  return commandLine(['sh', '-c', 'eval "$1"', 'homemail-tx', transactionScript, mode, ...args]);
}

const fromB64 = (v: string | undefined): string => (v === undefined || v === '-' ? '' : Buffer.from(v, 'base64').toString('utf8'));

export function newBackupId(now: Date): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${randomBytes(3).toString('hex')}`;
}

/**
 * What a feature asks the engine to change: the paths to read, and how to compute the change
 * set from what was read (the DKIM settings, inbound rules, ...). The engine plans, applies
 * and rolls back every request the same way.
 */
export interface ChangeRequest {
  /** Paths the gather step reads: plain paths, `secret:PATH` (hash only) and `dir:PATH`. */
  paths: readonly string[];
  domain: string;
  compute: (state: ServerState) => ChangeSet;
}

async function gather(session: RemoteSession, paths: readonly string[], recover: boolean, signal?: AbortSignal): Promise<ServerState> {
  const args = [...(recover ? ['--recover'] : []), '--', ...paths];
  const result = await session.exec(scriptCommand('gather', args), { sudo: true, timeoutMs: GATHER_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (result.code !== 0 && !result.stdout.includes('HOMEMAIL-GATHER')) {
    throw new HomemailError('command-failed', `Reading the server's configuration failed (exit ${result.code}).`, {
      hint: result.stderr.trim().slice(0, 300) || 'Check that sudo works for this user.',
    });
  }
  return parseGather(result.stdout);
}

function refuseBusy(state: ServerState): void {
  if (state.busy !== null) {
    throw new HomemailError('command-failed', 'Another Homemail apply is still running on this server.', {
      details: { pid: state.busy },
      hint: 'Wait a minute for it to finish, then run the command again.',
    });
  }
}

export interface PlanOutcome {
  plan: Plan;
  changes: ChangeSet;
  state: ServerState;
}

/** Reads the server (one round trip, nothing written) and returns the reviewable plan. */
export async function planRequest(session: RemoteSession, request: ChangeRequest, options: ChangeOptions = {}): Promise<PlanOutcome> {
  const state = await gather(session, request.paths, false, options.signal);
  const changes = request.compute(state);
  const plan = buildPlan(changes, { host: session.target.host, domain: request.domain, interrupted: state.interrupted });
  return { plan, changes, state };
}

interface ScriptReport {
  status: string;
  stage: string;
  reason: string;
  log: ApplyProgress[];
  warnings: string[];
}

const isStage = (word: string): word is ApplyStage => (APPLY_STAGES as readonly string[]).includes(word);

export function parseScriptReport(stdout: string): ScriptReport {
  const report: ScriptReport = { status: 'no-result', stage: '-', reason: '', log: [], warnings: [] };
  for (const line of stdout.split('\n')) {
    const [kind, a, b, c] = line.trim().split(' ');
    const at = kind === 'STAGE' && b !== undefined && /^\d+$/.test(b) ? { atMs: Number(b) } : {};
    if (kind === 'STAGE' && a && isStage(a)) report.log.push({ stage: a, status: 'start', text: `${a}…`, ...at });
    else if (kind === 'STAGE' && a === 'health-ok') report.log.push({ stage: 'health', status: 'ok', text: 'health check passed', ...at });
    else if (kind === 'FAIL' && a) report.log.push({ stage: isStage(a) ? a : 'check', status: 'failed', text: fromB64(b) });
    else if (kind === 'WARN') report.warnings.push(fromB64(a));
    else if (kind === 'RESULT') {
      report.status = a ?? 'no-result';
      report.stage = b ?? '-';
      report.reason = fromB64(c);
    }
  }
  return report;
}

function failureError(report: ScriptReport, backupId: string): HomemailError {
  const details = { stage: report.stage, backupId, reason: report.reason.slice(0, 500) };
  switch (report.status) {
    case 'rolled-back':
      return new HomemailError('apply-failed', `Apply failed at the ${report.stage} stage: ${report.reason}. The server was restored from backup ${backupId}.`, {
        details,
        hint: 'Nothing changed on the server. Fix the cause above and run apply again.',
      });
    case 'rollback-failed':
      return new HomemailError('apply-failed', `Apply failed at the ${report.stage} stage (${report.reason}) and restoring backup ${backupId} also failed.`, {
        details: { ...details, restored: false },
        hint: `Check the server now: the backup is in /var/backups/homemail/${backupId}/; try "homemail rollback --backup ${backupId}".`,
      });
    case 'aborted':
      return new HomemailError('checks-failed', `Nothing was changed: ${report.reason}.`, { details, hint: 'Run plan again to see the current differences.' });
    case 'busy':
      return new HomemailError('command-failed', report.reason || 'Another apply is running on this server.', { hint: 'Wait a minute and try again.' });
    case 'interrupted':
      return new HomemailError('command-failed', `The transaction on the server stopped at the ${report.log.at(-1)?.stage ?? 'first'} stage before it finished.`, {
        details,
        hint: 'Run apply again: it first finishes or undoes the interrupted change and tells you which.',
      });
    default:
      return new HomemailError('command-failed', `The server gave no result for apply ${backupId}.`, {
        details,
        hint: 'Run apply again: an interrupted change is finished or undone first.',
      });
  }
}

/**
 * Tells the server the result arrived (one short round trip). Without it, the next run
 * reports the apply as one whose connection was lost. Best effort: a failure here only
 * means the next run mentions this apply once more.
 */
async function acknowledge(session: RemoteSession, backupId: string, signal?: AbortSignal): Promise<void> {
  try {
    await session.exec(scriptCommand('ack', [backupId]), { sudo: true, timeoutMs: GATHER_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  } catch {
    // the apply itself is done; see above
  }
}

/**
 * Applies a request as one transaction: backup, write, validate, reload, health check and
 * automatic rollback. Three round trips (gather, apply, ack); one when nothing needs to change.
 */
export async function applyRequest(session: RemoteSession, request: ChangeRequest, options: ApplyOptions = {}): Promise<ApplyResult> {
  const startTrips = session.roundTrips;
  const log: ApplyProgress[] = [];
  const emit = (event: ApplyProgress) => {
    log.push(event);
    options.progress?.(event);
  };
  if (options.testHook && !faultsAllowed()) {
    throw new HomemailError('bad-input', 'Fault injection is only for tests.', { details: { field: 'testHook' } });
  }
  emit({ stage: 'gather', status: 'start', text: 'Reading the server configuration' });
  const state = await gather(session, request.paths, true, options.signal);
  for (const i of state.interrupted) emit({ stage: 'gather', status: 'info', text: i.text });
  refuseBusy(state);
  const changes = request.compute(state);
  const plan = buildPlan(changes, { host: session.target.host, domain: request.domain, interrupted: state.interrupted });
  if (!changes.changed) {
    emit({ stage: 'done', status: 'ok', text: 'Nothing to change' });
    return { changed: false, backupId: null, plan, warnings: [], interrupted: state.interrupted, log, roundTrips: session.roundTrips - startTrips };
  }
  const backupId = options.backupId ?? newBackupId((options.now ?? (() => new Date()))());
  emit({ stage: 'send', status: 'start', text: `Applying as one transaction (backup ${backupId})` });
  let stdout: string;
  // The server prints each stage as it starts: pass them on as they arrive, not at the end.
  let pending = '';
  let streamed = 0;
  const onStdout = (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const event of parseScriptReport(lines.join('\n')).log) {
      streamed += 1;
      emit(event);
    }
  };
  try {
    const result = await session.exec(scriptCommand('apply', [backupId]), {
      sudo: true,
      onStdout,
      stdin: encodeBundle(changes, options.testHook ?? null, state.platform.mailLogs),
      timeoutMs: APPLY_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    stdout = result.stdout;
  } catch (error) {
    if (error instanceof HomemailError && (error.code === 'ssh-unreachable' || error.code === 'ssh-timeout' || error.code === 'command-failed')) {
      throw new HomemailError(error.code, `The connection was lost while apply ${backupId} ran: ${error.message}`, {
        details: { backupId },
        hint: 'The server carries on by itself. Run apply again: it reports whether the change finished or was undone.',
        cause: error,
      });
    }
    throw error;
  }
  const report = parseScriptReport(stdout);
  for (const event of report.log.slice(streamed)) emit(event);
  if (report.status !== 'no-result' && report.status !== 'interrupted') await acknowledge(session, backupId, options.signal);
  if (report.status !== 'ok') {
    emit({ stage: 'done', status: 'failed', text: report.reason });
    throw failureError(report, backupId);
  }
  emit({ stage: 'done', status: 'ok', text: `Applied; backup ${backupId}` });
  return { changed: true, backupId, plan, warnings: report.warnings, interrupted: state.interrupted, log, roundTrips: session.roundTrips - startTrips };
}

/** Restores a backup (the latest finished apply by default) and reloads. One round trip. */
export async function rollbackChanges(session: RemoteSession, backupId: string | null, options: ChangeOptions = {}): Promise<RollbackResult> {
  if (backupId !== null && !/^[0-9A-Za-z-]{1,64}$/.test(backupId)) {
    throw new HomemailError('bad-input', `"${backupId}" is not a Homemail backup id.`, { details: { field: 'backup' }, hint: 'Backup ids look like 20260101-120000-a1b2c3.' });
  }
  const result = await session.exec(scriptCommand('rollback', [backupId ?? 'latest']), { sudo: true, timeoutMs: APPLY_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
  const [, status, id, reason] = line.split(' ');
  if (status === 'ok' && id) return { backupId: id, restored: true, interrupted: [] };
  if (status === 'not-found') {
    throw new HomemailError('not-found', fromB64(reason) || 'There is no backup to restore.', { details: { field: 'backup' }, hint: 'Backups are listed in /var/backups/homemail/ on the server.' });
  }
  if (status === 'busy') throw new HomemailError('command-failed', fromB64(reason), { hint: 'Wait a minute and try again.' });
  throw new HomemailError('command-failed', `Restoring backup ${id ?? backupId ?? ''} failed: ${fromB64(reason) || result.stderr.trim().slice(0, 300)}`, {
    hint: 'Look at the services on the server; the backup files stay in /var/backups/homemail/.',
  });
}

