/**
 * Postfix main.cf, read and edited with postconf's own semantics, so a plan can show the exact
 * diff that `postconf -e` would produce before anything runs on the server.
 *
 * Reading (postconf(5)): Postfix's logical lines (logicalLines.ts: a line that starts with
 * whitespace continues the one before; `#` lines and blank lines are ignored and do not end
 * it; `#` after text is not a comment). The last assignment of a name wins.
 *
 * Editing (postconf -e, pcf_edit_main): comment and blank lines are copied; every logical line
 * that assigns an edited name becomes `name = value` and its continuation lines are dropped;
 * names not found are appended as `name = value` at the end, in the order given.
 */
import { dictionary } from '../../../shared/dictionary.js';
import { readLogicalLines } from './logicalLines.js';

const PARAMETER_NAME = /^[A-Za-z0-9_.-]+$/;

function isCommentOrBlank(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed.startsWith('#');
}

/** The name a logical line assigns: the text up to whitespace or `=` (as postconf reads it). */
function lineKey(line: string): string {
  const match = /^[^\s=]*/.exec(line);
  return match ? match[0] : '';
}

/** Splits into lines, keeping track of whether the text ended with a newline. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every `name = value` assignment of main.cf, in file order (duplicates kept). */
export function readAssignments(text: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const { pieces } of readLogicalLines(text)) {
    const [first = '', ...rest] = pieces;
    const eq = first.indexOf('=');
    if (eq < 0) continue; // not an assignment: postconf warns and ignores it
    out.push({ name: first.slice(0, eq).trim(), value: [first.slice(eq + 1), ...rest].map((p) => p.trim()).join(' ').trim() });
  }
  return out;
}

/** The effective (last) value of each parameter set in main.cf. */
export function readMainCf(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const { name, value } of readAssignments(text)) values.set(name, value);
  return values;
}

/**
 * The same as a plain object. Also reads what `postconf -n` / `postconf NAME…` print: their
 * `name = value` lines are main.cf syntax.
 */
export function mainCfSettings(text: string): Record<string, string> {
  const settings = dictionary<string>();
  for (const [name, value] of readMainCf(text.replace(/\r\n/g, '\n'))) settings[name] = value;
  return settings;
}

export function getParameter(text: string, name: string): string | undefined {
  return readMainCf(text).get(name);
}

export interface ParameterEdit {
  name: string;
  value: string;
}

/**
 * `postconf -e "name = value" …` as a pure function. One divergence: when the file does not
 * end with a newline, postconf would glue the first appended line onto the last line; we add
 * the newline instead.
 */
export function setParameters(text: string, edits: readonly ParameterEdit[]): string {
  const wanted = new Map<string, { value: string; found: boolean }>();
  for (const edit of edits) {
    if (!PARAMETER_NAME.test(edit.name)) throw new Error(`not a Postfix parameter name: ${JSON.stringify(edit.name)}`);
    if (/[\r\n]/.test(edit.value)) throw new Error(`a Postfix value cannot span lines: ${edit.name}`);
    wanted.set(edit.name, { value: edit.value.trim(), found: false });
  }
  const out: string[] = [];
  let interesting = false;
  for (const line of splitLines(text)) {
    if (isCommentOrBlank(line)) {
      out.push(line);
    } else if (/^\s/.test(line)) {
      if (!interesting) out.push(line);
    } else {
      const key = lineKey(line);
      const edit = wanted.get(key);
      interesting = edit !== undefined;
      if (edit) {
        edit.found = true;
        out.push(`${key} = ${edit.value}`);
      } else {
        out.push(line);
      }
    }
  }
  for (const [name, edit] of wanted) if (!edit.found) out.push(`${name} = ${edit.value}`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * A value with its `$name`, `${name}` and `$(name)` references expanded as Postfix expands
 * them (recursively; a name without a value expands to nothing; `$$` is a literal `$`), from
 * `lookup`. Postfix's conditional forms (`${name?text}`, `${name:text}`) are left as written.
 * `postconf -x` is the reference (test/host/config-files.test.ts).
 */
export function expandReferences(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 20) return value;
  return value.replace(/\$(?:(\$)|\{([A-Za-z0-9_.-]+)\}|\(([A-Za-z0-9_.-]+)\)|([A-Za-z0-9_]+))/g, (_match, dollar: string | undefined, braced?: string, parenthesized?: string, bare?: string) =>
    dollar !== undefined ? '$' : expandReferences(lookup(braced ?? parenthesized ?? bare ?? '') ?? '', lookup, depth + 1),
  );
}

/**
 * Splits a Postfix list value as Postfix does: commas and whitespace separate, a `{ … }`
 * group (one milter with its settings, a restriction with options) stays whole.
 */
export function splitPostfixList(value: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < value.length) {
    const ch = value[i] as string;
    if (/[\s,]/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '{') {
      let depth = 0;
      let j = i;
      for (; j < value.length; j += 1) {
        if (value[j] === '{') depth += 1;
        else if (value[j] === '}') {
          depth -= 1;
          if (depth === 0) break;
        }
      }
      items.push(value.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < value.length && !/[\s,{]/.test(value[j] as string)) j += 1;
    items.push(value.slice(i, j));
    i = j;
  }
  return items;
}
