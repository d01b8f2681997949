import { HomemailError, keyedError } from '../../../shared/errors.js';

/**
 * THE shell-quoting function: the only way user input may reach a remote shell. Every
 * argument becomes one POSIX-sh word, whatever bytes it holds (quotes, `;`, `$()`,
 * backticks, newlines, globs, non-ASCII). NUL cannot be passed through argv at all, so it
 * is refused rather than silently truncated.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) {
    throw keyedError('bad-input', { key: 'nulByte', params: {} }, { hint: { key: 'removeNul', params: {} } });
  }
  // Words made only of these characters mean the same quoted or not; keep them readable.
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A command line from argv: each element quoted with shellQuote, joined by spaces. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new HomemailError('internal', 'commandLine needs at least the program name.');
  return argv.map(shellQuote).join(' ');
}
