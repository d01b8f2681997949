import { normalizeDomain } from './domain.js';
import { expandIpv6, parseIpAddress } from './ip.js';
import { findControlCharacter } from './text.js';
import { invalid, problem, valid, type Validated, type ValidationMessageKey, type ValidationProblem } from './problem.js';

/** One allowlist entry as the person gives it (see shared/inbound.ts). */
export interface AllowEntryInput {
  kind: 'name' | 'regexp' | 'address';
  value: string;
  comment?: string | undefined;
}

/** An entry in the form the Postfix tables are written from. */
export type ParsedAllowEntry =
  | { kind: 'name'; domain: string; subdomains: boolean; comment: string }
  | { kind: 'regexp'; pattern: string; comment: string }
  | { kind: 'address'; address: string; prefix: number; comment: string };

export type AllowEntryCheck = Validated<ParsedAllowEntry>;

/** Constructs JavaScript accepts that POSIX extended regular expressions (regcomp) do not. */
const NOT_POSIX: Array<[RegExp, ValidationMessageKey]> = [
  [/\(\?/, 'regexpGroup'],
  [/\\[dD]/, 'regexpDigit'],
  [/[*+?}]\?/, 'regexpLazy'],
  [/\\[1-9]/, 'regexpBackReference'],
];

function controlProblem(text: string, key: 'allowControl' | 'allowCommentControl' = 'allowControl'): ValidationProblem | null {
  const char = findControlCharacter(text);
  return char === null ? null : problem(key, { char });
}

/**
 * `/pattern/flags` in Postfix regexp_table(5) syntax, as one table line; returns the problem
 * it is refused, or null. A pattern that matches "unknown" (Postfix's name for a client
 * without reverse DNS) is refused: it would let every such client past the host-name rule.
 */
export function checkRegexpPattern(text: string): ValidationProblem | null {
  const control = controlProblem(text);
  if (control !== null) return control;
  const m = /^\/((?:[^/\\]|\\.)+)\/([im]*)$/.exec(text.trim());
  // No "x": in Postfix it switches extended syntax off, and every check here reads extended syntax.
  if (!m?.[1]) return problem('regexpForm');
  const pattern = m[1];
  for (const [re, key] of NOT_POSIX) if (re.test(pattern)) return problem(key);
  // Host names hold letters, digits, dots and hyphens: nothing else is needed, and every other
  // character (spaces, quotes, non-ASCII) is one more place where two regex engines may differ.
  if (!/^[A-Za-z0-9._\-^$*+?()|[\]{}\\:,]+$/.test(pattern)) return problem('regexpChars');
  if (/\\[A-Za-z0-9]/.test(pattern.replace(/\\\\/g, ''))) return problem('regexpBackslashLetter');
  const posix = notPostfixSyntax(pattern);
  if (posix !== null) return posix;
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'i');
  } catch {
    return problem('regexpInvalid');
  }
  if (re.test('')) return problem('regexpMatchesAll');
  if (re.test('unknown')) return problem('regexpMatchesUnknown');
  return null;
}

const CHARACTER_CLASSES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit']);
const BRACE = (): ValidationProblem => problem('regexpBrace');

/** A bracket expression `[…]` from `start` read as POSIX does; its end, or why Postfix would refuse it. */
function bracketEnd(pattern: string, start: number): { end: number } | { problem: ValidationProblem } {
  let j = start + 1;
  if (pattern[j] === '^') j += 1;
  // POSIX reads a "]" first as a plain character where JavaScript ends an empty class: two different patterns.
  if (pattern[j] === ']') return { problem: problem('bracketFirst') };
  let previous: string | null = null;
  while (j < pattern.length && pattern[j] !== ']') {
    const c = pattern[j] ?? '';
    if (c === '\\') return { problem: problem('bracketBackslash') };
    if (c === '[' && (pattern[j + 1] === '.' || pattern[j + 1] === '=')) return { problem: problem('bracketCollating') };
    if (c === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      if (close === -1 || !CHARACTER_CLASSES.has(pattern.slice(j + 2, close))) return { problem: problem('bracketClass', { classes: `[:${[...CHARACTER_CLASSES].join(':], [:')}:]` }) };
      j = close + 2;
      previous = null;
      continue;
    }
    if (c === '-' && previous !== null && pattern[j + 1] !== ']') {
      const last = pattern[j + 1] ?? '';
      if (!/^[A-Za-z0-9]$/.test(previous) || !/^[A-Za-z0-9]$/.test(last) || last < previous) return { problem: problem('bracketRange', { from: previous, to: last }) };
      j += 2;
      previous = null;
      continue;
    }
    previous = c;
    j += 1;
  }
  return j < pattern.length ? { end: j } : { problem: problem('bracketUnclosed') };
}

/**
 * What JavaScript accepts but Postfix's regcomp (POSIX extended syntax) refuses or reads
 * differently, so that an accepted entry cannot silently do nothing (Postfix skips a line
 * it cannot compile, with only a warning): bracket expressions and "{" repetition counts.
 */
function notPostfixSyntax(pattern: string): ValidationProblem | null {
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '[') {
      const bracket = bracketEnd(pattern, i);
      if ('problem' in bracket) return bracket.problem;
      i = bracket.end;
      continue;
    }
    if (c !== '{') continue;
    const interval = /^\{\d{1,3}(,\d{0,3})?\}/.exec(pattern.slice(i));
    const before = pattern[i - 1];
    if (interval === null || before === undefined || before === '(' || before === '|' || (before === '^' && pattern[i - 2] !== '\\')) return BRACE();
  }
  return null;
}

function hostBitsZero(address: string, version: 4 | 6, prefix: number): boolean {
  const groups = version === 4 ? address.split('.').map(Number) : (expandIpv6(address) ?? []);
  const width = version === 4 ? 8 : 16;
  return groups.every((g, i) => {
    const keep = Math.max(0, Math.min(width, prefix - i * width));
    const mask = keep === 0 ? 0 : ((1 << width) - 1) ^ ((1 << (width - keep)) - 1);
    return (g & ~mask & ((1 << width) - 1)) === 0;
  });
}

/**
 * The one check of an allowlist entry, for every door (the contract's schema, the CLI's
 * --allow, and the table writer): the grammar of its table, and no control characters in
 * the value or its comment.
 */
export function parseAllowEntry(entry: AllowEntryInput): AllowEntryCheck {
  const value = entry.value.trim();
  const comment = entry.comment ?? '';
  const control = controlProblem(entry.value) ?? controlProblem(comment, 'allowCommentControl');
  if (control !== null) return { ok: false, problem: control };
  const trimmedComment = comment.trim();
  if (entry.kind === 'name') {
    const subdomains = value.startsWith('.');
    const domain = normalizeDomain(subdomains ? value.slice(1) : value);
    if (!domain.ok) return domain;
    return valid({ kind: 'name', domain: domain.value, subdomains, comment: trimmedComment });
  }
  if (entry.kind === 'regexp') {
    const refused = checkRegexpPattern(value);
    return refused === null ? valid({ kind: 'regexp', pattern: value, comment: trimmedComment }) : { ok: false, problem: refused };
  }
  const ip = parseIpAddress(value, { allowPrefix: true });
  if (!ip.ok) return { ok: false, problem: ip.problem };
  const prefix = ip.value.prefix ?? (ip.value.version === 4 ? 32 : 128);
  if (!hostBitsZero(ip.value.address, ip.value.version, prefix)) {
    return invalid('addressHostBits', { prefix });
  }
  return valid({ kind: 'address', address: ip.value.address, prefix, comment: trimmedComment });
}
