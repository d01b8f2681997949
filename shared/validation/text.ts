import { invalid, valid, type Validated } from './problem.js';

/**
 * Characters that end or bend a line somewhere: C0 controls (newline, carriage return, tab,
 * ESC…), DEL, C1 controls (U+0080–U+009F, which some terminals obey like ESC sequences) and
 * the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'gu');

/** `U+000A`: how a refused character is named in messages (it cannot be shown as itself). */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first control character in `text`, named (`U+000A`), or null when there is none. */
export function findControlCharacter(text: string): string | null {
  const found = CONTROL_CHARACTERS.exec(text);
  return found ? codePointName(found[0]) : null;
}

/**
 * A value that goes into a server file, a table or a command as one line: refused when it
 * holds a control character, since a newline there starts a line of the attacker's choosing.
 */
export function checkSingleLine(text: string): Validated<string> {
  const char = findControlCharacter(text);
  return char === null ? valid(text) : invalid('controlCharacter', { char });
}

/** The refusal for a control character in `text`, typed for any validator's result; null when there is none. */
export function refuseControlCharacters<T>(text: string): Validated<T> | null {
  const char = findControlCharacter(text);
  return char === null ? null : invalid('controlCharacter', { char });
}

/**
 * Outside text (a report's org_name, a Subject, a DNS TXT value, server output) made safe to
 * print on a terminal: every control character but newline and tab becomes a visible
 * `\u{…}` escape, so ESC and OSC sequences (colours, fake lines, clipboard writes) do nothing.
 * With `singleLine`, newline and tab are escaped too (for values printed inside one line).
 */
export function escapeControlCharacters(text: string, options: { singleLine?: boolean } = {}): string {
  return text.replace(CONTROL_CHARACTERS_ALL, (char) => {
    if (!options.singleLine && (char === '\n' || char === '\t')) return char;
    return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
  });
}
