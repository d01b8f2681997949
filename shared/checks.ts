/**
 * The typed result of one check (DNS verification, send-test), shared by the main process,
 * the CLI and the wizard. Pure data, no Node.
 *
 * Every sentence is i18n-ready: `key` is a translation key under `checks.` in the renderer's
 * locales, `params` fill it, and `text` is the same sentence already rendered in English for
 * the CLI, --json and logs (the same pattern as shared/inspection.ts findings).
 */
import en from '../renderer/src/locales/en.json' with { type: 'json' };
import { englishText } from './i18n/english.js';

/** A sentence of the checks: a key under `checks.` in the catalogs. */
export type CheckMessageKey = keyof typeof en.checks;

/** `unknown` = cannot tell (a resolver did not answer, a blocklist refused us, …), never a guess. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export const checkStatuses: readonly CheckStatus[] = ['fail', 'warn', 'unknown', 'pass'];

export type CheckParams = Readonly<Record<string, string | number>>;

export interface CheckText {
  key: CheckMessageKey;
  params: CheckParams;
  /** The English rendering of key + params. */
  text: string;
}

export type CheckArea =
  | 'resolver'
  | 'dkim'
  | 'spf'
  | 'dmarc'
  | 'mx'
  | 'ptr'
  | 'adsp'
  | 'blocklist'
  | 'address'
  | 'propagation'
  | 'message'
  | 'port25'
  | 'tls'
  | 'relay';

export interface Check {
  /** Stable within one report, e.g. "dkim:postfix", "spf.eval:192.0.2.1", "propagation:8.8.8.8:TXT:example.jp". */
  id: string;
  area: CheckArea;
  status: CheckStatus;
  /** What was checked ("DKIM record postfix._domainkey.example.jp"). */
  title: CheckText;
  expected: CheckText | null;
  found: CheckText | null;
  /** What to do next; null when nothing needs doing. */
  fix: CheckText | null;
}

export interface CheckSummary {
  pass: number;
  warn: number;
  fail: number;
  unknown: number;
}

export function checkText(key: CheckMessageKey, params: CheckParams = {}): CheckText {
  return { key, params, text: englishText('checks', key, params) };
}

export function summarize(checks: readonly Pick<Check, 'status'>[]): CheckSummary {
  const summary: CheckSummary = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const check of checks) summary[check.status] += 1;
  return summary;
}

/** The worst status, in the order fail > warn > unknown > pass (empty = pass). */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  for (const status of checkStatuses) if (statuses.includes(status)) return status;
  return 'pass';
}
