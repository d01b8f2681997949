/**
 * /etc/aliases as Postfix reads it (aliases(5), postalias(1)): Postfix's logical lines
 * (logicalLines.ts: a line starting with whitespace continues the previous entry; empty lines
 * and lines whose first non-blank character is `#` are ignored and do not end an entry);
 * `name: target, target…` with the name optionally in double quotes and folded to lower
 * case, so lookups ignore case; a name defined twice keeps its FIRST entry (postalias warns "duplicate entry" and ignores the
 * later one; checked against the real postalias by test/host/config-files.test.ts).
 */
import { readLogicalLines } from './logicalLines.js';

export interface AliasEntry {
  /** As written (without quotes). */
  name: string;
  /** What Postfix looks up: the name in lower case. */
  key: string;
  targets: string[];
}

/** Comma-separated targets; commas inside double quotes (`"|cmd a,b"`) kept. */
export function splitAliasTargets(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The entries Postfix uses, in file order: one per name (its first definition). */
export function readAliasEntries(text: string): AliasEntry[] {
  const entries: AliasEntry[] = [];
  const seen = new Set<string>();
  for (const { text: line } of readLogicalLines(text)) {
    const match = /^("[^"]*"|[^\s:"]+)\s*:(.*)$/s.exec(line);
    if (match?.[1] === undefined) continue;
    const name = match[1].replace(/^"|"$/g, '');
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ name, key, targets: splitAliasTargets(match[2] ?? '') });
  }
  return entries;
}

/** Lookup key (lower case) → targets, as `postalias -q` answers. */
export function readAliases(text: string): Map<string, string[]> {
  return new Map(readAliasEntries(text).map((e) => [e.key, e.targets]));
}

/** Appends `name: target` for names not yet defined (in any case); existing entries never change. */
export function editAliases(text: string, wanted: ReadonlyArray<{ name: string; target: string }>): string {
  const present = readAliases(text);
  const out = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const { name, target } of wanted) {
    if (present.has(name.toLowerCase())) continue;
    present.set(name.toLowerCase(), [target]);
    out.push(`${name}: ${target}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
