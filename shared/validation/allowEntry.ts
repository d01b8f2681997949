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
  const m = /^\/((?:[^/\\]|\\.)+)\/([imx]*)$/.exec(text.trim());
  if (!m?.[1]) return 'write it as /pattern/ with optional flags i, m or x, e.g. /^mail\\.example\\.com$/';
  const pattern = m[1];
  for (const [re, reason] of NOT_POSIX) if (re.test(pattern)) return reason;
  const brace = strayBrace(pattern);
  if (brace !== null) return brace;
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

/**
 * In a POSIX extended regular expression "{" opens a repetition count (`{2}`, `{2,}`, `{2,5}`)
 * after something to repeat; anything else is an error Postfix only warns about, skipping the
 * line, while JavaScript reads it as a plain brace. Refused, so the entry cannot silently do nothing.
 */
function strayBrace(pattern: string): string | null {
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '[') {
      // Skip a bracket expression: "]" first is literal, and [:class:] holds no end.
      let j = i + 1;
      if (pattern[j] === '^') j += 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') {
        const classEnd = pattern.startsWith('[:', j) ? pattern.indexOf(':]', j + 2) : -1;
        j = classEnd === -1 ? j + 1 : classEnd + 2;
      }
      i = j;
      continue;
    }
    if (c !== '{') continue;
    const interval = /^\{\d{1,3}(,\d{0,3})?\}/.exec(pattern.slice(i));
    const before = pattern[i - 1];
    if (interval === null || before === undefined || before === '(' || before === '|' || (before === '^' && pattern[i - 2] !== '\\')) {
      return 'a "{" that does not repeat what precedes it ({2}, {2,}, {2,5}) is an error in Postfix\'s regular expressions: write \\{ for a brace';
    }
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
