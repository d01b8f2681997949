import { invalid, valid, type Validated } from './problem.js';
import { refuseControlCharacters } from './text.js';

const SELECTOR_CHARS = /^[A-Za-z0-9.-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A DKIM selector per RFC 6376 §3.1: `sub-domain *( "." sub-domain )` with RFC 5321's
 * sub-domain (letters, digits, inner hyphens). Case folded: DNS does not tell case apart.
 */
export function normalizeSelector(input: string, now: Date = new Date()): Validated<string> {
  const control = refuseControlCharacters<string>(input);
  if (control) return control;
  const value = input.trim();
  if (value === '') return invalid('selectorEmpty', { example: suggestSelector(now) });
  if (value.startsWith('.') || value.endsWith('.')) return invalid('selectorDotEnds', { value });
  if (!SELECTOR_CHARS.test(value)) return invalid('selectorChars', { value });
  const lower = value.toLowerCase();
  for (const label of lower.split('.')) {
    if (!LABEL.test(label)) return invalid('selectorLabel', { label });
  }
  return valid(lower);
}

/**
 * A dated selector (`YYYYMM`, this month in local time), so the next key is simply next
 * month's name and rotation needs no thought. Names already taken get a letter: `202611b`.
 */
export function suggestSelector(date: Date, taken: readonly string[] = []): string {
  const base = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}`;
  const used = new Set(taken.map((s) => s.toLowerCase()));
  if (!used.has(base)) return base;
  for (const letter of 'bcdefghijklmnopqrstuvwxyz') {
    if (!used.has(base + letter)) return base + letter;
  }
  let n = 2;
  while (used.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}
