import { randomBytes } from 'node:crypto';
import { HomemailError, keyedError, type ErrorSentence } from '../../../shared/errors.js';
import { englishCatalog, englishText } from '../../../shared/i18n/english.js';
import { applyLogText, type KeyedText, type TextParams } from '../../../shared/i18n/keyedText.js';
import { APPLY_STAGES, type ApplyProgress, type ApplyResult, type ApplyStage, type Plan, type RollbackResult } from '../../../shared/plan.js';
import { commandFailure } from '../../services/ssh/commandFailure.js';
import { commandLine } from '../../services/ssh/quote.js';
import type { ExecInput, ExecResult, RemoteSession } from '../../services/ssh/types.js';
import { transactionScript } from '../scripts/index.js';
import { scriptReason, scriptReasonText } from '../scripts/reasons.js';
import { encodeBundle, type TestHook } from './bundle.js';
import type { ChangeSet } from './changeSet.js';
import { buildPlan } from './planView.js';
import { parseGather, type ServerState } from './state.js';

/**
 * plan / apply / rollback over one RemoteSession, one command each. Plan gathers (read
 * only); apply gathers, then transacts within the same command (see applyRequest); rollback
 * restores.
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

async function gather(session: RemoteSession, paths: readonly string[], signal?: AbortSignal): Promise<ServerState> {
  const result = await session.exec(scriptCommand('gather', ['--', ...paths]), { sudo: true, timeoutMs: GATHER_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  return stateFrom(result);
}

/** The gathered state, or why the server gave none. */
function stateFrom(result: ExecResult): ServerState {
  if (result.code !== 0 && !result.stdout.includes('HOMEMAIL-GATHER')) {
    throw keyedError('command-failed', { key: 'serverConfigUnreadable', params: {} }, { hint: { key: 'checkSudo', params: {} }, ...commandFailure(result) });
  }
  return parseGather(result.stdout);
}

