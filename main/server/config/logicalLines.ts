/**
 * Postfix's logical lines (util/readlline.c, readllines()), the way every Postfix file that is
 * not a regular expression reads its lines: main.cf, master.cf, /etc/aliases and the source of
 * every lookup table (hash:, lmdb:, texthash:, cidr:, regexp:, …).
 *
 * - Empty lines, whitespace-only lines and lines whose first non-whitespace character is `#`
 *   are ignored, and they do not end a logical line.
 * - A logical line starts with non-whitespace text; a line that starts with whitespace
 *   continues it, appended as it stands (its leading whitespace included, no newline).
 * - Text that starts with whitespace with no logical line before it is dropped ("logical line
 *   must not start with whitespace"), with the lines that continue it.
 * - `#` after text is not a comment.
 *
 * A carriage return before the newline is dropped (CRLF files read like LF files; Postfix's
 * readers trim it as trailing whitespace).
 */

/** C's isspace() in the C locale: what Postfix calls whitespace. */
export const POSTFIX_SPACE = /[ \t\n\v\f\r]/;
const LEADING_SPACE = /^[ \t\n\v\f\r]+/;
const TRAILING_SPACE = /[ \t\n\v\f\r]+$/;

/** Trims Postfix whitespace (not Unicode spaces, which Postfix keeps). */
export function trimPostfixSpace(text: string): string {
  return text.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

export interface LogicalLine {
  /** The logical line as Postfix reads it: its physical lines joined as they stand. */
  text: string;
  /** The physical lines it is made of, as written (first, then each continuation). */
  pieces: string[];
  /** 0-based indexes of those physical lines in the file (comment lines between them are not included). */
  indexes: number[];
  /** 1-based number of its first physical line (what Postfix names in warnings). */
  line: number;
}

/** The file's physical lines (no trailing empty line for a final newline; CR before LF dropped). */
export function physicalLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const isIgnored = (line: string): boolean => /^[ \t\n\v\f\r]*(#|$)/.test(line);
const startsWithSpace = (line: string): boolean => /^[ \t\n\v\f\r]/.test(line);

/** The logical lines Postfix reads from a file, in order. */
export function readLogicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  const lines = physicalLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    if (isIgnored(raw)) continue;
    if (current !== null && startsWithSpace(raw)) {
      current.text += raw;
      current.pieces.push(raw);
      current.indexes.push(index);
      continue;
    }
    if (current !== null) out.push(current);
    current = { text: raw, pieces: [raw], indexes: [index], line: index + 1 };
  }
  if (current !== null) out.push(current);
  return out.filter((l) => !startsWithSpace(l.text));
}
