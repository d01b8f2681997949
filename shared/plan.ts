/**
 * The plan a person reviews before Homemail changes a server, and what apply/rollback report.
 * Pure data (the renderer imports it). Every sentence has an English `text` for the CLI and a
 * `key` + `params` the wizard translates.
 */
import type { KeyedText, TextParams } from './i18n/keyedText.js';

export interface PlanText {
  /** i18n key under `plan.` */
  key: string;
  params: Record<string, string | number>;
  /** The English sentence. */
  text: string;
}

export type FileChangeKind = 'create' | 'modify' | 'delete';

export interface PlannedFile {
  path: string;
  kind: FileChangeKind;
  owner: string;
  group: string;
  /** Octal, e.g. "0644". */
  mode: string;
  /** A private key: the diff shows no key material, only that the file is written. */
  secret: boolean;
  /** A password file (the relay login): secret, and named as a password. */
  password?: true;
  /** Unified diff (npm `diff`), `a/PATH` → `b/PATH`; for secret files a one-line summary. */
  diff: string;
  why: PlanText;
}

export type PlannedCommandKind =
  | 'install-packages'
  | 'create-directory'
  | 'newaliases'
  | 'validate'
  | 'reload-service'
  | 'restart-service'
  | 'start-service'
  | 'health-check';

export interface PlannedCommand {
  kind: PlannedCommandKind;
  /** The command as it will run (no secrets ever appear in commands). */
  command: string;
  words: PlanText;
}

/** What became of an interrupted apply; each has its sentence at `apply.interrupted.<outcome>` in the catalogs. */
export const INTERRUPTED_OUTCOMES = ['finished', 'undone', 'undo-failed', 'reported-done', 'reported-rolled-back', 'reported-rollback-failed', 'pending'] as const;
export type InterruptedOutcome = (typeof INTERRUPTED_OUTCOMES)[number];

/** An earlier apply that a lost connection interrupted, and what became of it. */
export interface InterruptedApply {
  backupId: string;
  outcome: InterruptedOutcome;
  text: string;
}

export interface Plan {
  host: string;
  domain: string;
  /** False when the server already has every setting: apply would touch nothing. */
  changed: boolean;
  files: PlannedFile[];
  commands: PlannedCommand[];
  /** Paths backed up under /var/backups/homemail/ID/ before anything is written. */
  backedUp: string[];
  notes: PlanText[];
  /** The milter address Postfix will use and the OpenDKIM socket. */
  opendkimSocket: string;
  milter: string;
  interrupted: InterruptedApply[];
}

/** The server-side transaction's stages, in order (main/server/scripts/transaction.sh prints them). */
export const APPLY_STAGES = ['check', 'packages', 'backup', 'write', 'validate', 'restart', 'health', 'rollback'] as const;
export type ApplyStage = (typeof APPLY_STAGES)[number];

export interface ApplyProgress {
  stage: ApplyStage | 'gather' | 'send' | 'done';
  status: 'start' | 'ok' | 'failed' | 'info';
  /** The line in English (--json, logs): the catalog's `apply.line.<stage>.<status>` with `params`, else the stage and status words. */
  text: string;
  /** What fills the line's sentence (`{{backup}}` of the send stage). */
  params?: TextParams;
  /** An earlier apply the server finished or undid first (stage `gather`, status `info`). */
  interrupted?: InterruptedApply;
  /** A failure's reason as the server script gave it: a code under `words.serviceErrors.reason` (key '' when it gave plain text). */
  reason?: KeyedText;
  /** The server's clock (ms since 1970) when it reached this stage, where the server reports it (stage timings, the bench). */
  atMs?: number;
}

export interface ApplyResult {
  changed: boolean;
  /** The backup made by this apply; null when nothing changed. */
  backupId: string | null;
  plan: Plan;
  /** Warnings the server reported (e.g. the signature could not be confirmed from logs), as codes under `words.serviceErrors.reason`. */
  warnings: KeyedText[];
  interrupted: InterruptedApply[];
  log: ApplyProgress[];
  roundTrips: number;
}

export interface RollbackResult {
  backupId: string;
  restored: true;
  interrupted: InterruptedApply[];
}

/** How a private key or a password in a plan is described instead of its content (a `review.` catalog key, for every door). */
export function secretNoteKey(file: Pick<PlannedFile, 'kind' | 'password'>): 'review.secretRemoved' | 'review.secretPassword' | 'review.secretFile' {
  if (file.kind === 'delete') return 'review.secretRemoved';
  return file.password === true ? 'review.secretPassword' : 'review.secretFile';
}