function refuseBusy(state: ServerState): void {
  if (state.busy !== null) {
    throw keyedError('command-failed', { key: 'applyStillRunning', params: {} }, {
      details: { pid: state.busy },
      hint: { key: 'waitAndRetry', params: {} },
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
  const state = await gather(session, request.paths, options.signal);
  const changes = request.compute(state);
  const plan = buildPlan(changes, { host: session.target.host, domain: request.domain, interrupted: state.interrupted });
  return { plan, changes, state };
}

interface ScriptReport {
  status: string;
  stage: string;
  reason: string;
  /** The reason as a code with params, when the script gave one. */
  reasonSentence: ErrorSentence | null;
  log: ApplyProgress[];
  warnings: KeyedText[];
}

const isStage = (word: string): word is ApplyStage => (APPLY_STAGES as readonly string[]).includes(word);

/** A progress line whose English text is the catalog's, the same line each door shows in its language. */
export function logEntry(stage: ApplyProgress['stage'], status: 'start' | 'ok', params: TextParams = {}): ApplyProgress {
  const entry: ApplyProgress = { stage, status, text: '', ...(Object.keys(params).length === 0 ? {} : { params }) };
  const text = applyLogText(englishCatalog, entry) || `${englishText('apply', `stage.${stage}`)}: ${englishText('apply', `status.${status}`)}`;
  return { ...entry, text };
}

/** The reason as params of an error sentence: its code as `reason` (a word of serviceErrors) and its own params, or the text as it came. */
function reasonParams(report: Pick<ScriptReport, 'reason' | 'reasonSentence'>): Record<string, string> {
  return report.reasonSentence === null ? { reason: report.reason } : { ...report.reasonSentence.params, reason: report.reasonSentence.key };
}

export function parseScriptReport(stdout: string): ScriptReport {
  const report: ScriptReport = { status: 'no-result', stage: '-', reason: '', reasonSentence: null, log: [], warnings: [] };
  for (const line of stdout.split('\n')) {
    const [kind, a, b, c] = line.trim().split(' ');
    const at = kind === 'STAGE' && b !== undefined && /^\d+$/.test(b) ? { atMs: Number(b) } : {};
    if (kind === 'STAGE' && a && isStage(a)) report.log.push({ ...logEntry(a, 'start'), ...at });
    else if (kind === 'STAGE' && a === 'health-ok') report.log.push({ ...logEntry('health', 'ok'), ...at });
    else if (kind === 'FAIL' && a) {
      const reason = scriptReasonText(fromB64(b));
      report.log.push({ stage: isStage(a) ? a : 'check', status: 'failed', text: reason.text, reason });
    } else if (kind === 'WARN') report.warnings.push(scriptReasonText(fromB64(a)));
    else if (kind === 'RESULT') {
      report.status = a ?? 'no-result';
      report.stage = b ?? '-';
      const reason = scriptReason(fromB64(c));
      report.reason = reason.text;
      report.reasonSentence = reason.sentence;
    }
  }
  return report;
}

export function failureError(report: ScriptReport, backupId: string): HomemailError {
  const details = { stage: report.stage, backupId, reason: report.reason.slice(0, 500) };
  switch (report.status) {
    case 'rolled-back':
      return keyedError('apply-failed', { key: 'applyRolledBack', params: { stage: report.stage, backupId, ...reasonParams(report) } }, { details, hint: { key: 'fixAndApplyAgain', params: {} } });
    case 'rollback-failed':
      return keyedError('apply-failed', { key: 'applyRollbackFailed', params: { stage: report.stage, backupId, ...reasonParams(report) } }, {
        details: { ...details, restored: false },
        hint: { key: 'checkServerBackup', params: { backupId, field: 'backup' } },
      });
    case 'aborted':
      return keyedError('checks-failed', { key: 'applyAborted', params: reasonParams(report) }, { details, hint: { key: 'planAgain', params: {} } });
    case 'busy':
      return report.reason
        ? keyedError('command-failed', { key: 'serverBusy', params: reasonParams(report) }, { hint: { key: 'waitAndRetry', params: {} } })
        : keyedError('command-failed', { key: 'applyBusy', params: {} }, { hint: { key: 'waitAndRetry', params: {} } });
    case 'refused':
      return keyedError('command-failed', { key: 'applyRefused', params: reasonParams(report) }, { details, hint: { key: 'tryAgain', params: {} } });
    case 'interrupted': {
      const stage = report.log.at(-1)?.stage;
      return keyedError('command-failed', stage === undefined ? { key: 'applyInterruptedEarly', params: {} } : { key: 'applyInterrupted', params: { stage } }, {
        details,
        hint: { key: 'applyAgainAfterInterrupt', params: {} },
      });
    }
    default:
      return keyedError('command-failed', { key: 'applyNoResult', params: { backupId } }, {
        details,
        hint: { key: 'applyAgainAfterInterrupt', params: {} },
      });
  }
}

/**
 * Applies a request as one transaction: backup, write, validate, reload, health check and
 * automatic rollback, in ONE command (one round trip's worth of SSH set-up): the server
 * gathers its state (first finishing or undoing an interrupted apply) and waits; this side
 * computes the change set from it and sends the bundle on the same stdin (or ends stdin when
 * nothing needs to change); the server runs the transaction, printing each stage as it
 * starts, and once the RESULT has arrived here, an "ack" line tells it so (without one, the
 * next run reports the apply as one whose connection was lost).
 */
export async function applyRequest(session: RemoteSession, request: ChangeRequest, options: ApplyOptions = {}): Promise<ApplyResult> {
  const startTrips = session.roundTrips;
  const log: ApplyProgress[] = [];
  const emit = (event: ApplyProgress) => {
    log.push(event);
    options.progress?.(event);
  };
  if (options.testHook && !faultsAllowed()) {
    throw keyedError('bad-input', { key: 'faultsOnlyForTests', params: {} }, { details: { field: 'testHook' } });
  }
  emit(logEntry('gather', 'start'));
  let gathered = '';
  let decided: { state: ServerState; changes: ChangeSet; plan: Plan; backupId: string | null } | null = null;
  let refused: unknown = null;
  const applyLines: string[] = [];
  const converse = (line: string, input: ExecInput): void => {
    if (decided === null && refused === null) {
      gathered += `${line}\n`;
      if (line.trim() !== 'end') return;
      try {
        const state = parseGather(gathered);
        for (const i of state.interrupted) emit({ stage: 'gather', status: 'info', text: i.text, interrupted: i });
        refuseBusy(state);
        const changes = request.compute(state);
        const plan = buildPlan(changes, { host: session.target.host, domain: request.domain, interrupted: state.interrupted });
        if (!changes.changed) {
          decided = { state, changes, plan, backupId: null };
          input.end();
          return;
        }
        const backupId = options.backupId ?? newBackupId((options.now ?? (() => new Date()))());
        decided = { state, changes, plan, backupId };
        emit(logEntry('send', 'start', { backup: backupId }));
        input.write(`apply ${backupId}\n${encodeBundle(changes, options.testHook ?? null, state.platform)}`);
      } catch (error) {
        refused = error;
        input.end();
      }
      return;
    }
    if (decided?.backupId == null) return;
    applyLines.push(line);
    // The server prints each stage as it starts: pass them on as they arrive, not at the end.
    for (const event of parseScriptReport(line).log) emit(event);
    const status = line.startsWith('RESULT ') ? line.split(' ')[1] : undefined;
    if (status !== undefined) {
      if (status !== 'interrupted') input.write('ack\n');
      input.end();
    }
  };
  let result: ExecResult;
  try {
    result = await session.exec(scriptCommand('transact', ['--', ...request.paths]), {
      sudo: true,
      converse,
      timeoutMs: APPLY_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const backupId = (decided as { backupId: string | null } | null)?.backupId ?? null;
    if (backupId !== null && error instanceof HomemailError && (error.code === 'ssh-unreachable' || error.code === 'ssh-timeout' || error.code === 'command-failed')) {
      // What the connection said comes after, as notes: its own sentence where it has one.
      const cause: ErrorSentence[] = error.sentence ? [error.sentence, ...error.notes] : [];
      throw keyedError(error.code, { key: 'connectionLostDuringApply', params: { backupId } }, { notes: cause, details: { backupId }, hint: { key: 'serverCarriesOn', params: {} }, cause: error });
    }
    throw error;
  }
  if (refused !== null) throw refused;
  const outcome = decided as { state: ServerState; changes: ChangeSet; plan: Plan; backupId: string | null } | null;
  if (outcome === null) {
    // The server stopped before its state was complete: say why (sudo, a missing tool, ...).
    stateFrom(result);
    throw keyedError('command-failed', { key: 'stateQueryIncomplete', params: {} }, { hint: { key: 'tryAgain', params: {} }, ...commandFailure(result) });
  }
  const { state, plan, backupId } = outcome;
  if (backupId === null) {
    emit(logEntry('done', 'ok'));
    return { changed: false, backupId: null, plan, warnings: [], interrupted: state.interrupted, log, roundTrips: session.roundTrips - startTrips };
  }
  // A last line without its newline (the command ended) is still part of the answer.
  const last = result.stdout.endsWith('\n') ? '' : (result.stdout.split('\n').at(-1) ?? '');
  for (const event of parseScriptReport(last).log) emit(event);
  const report = parseScriptReport([...applyLines, last].join('\n'));
  if (report.status !== 'ok') {
    emit({ stage: 'done', status: 'failed', text: report.reason, reason: { key: report.reasonSentence?.key ?? '', params: report.reasonSentence?.params ?? {}, text: report.reason } });
    throw failureError(report, backupId);
  }
  emit(logEntry('done', 'ok'));
  return { changed: true, backupId, plan, warnings: report.warnings, interrupted: state.interrupted, log, roundTrips: session.roundTrips - startTrips };
}

/** Restores a backup (the latest finished apply by default) and reloads. One round trip. */
export async function rollbackChanges(session: RemoteSession, backupId: string | null, options: ChangeOptions = {}): Promise<RollbackResult> {
  if (backupId !== null && !/^[0-9A-Za-z-]{1,64}$/.test(backupId)) {
    throw keyedError('bad-input', { key: 'notBackupId', params: { backup: backupId } }, { details: { field: 'backup' }, hint: { key: 'backupIdForm', params: {} } });
  }
  const result = await session.exec(scriptCommand('rollback', [backupId ?? 'latest']), { sudo: true, timeoutMs: APPLY_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) });
  return rollbackOutcome(result, backupId);
}

/** What the script's rollback mode answered: the restored backup, or why not (its reason as a code with params). */
export function rollbackOutcome(result: ExecResult, backupId: string | null): RollbackResult {
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
  const [, status, id, encoded] = line.split(' ');
  if (status === 'ok' && id) return { backupId: id, restored: true, interrupted: [] };
  const said = scriptReason(fromB64(encoded));
  // No reason from the script (it did not run to its end): what the server printed on stderr, as it came.
  const reason = reasonParams({ reason: said.text || result.stderr.trim().slice(0, 300), reasonSentence: said.sentence });
  if (status === 'not-found') {
    throw keyedError('not-found', { key: 'nothingToRestore', params: reason }, { details: { field: 'backup' }, hint: { key: 'backupsListed', params: { field: 'backup-list' } } });
  }
  if (status === 'busy') throw keyedError('command-failed', { key: 'serverBusy', params: reason }, { hint: { key: 'waitAndRetry', params: {} } });
  throw keyedError('command-failed', { key: 'restoreFailed', params: { ...reason, backupId: id && id !== '-' ? id : (backupId ?? '') } }, { hint: { key: 'checkServicesAfterRestore', params: {} } });
}

