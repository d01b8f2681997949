/**
 * opendkim.conf as OpenDKIM itself reads it (libopendkim config.c, checked against the real
 * opendkim by test/host/opendkim-conf.test.ts): a `#` anywhere starts a comment, the rest of
 * a line is `Name value` (names case-insensitive), and when a name is set twice the LAST
 * line wins. The editor changes that last line in place (keeping its spelling and the file's
 * column style), comments out the earlier lines of the name, and appends names not yet
 * present under one "Homemail" heading. Comments, order and other lines are kept.
 */
import { dictionary } from '../../../shared/dictionary.js';

const HEADING = '# Added by Homemail';

/** One setting line: its name as written and its value, or null for comments and blanks. */
function settingOf(line: string): { name: string; value: string } | null {
  const text = line.replace(/#.*$/, '').replace(/\r$/, '');
  const m = /^\s*([A-Za-z][A-Za-z0-9_]*)(?:\s+(.*))?$/.exec(text);
  return m ? { name: m[1] as string, value: (m[2] ?? '').trim() } : null;
}

/** Every setting line in file order (duplicates kept): what readers and the editor share. */
export function opendkimSettings(text: string): Array<{ name: string; value: string; line: number }> {
  return text.split('\n').flatMap((line, index) => {
    const setting = settingOf(line);
    return setting === null ? [] : [{ ...setting, line: index }];
  });
}

/** Settings as OpenDKIM applies them: names lower-cased, the last line of a name wins. */
export function readOpendkimConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { name, value } of opendkimSettings(text)) out.set(name.toLowerCase(), value);
  return out;
}

/** The same, keyed by each name as first written (what inspection shows). */
export function opendkimSettingsAsWritten(text: string): Record<string, string> {
  const spelling = new Map<string, string>();
  const out = dictionary<string>();
  for (const { name, value } of opendkimSettings(text)) {
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    out[key] = value;
  }
  return out;
}

/** Names set on more than one line (lower-cased): an edit collapses them to one. */
export function repeatedOpendkimSettings(text: string): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { name } of opendkimSettings(text)) {
    const key = name.toLowerCase();
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return repeated;
}

/** OpenDKIM booleans: yes/true/1/on. */
export function isTrue(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && /^(yes|true|1|on)$/i.test(value);
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
  const settings = opendkimSettings(text);
  const template = lines.find((l) => settingOf(l) !== null && /\t/.test(l)) ?? lines.find((l) => settingOf(l) !== null) ?? null;
  const pending = new Map(edits.map((e) => [e.name.toLowerCase(), e]));
  // the line OpenDKIM reads for each edited name: its last one
  const lastLine = new Map<string, number>();
  for (const { name, line } of settings) if (pending.has(name.toLowerCase())) lastLine.set(name.toLowerCase(), line);
  const settingAt = new Map(settings.map((s) => [s.line, s]));
  const out = lines.map((line, index) => {
    const setting = settingAt.get(index);
    const edit = setting === undefined ? undefined : pending.get(setting.name.toLowerCase());
    if (setting === undefined || edit === undefined) return line;
    if (edit.value === null || lastLine.get(setting.name.toLowerCase()) !== index) return `#${line}`;
    return setting.value === edit.value ? line : formatLine(setting.name, edit.value, line);
  });
  const missing = edits.filter((e) => e.value !== null && !lastLine.has(e.name.toLowerCase()));
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
