/**
 * Postfix lookup tables' source files (`hash:`, `lmdb:`, `btree:` after `postmap`, and
 * `texthash:` read as they are) as postmap(1) reads them, and edited so that unrelated lines,
 * comments and order stay as they were. Checked against the real postmap by
 * test/host/config-files.test.ts.
 *
 * - Lines are Postfix's logical lines (logicalLines.ts): `#` lines and blank lines ignored,
 *   a line starting with whitespace continues the one before.
 * - An entry is `key whitespace value`: the key ends at the first space, tab, CR or LF; the
 *   value is the rest without the whitespace around it (`#` in a value is part of it).
 *   A line with no value is skipped (postmap: "expected format: key whitespace value").
 * - Keys are folded to lower case (postmap's default, DICT_FLAG_FOLD_FIX), so lookups ignore
 *   case; the FIRST entry of a key is the one used (postmap warns "duplicate entry" and
 *   ignores the later one).
 *
 * cidr:, regexp: and pcre: tables share the line syntax (a pattern, whitespace, a result)
 * but not the key semantics: they are written with lookupTableLine, never read as keys.
 */
import { POSTFIX_SPACE, readLogicalLines, trimPostfixSpace } from './logicalLines.js';

export interface LookupEntry {
  /** What lookups match: the key in lower case. */
  key: string;
  /** The key as written. */
  written: string;
  value: string;
  /** 1-based line of its first physical line. */
  line: number;
}

/** A logical line split as postmap splits it, or null when it has no key or no value. */
function splitEntry(text: string): { written: string; value: string } | null {
  const at = text.search(POSTFIX_SPACE);
  const written = trimPostfixSpace(at < 0 ? text : text.slice(0, at));
  const value = at < 0 ? '' : trimPostfixSpace(text.slice(at + 1));
  return written === '' || value === '' ? null : { written, value };
}

/** The entries postmap builds from the source, in file order: one per key (its first). */
export function readLookupTable(text: string): LookupEntry[] {
  const out: LookupEntry[] = [];
  const seen = new Set<string>();
  for (const logical of readLogicalLines(text)) {
    const entry = splitEntry(logical.text);
    if (entry === null) continue;
    const key = entry.written.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, written: entry.written, value: entry.value, line: logical.line });
  }
  return out;
}

/** Key (lower case) → value, as `postmap -q` answers. */
export function lookupTableMap(text: string): Map<string, string> {
  return new Map(readLookupTable(text).map((e) => [e.key, e.value]));
}

/**
 * One `key value` line. Refuses (throws) what would not read back as that one entry: an empty
 * key or value, whitespace in the key, a key starting with `#` (a comment), a line break
 * anywhere, whitespace around the value (postmap would trim it).
 */
export function lookupTableLine(key: string, value: string): string {
  const problem =
    key === '' || value === ''
      ? 'an empty key or value'
      : new RegExp(POSTFIX_SPACE.source).test(key) || key.startsWith('#')
        ? `the key ${JSON.stringify(key)}`
        : /[\r\n]/.test(value) || trimPostfixSpace(value) !== value
          ? `the value for ${JSON.stringify(key)}`
          : null;
  if (problem !== null) throw new Error(`A lookup table line cannot hold ${problem}.`);
  return `${key} ${value}`;
}

/** A comment line (`# text`): refuses a line break, which would start a line of its own. */
export function lookupTableComment(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error('A lookup table comment cannot span lines.');
  return text === '' ? '#' : `# ${text}`;
}

export interface LookupEdit {
  key: string;
  /** null removes the key's entry. */
  value: string | null;
}

/**
 * Sets or removes entries. A key's defining logical line (matched case-insensitively, its
 * first definition: the one postmap uses) becomes `key value` in place and loses its
 * continuation lines; later duplicates of the key go too (they only draw warnings). New keys
 * are appended in the order given. Comments, blank lines and other entries stay.
 */
export function editLookupTable(text: string, edits: readonly LookupEdit[]): string {
  // Untouched lines are written back exactly (a CRLF line keeps its CR).
  const lines = text === '' ? [] : text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const replace = new Map<number, string | null>();
  const append: string[] = [];
  const logical = readLogicalLines(text).map((l) => ({ ...l, key: splitEntry(l.text)?.written.toLowerCase() ?? null }));
  for (const edit of edits) {
    const wanted = edit.value === null ? null : lookupTableLine(edit.key, edit.value);
    const defining = logical.filter((l) => l.key === edit.key.toLowerCase());
    defining.forEach((l, n) => l.indexes.forEach((index, piece) => replace.set(index, n === 0 && piece === 0 ? wanted : null)));
    if (defining.length === 0 && wanted !== null) append.push(wanted);
  }
  const out = lines.flatMap((line, index) => {
    if (!replace.has(index)) return [line];
    const next = replace.get(index);
    return next === null || next === undefined ? [] : [next];
  });
  out.push(...append);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
