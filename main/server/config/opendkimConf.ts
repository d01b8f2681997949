/**
 * opendkim.conf, read and edited line by line: `Name value` lines, `#` comments. Names are
 * case-insensitive; an edit replaces the first active line of a name in place (keeping its
 * spelling and the file's column style), comments out later duplicates, and appends names
 * not yet present under one "Homemail" heading. Comments, order and other lines are kept.
 */

const HEADING = '# Added by Homemail';

function activeName(line: string): string | null {
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*)(?:\s|$)/.exec(line);
  return m ? (m[1] as string) : null;
}

/** Settings as OpenDKIM reads them (first active line per name; names lower-cased). */
export function readOpendkimConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const name = activeName(line);
    if (!name) continue;
    const key = name.toLowerCase();
    // OpenDKIM treats `#` as the start of a comment anywhere on a line.
    const value = line.replace(/^\s*[A-Za-z0-9_]+/, '').replace(/#.*$/, '').trim();
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

export interface ConfEdit {
  name: string;
  /** null removes the setting (the line is commented out, not deleted). */
  value: string | null;
}

function valueColumn(template: string): { column: number; tabs: boolean } | null {
  const m = /^(\s*[A-Za-z0-9_]+)(\s+)\S/.exec(template);
  if (!m) return null;
  let column = 0;
  for (const ch of `${m[1]}${m[2]}`) column = ch === '\t' ? (Math.floor(column / 8) + 1) * 8 : column + 1;
  return { column, tabs: (m[2] as string).includes('\t') };
}

/** `Name<padding>value`, the value aligned like the template line (the file's own style). */
function formatLine(name: string, value: string, template: string | null): string {
  const style = template === null ? null : valueColumn(template);
  if (!style) return `${name}\t${value}`;
  let padding = '';
  let column = name.length;
  if (style.tabs) {
    do {
      padding += '\t';
      column = (Math.floor(column / 8) + 1) * 8;
    } while (column < style.column);
  } else {
    padding = ' '.repeat(Math.max(1, style.column - column));
  }
  return `${name}${padding}${value}`;
}

export function editOpendkimConf(text: string, edits: readonly ConfEdit[]): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const template = lines.find((l) => activeName(l) !== null && /\t/.test(l)) ?? lines.find((l) => activeName(l) !== null) ?? null;
  const pending = new Map(edits.map((e) => [e.name.toLowerCase(), e]));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const name = /^\s*#/.test(line) ? null : activeName(line);
    const edit = name === null ? undefined : pending.get(name.toLowerCase());
    if (!edit || name === null) {
      out.push(line);
      continue;
    }
    const key = name.toLowerCase();
    if (edit.value === null || seen.has(key)) {
      out.push(`#${line}`);
      continue;
    }
    seen.add(key);
    const current = line.replace(/^\s*[A-Za-z0-9_]+/, '').replace(/#.*$/, '').trim();
    out.push(current === edit.value ? line : formatLine(name, edit.value, line));
  }
  const missing = edits.filter((e) => e.value !== null && !seen.has(e.name.toLowerCase()));
  if (missing.length > 0) {
    if (!out.includes(HEADING)) {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      out.push(HEADING);
    }
    for (const e of missing) out.push(formatLine(e.name, e.value as string, template));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Strips a dataset prefix: `refile:/etc/x` → { type: 'refile', path: '/etc/x' }. */
export function parseDataset(value: string): { type: 'file' | 'refile' | 'other'; path: string } {
  const m = /^(file|refile):(.+)$/.exec(value.trim());
  if (m) return { type: m[1] as 'file' | 'refile', path: (m[2] as string).trim() };
  if (value.trim().startsWith('/')) return { type: 'file', path: value.trim() };
  return { type: 'other', path: value.trim() };
}
