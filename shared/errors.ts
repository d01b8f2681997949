/**
 * Errors that cross the contract. Every failure a person can meet has a code; the code
 * decides the CLI exit status and the translated text the wizard shows. `message` is the
 * English sentence for logs and the CLI; `hint` says what to do next.
 */
import { englishText } from './i18n/english.js';
import type { TextParams } from './i18n/keyedText.js';
import type { ValidationProblem } from './validation/problem.js';

export const errorCodes = {
  // exit 2: the request itself is wrong; nothing was touched
  'bad-input': 2,
  'usage': 2,
  // exit 3: the server could not be reached or would not let us in
  'ssh-unreachable': 3,
  'ssh-name-not-found': 3,
  'ssh-refused': 3,
  'ssh-timeout': 3,
  'ssh-not-ssh-server': 3,
  'ssh-no-login-method': 3,
  'host-key-unknown': 3,
  'host-key-changed': 3,
  'auth-failed': 3,
  'sudo-failed': 3,
  'algorithm-mismatch': 3,
  // exit 4: a server change failed and was undone
  'apply-failed': 4,
  // exit 1: something was checked and found wanting, or an operation failed plainly
  'checks-failed': 1,
  'not-found': 1,
  'cancelled': 1,
  'command-failed': 1,
  'internal': 1,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A sentence of an error as a code and params: `serviceErrors.<key>` or `serviceHints.<key>` in
 * the catalogs; a refused value's problem is `validation.<key>` (namespace 'validation').
 */
export interface ErrorSentence {
  key: string;
  params: TextParams;
  namespace?: 'validation';
}

/** The catalog namespace of an error's message or note. */
export function sentenceNamespace(sentence: ErrorSentence): 'serviceErrors' | 'validation' {
  return sentence.namespace ?? 'serviceErrors';
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: ErrorDetails;
  /** `message` as a code (with notes, each under `serviceErrors.`), for the door to render in the person's language. */
  sentence?: ErrorSentence;
  notes?: ErrorSentence[];
  /** `hint` as a code; a `field` param is named by the door (a CLI option, a wizard label). */
  hintSentence?: ErrorSentence;
  /** A program's own output (a server command's stderr), shown as quoted technical output, never as a sentence of ours. */
  output?: string;
}

interface ErrorOptions {
  hint?: string;
  details?: ErrorDetails;
  cause?: unknown;
  sentence?: ErrorSentence;
  notes?: readonly ErrorSentence[];
  hintSentence?: ErrorSentence;
  output?: string;
}

export class HomemailError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: ErrorDetails | undefined;
  readonly sentence: ErrorSentence | undefined;
  readonly notes: readonly ErrorSentence[];
  readonly hintSentence: ErrorSentence | undefined;
  readonly output: string | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HomemailError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.sentence = options.sentence;
    this.notes = options.notes ?? [];
    this.hintSentence = options.hintSentence;
    this.output = options.output;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/**
 * An error whose message (and hint) are codes with params, rendered from the catalogs: English
 * `message`/`hint` for logs and --json, the person's language at each door.
 */
export function keyedError(
  code: ErrorCode,
  sentence: ErrorSentence,
  options: { hint?: ErrorSentence; notes?: readonly ErrorSentence[]; details?: ErrorDetails; cause?: unknown; output?: string } = {},
): HomemailError {
  const message = [sentence, ...(options.notes ?? [])].map((s) => englishText(sentenceNamespace(s), s.key, s.params)).join('\n');
  return new HomemailError(code, message, {
    sentence,
    notes: options.notes ?? [],
    ...(options.hint === undefined ? {} : { hint: englishText('serviceHints', options.hint.key, options.hint.params), hintSentence: options.hint }),
    ...(options.details === undefined ? {} : { details: options.details }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    ...(options.output === undefined ? {} : { output: options.output }),
  });
}

/**
 * The most common failure: a field's value is not acceptable. The problem is a validation
 * code (`validation.<key>`); the door names the field (the CLI its option, the wizard its label).
 */
export function badInput(field: string, problem: Pick<ValidationProblem, 'key' | 'params'>, hint?: ErrorSentence): HomemailError {
  return keyedError('bad-input', { namespace: 'validation', key: problem.key, params: problem.params }, { details: { field }, ...(hint === undefined ? {} : { hint }) });
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

export function exitCodeFor(code: ErrorCode): number {
  return errorCodes[code];
}

/**
 * Turns anything thrown into what may cross to the renderer or the CLI's --json output:
 * code, message, hint and details only. Stacks and causes stay in the main process.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof HomemailError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.details === undefined ? {} : { details: error.details }),
      ...(error.sentence === undefined ? {} : { sentence: error.sentence }),
      ...(error.notes.length === 0 ? {} : { notes: [...error.notes] }),
      ...(error.hintSentence === undefined ? {} : { hintSentence: error.hintSentence }),
      ...(error.output === undefined ? {} : { output: error.output }),
    };
  }
  if (error instanceof Error && error.name === 'AbortError') return cancelledError();
  // A programming error: its own words are technical output, our sentence around it is coded.
  const output = error instanceof Error ? error.message : String(error);
  return serializeError(keyedError('internal', { key: 'unexpected', params: {} }, { hint: { key: 'reportSteps', params: {} }, output }));
}

/** What a cancelled call answers. */
export function cancelledError(): SerializedError {
  return serializeError(keyedError('cancelled', { key: 'cancelled', params: {} }));
}

export function deserializeError(error: SerializedError): HomemailError {
  return new HomemailError(error.code, error.message, {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.sentence === undefined ? {} : { sentence: error.sentence }),
    ...(error.notes === undefined ? {} : { notes: error.notes }),
    ...(error.hintSentence === undefined ? {} : { hintSentence: error.hintSentence }),
    ...(error.output === undefined ? {} : { output: error.output }),
  });
}
