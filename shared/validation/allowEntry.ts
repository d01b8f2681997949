import { normalizeDomain } from './domain.js';
import { expandIpv6, parseIpAddress } from './ip.js';
import { findControlCharacter } from './text.js';

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

export type AllowEntryCheck = { ok: true; value: ParsedAllowEntry } | { ok: false; reason: string };

/** Constructs JavaScript accepts that POSIX extended regular expressions (regcomp) do not. */
const NOT_POSIX: Array<[RegExp, string]> = [
  [/\(\?/, '"(?" groups (lookahead, non-capturing) are not POSIX regular expressions'],
  [/\\[dD]/, '\\d is not POSIX: write [0-9]'],
  [/[*+?}]\?/, 'lazy quantifiers (*?, +?) are not POSIX'],
  [/\\[1-9]/, 'back-references are not allowed in extended regular expressions'],
];

function controlReason(text: string): string | null {
  const char = findControlCharacter(text);
  return char === null ? null : `it contains the control character ${char}, which would start a new line in the table`;
}

/**
 * `/pattern/flags` in Postfix regexp_table(5) syntax, as one table line; returns the reason
 * it is refused, or null. A pattern that matches "unknown" (Postfix's name for a client
 * without reverse DNS) is refused: it would let every such client past the host-name rule.
 */
export function checkRegexpPattern(text: string): string | null {
  const control = controlReason(text);
  if (control !== null) return control;
  const m = /^\/((?:[^/\\]|\\.)+)\/([im]*)$/.exec(text.trim());
  // No "x": in Postfix it switches extended syntax off, and every check here reads extended syntax.
  if (!m?.[1]) return 'write it as /pattern/ with optional flags i or m, e.g. /^mail\\.example\\.com$/';
  const pattern = m[1];
  for (const [re, reason] of NOT_POSIX) if (re.test(pattern)) return reason;
  // Host names hold letters, digits, dots and hyphens: nothing else is needed, and every other
  // character (spaces, quotes, non-ASCII) is one more place where two regex engines may differ.
  if (!/^[A-Za-z0-9._\-^$*+?()|[\]{}\\:,]+$/.test(pattern)) return 'a pattern for host names may only use letters, digits, . _ - and the operators ^ $ * + ? ( ) | [ ] { } \\';
  if (/\\[A-Za-z0-9]/.test(pattern.replace(/\\\\/g, ''))) return 'a backslash before a letter or digit (\\w, \\b, \\1…) means different things to Postfix and to this check: write [0-9], [a-z] and the like';
  const posix = notPostfixSyntax(pattern);
  if (posix !== null) return posix;
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'i');
  } catch (error) {
    return `not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (re.test('')) return 'it matches every client (even an empty name); make it more specific';
  if (re.test('unknown')) return 'it matches "unknown", the name Postfix gives every client without reverse DNS, so it would switch the host-name rule off; make it more specific';
  return null;
}

const CHARACTER_CLASSES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit']);
const BRACE = 'a "{" that does not repeat what precedes it ({2}, {2,}, {2,5}) is an error in Postfix\'s regular expressions: write \\{ for a brace';

/** A bracket expression `[…]` from `start` read as POSIX does; its end, or the reason Postfix would refuse it. */
function bracketEnd(pattern: string, start: number): { end: number } | { reason: string } {
  let j = start + 1;
  if (pattern[j] === '^') j += 1;
  // POSIX reads a "]" first as a plain character where JavaScript ends an empty class: two different patterns.
  if (pattern[j] === ']') return { reason: 'a "]" first inside [...] means different things to Postfix and to this check: put it elsewhere or leave it out' };
  let previous: string | null = null;
  while (j < pattern.length && pattern[j] !== ']') {
    const c = pattern[j] ?? '';
    if (c === '\\') return { reason: 'inside [...] a backslash is a plain character for Postfix: leave it out (write [.] for a dot)' };
    if (c === '[' && (pattern[j + 1] === '.' || pattern[j + 1] === '=')) return { reason: 'collating elements ([. .] and [= =]) are not supported here' };
    if (c === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      if (close === -1 || !CHARACTER_CLASSES.has(pattern.slice(j + 2, close))) return { reason: `an unknown or unclosed character class in [...]; use one of [:${[...CHARACTER_CLASSES].join(':], [:')}:]` };
      j = close + 2;
      previous = null;
      continue;
    }
    if (c === '-' && previous !== null && pattern[j + 1] !== ']') {
      const last = pattern[j + 1] ?? '';
      if (!/^[A-Za-z0-9]$/.test(previous) || !/^[A-Za-z0-9]$/.test(last) || last < previous) return { reason: `the range ${previous}-${last} in [...] is not one Postfix reads the same way: use ranges of letters or digits in order, such as a-z or 0-9` };
      j += 2;
      previous = null;
      continue;
    }
    previous = c;
    j += 1;
  }
  return j < pattern.length ? { end: j } : { reason: 'a "[" is not closed by "]"' };
}

/**
 * What JavaScript accepts but Postfix's regcomp (POSIX extended syntax) refuses or reads
 * differently, so that an accepted entry cannot silently do nothing (Postfix skips a line
 * it cannot compile, with only a warning): bracket expressions and "{" repetition counts.
 */
function notPostfixSyntax(pattern: string): string | null {
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '[') {
      const bracket = bracketEnd(pattern, i);
      if ('reason' in bracket) return bracket.reason;
      i = bracket.end;
      continue;
    }
    if (c !== '{') continue;
    const interval = /^\{\d{1,3}(,\d{0,3})?\}/.exec(pattern.slice(i));
    const before = pattern[i - 1];
    if (interval === null || before === undefined || before === '(' || before === '|' || (before === '^' && pattern[i - 2] !== '\\')) return BRACE;
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
  const control = controlReason(entry.value) ?? (controlReason(comment) === null ? null : `its comment ${controlReason(comment) ?? ''}`);
  if (control !== null) return { ok: false, reason: control };
  const trimmedComment = comment.trim();
  if (entry.kind === 'name') {
    const subdomains = value.startsWith('.');
    const domain = normalizeDomain(subdomains ? value.slice(1) : value);
    if (!domain.ok) return { ok: false, reason: domain.problem.text };
    return { ok: true, value: { kind: 'name', domain: domain.value, subdomains, comment: trimmedComment } };
  }
  if (entry.kind === 'regexp') {
    const reason = checkRegexpPattern(value);
    return reason === null ? { ok: true, value: { kind: 'regexp', pattern: value, comment: trimmedComment } } : { ok: false, reason };
  }
  const ip = parseIpAddress(value, { allowPrefix: true });
  if (!ip.ok) return { ok: false, reason: ip.problem.text };
  const prefix = ip.value.prefix ?? (ip.value.version === 4 ? 32 : 128);
  if (!hostBitsZero(ip.value.address, ip.value.version, prefix)) {
    return { ok: false, reason: `the address has bits set beyond /${prefix}; write the network's first address` };
  }
  return { ok: true, value: { kind: 'address', address: ip.value.address, prefix, comment: trimmedComment } };
}
