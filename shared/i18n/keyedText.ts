/**
 * How a keyed sentence from a service (a catalog key under a namespace, its params, and the
 * English text for when the key is new) becomes words in the person's language. One rule for
 * both doors: the wizard (react-i18next) and the CLI (i18next, following LANG).
 */

import type { CheckWords } from '../watch.js';

export type TextParams = Readonly<Record<string, string | number>>;

export interface KeyedText {
  key: string;
  params: TextParams;
  text: string;
}

/** Replaces `{{name}}` with params, as i18next does with escapeValue off. */
export function fillTemplate(template: string, params: TextParams): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The two things of an i18next instance this needs. */
export interface Translator {
  t: (key: string, params?: Record<string, string | number>) => string;
  exists: (key: string) => boolean;
}

export function renderKeyed(translator: Translator, namespace: string, item: KeyedText | null | undefined): string {
  if (!item) return '';
  const key = `${namespace}.${item.key}`;
  if (!translator.exists(key)) return item.text;
  // A param that is itself a word of the service (a resolver's role, a parser's problem code)
  // is translated too, from `words.<namespace>.<name>.<value>`, filled from the same params.
  // A `field` is named as the door names it: the wizard's label (`fields.<field>`); the CLI
  // gives its flag instead before rendering.
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(item.params)) {
    const word = `words.${namespace}.${name}.${value}`;
    const label = `fields.${value}`;
    if (typeof value === 'string' && translator.exists(word)) params[name] = translator.t(word, { ...item.params });
    else if (name === 'field' && typeof value === 'string' && translator.exists(label)) params[name] = translator.t(label);
    else params[name] = value;
  }
  return translator.t(key, params);
}

/** A sentence of an error: `serviceErrors.<key>`, or `validation.<key>` for a refused value's problem. */
interface ErrorSentenceText {
  key: string;
  params: TextParams;
  namespace?: 'validation';
}

/**
 * An error's message (its sentence and notes) in the translator's language, or its English
 * message when it has no code. A refused value's problem is put as the door names the value
 * (`refusedValue`: the CLI after its option; the wizard shows the field's label beside it).
 */
export function errorMessageText(
  keyed: (namespace: string, item: KeyedText) => string,
  error: { message: string; sentence?: ErrorSentenceText; notes?: readonly ErrorSentenceText[] },
  refusedValue: (problem: string) => string = (problem) => problem,
): string {
  const sentences = error.sentence ? [error.sentence, ...(error.notes ?? [])] : [];
  if (sentences.length === 0) return error.message;
  return sentences
    .map((s) => {
      const words = keyed(s.namespace ?? 'serviceErrors', { key: s.key, params: s.params, text: s.key });
      return s.namespace === 'validation' ? refusedValue(words) : words;
    })
    .join('\n');
}

/** Why a watch skipped a check: its error's codes in the translator's language, else the English detail it has. */
export function watchSkipDetail(keyed: (namespace: string, item: KeyedText) => string, skip: { detail: string; failure?: Parameters<typeof errorMessageText>[1] }): string {
  return skip.failure ? errorMessageText(keyed, skip.failure) : skip.detail;
}

/** One line of an apply's log: the stage's sentence from the catalog; a server's own reason (its code's words, else its text) only where the catalog has none. */
export function applyLogText(translator: Translator, entry: { stage: string; status: string; text: string; params?: TextParams; reason?: KeyedText; interrupted?: { backupId: string; outcome: string; text: string } }): string {
  const key = `apply.line.${entry.stage}.${entry.status}`;
  if (translator.exists(key)) return translator.t(key, { ...entry.params });
  if (entry.status !== 'failed' && entry.status !== 'info') return '';
  if (entry.interrupted) return interruptedApplyText(translator, entry.interrupted);
  return entry.reason ? serverReasonText(translator, entry.reason) : entry.text;
}

/** What became of an earlier, interrupted apply (`apply.interrupted.<outcome>`), or its text as it came. */
export function interruptedApplyText(translator: Translator, interrupted: { backupId: string; outcome: string; text: string }): string {
  const key = `apply.interrupted.${interrupted.outcome}`;
  return translator.exists(key) ? translator.t(key, { id: interrupted.backupId }) : interrupted.text;
}

/** A reason the server script gave (`words.serviceErrors.reason.<code>`), or its text as it came. */
export function serverReasonText(translator: Translator, reason: KeyedText): string {
  return renderKeyed(translator, 'words.serviceErrors.reason', reason);
}

/**
 * What changed between two watch runs (`watch.change.<kind>`), the same for the Status page, the
 * CLI and a desktop notification. A check's title, state before and after come from its keyed
 * words (`checks.<key>`, statuses as `verify.status.<status>`); a blocklist's health code from
 * `words.checks.health`. A change stored without keyed words keeps its English params.
 */
export function watchChangeText(
  translator: Translator,
  change: { kind: string; params: TextParams; text: string; checks?: { before: CheckWords | null; after: CheckWords | null } | null },
): string {
  const key = `watch.change.${change.kind}`;
  if (!translator.exists(key)) return change.text;
  const params: Record<string, string | number> = { ...change.params };
  const { before, after } = change.checks ?? { before: null, after: null };
  const titled = after ?? before;
  if (titled) params.title = storedCheckText(translator, titled.titleKey, titled.params, titled.title);
  if (before) params.before = checkStateText(translator, before);
  if (after) params.after = change.kind === 'spf-lost-address' ? findingText(translator, after) : checkStateText(translator, after);
  const health = `words.checks.health.${String(change.params.after)}`;
  if (change.kind === 'inbound-blocklist-broken' && translator.exists(health)) params.after = translator.t(health);
  return translator.t(key, params);
}

/** A check's state in words: its status, and what was found when there is something. */
function checkStateText(translator: Translator, check: CheckWords): string {
  const status = translator.t(`verify.status.${check.status}`);
  if (check.found === null || check.found === '') return status;
  return translator.t('watch.checkState', { status, found: storedCheckText(translator, check.foundKey, check.params, check.found) });
}

/** What was found, or the status in words when nothing was: for sentences that already say the state. */
function findingText(translator: Translator, check: CheckWords): string {
  if (check.found === null || check.found === '') return translator.t(`verify.status.${check.status}`);
  return storedCheckText(translator, check.foundKey, check.params, check.found);
}

/** A stored check's title and finding (`checks.<key>`, its coded params in words), as the history keeps them. */
export function storedCheckText(translator: Translator, key: string | null | undefined, params: Readonly<Record<string, string | number>>, english: string): string {
  return key ? renderKeyed(translator, 'checks', { key, params, text: english }) : english;
}
