import type { Check, CheckSummary } from '../checks.js';
import { englishCatalog } from './english.js';
import { renderKeyed, type KeyedText } from './keyedText.js';

/** What rendering checks as text needs: the catalog's words and a keyed sentence in one language. */
export interface TextRenderer {
  t: (key: string, params?: Record<string, string | number>) => string;
  keyed: (namespace: string, item: KeyedText | null | undefined) => string;
}

/** The English catalog as a TextRenderer (saved reports, logs). */
export const englishRenderer: TextRenderer = { t: englishCatalog.t, keyed: (namespace, item) => renderKeyed(englishCatalog, namespace, item) };

/** One check as plain text: a status line, then found / expected / fix when known. */
export function checkLines(check: Check, text: TextRenderer): string[] {
  const lines = [`[${text.t(`cli.check.status.${check.status}`)}] ${text.keyed('checks', check.title)}`];
  const labels = [text.t('verify.found'), text.t('verify.expected'), text.t('verify.fix')];
  const width = Math.max(...labels.map((label) => displayWidth(label))) + 2;
  const line = (label: string, value: string) => `       ${label}:${' '.repeat(width - displayWidth(label) - 1)}${value}`;
  if (check.found) lines.push(line(labels[0] ?? '', text.keyed('checks', check.found)));
  if (check.expected && check.status !== 'pass') lines.push(line(labels[1] ?? '', text.keyed('checks', check.expected)));
  if (check.fix && check.status !== 'pass') lines.push(line(labels[2] ?? '', text.keyed('checks', check.fix)));
  return lines;
}

export function summaryLine(summary: CheckSummary, text: TextRenderer): string {
  return text.t('verify.summary', { ...summary });
}

/** Columns a terminal gives the text: two for each wide (CJK) character. */
export function displayWidth(value: string): number {
  let width = 0;
  for (const char of value) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(char) ? 2 : 1;
  return width;
}
