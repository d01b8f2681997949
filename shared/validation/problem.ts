import { badInput, type HomemailError } from '../errors.js';
import { englishText, type EnglishCatalog } from '../i18n/english.js';
import type { TextParams } from '../i18n/keyedText.js';

export { fillTemplate, type TextParams } from '../i18n/keyedText.js';

/** A validation problem's key: `validation.<key>` in the catalogs (en.json holds the English). */
export type ValidationMessageKey = keyof EnglishCatalog['validation'];

/** Why a value was refused: an i18n key under `validation.` with params, and the English text. */
export interface ValidationProblem {
  key: ValidationMessageKey;
  params: TextParams;
  text: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problem: ValidationProblem };

export function problem(key: ValidationMessageKey, params: TextParams = {}): ValidationProblem {
  return { key, params, text: englishText('validation', key, params) };
}

export function valid<T>(value: T): Validated<T> {
  return { ok: true, value };
}

export function invalid<T>(key: ValidationMessageKey, params: TextParams = {}): Validated<T> {
  return { ok: false, problem: problem(key, params) };
}

/**
 * The value, or a `bad-input` HomemailError naming the field (exit 2 in the CLI). For the
 * main process and the CLI; the wizard shows `problem` beside the field instead.
 */
export function orThrow<T>(field: string, result: Validated<T>): T {
  if (result.ok) return result.value;
  throw toBadInput(field, result.problem);
}

export function toBadInput(field: string, p: ValidationProblem): HomemailError {
  return badInput(field, p);
}
