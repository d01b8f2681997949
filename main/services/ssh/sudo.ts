import { shellQuote } from './quote.js';

/**
 * Running a command as root from a non-root login, in the same round trip as the command:
 * a small sh wrapper detects root / passwordless sudo (`sudo -k -n true`) and otherwise
 * checks the password once (`sudo -k -S -p ''`, password on stdin) before running the
 * command with it. The password is read by the shell's `read` builtin and written by the
 * `printf` builtin, so it never appears in any process's argv or environment. `-k` makes
 * sudo ignore cached credentials, so it always reads the password line and never passes it
 * on to the command. The wrapper reports what it did on the first stderr line.
 */
export const sudoMarker = 'homemail-sudo:';

export type SudoOutcome = 'root' | 'nopasswd' | 'password' | 'refused' | 'needs-password' | 'missing';

const withPassword = [
  'IFS= read -r HMPW || HMPW=""',
  `if [ "$(id -u)" = 0 ]; then unset HMPW; echo '${sudoMarker} root' >&2; exec sh -c "$1"; fi`,
  `command -v sudo >/dev/null 2>&1 || { echo '${sudoMarker} missing' >&2; exit 125; }`,
  `if sudo -k -n true 2>/dev/null; then unset HMPW; echo '${sudoMarker} nopasswd' >&2; exec sudo -n -- sh -c "$1"; fi`,
  `if ! printf '%s\\n' "$HMPW" | sudo -k -S -p '' true 2>/dev/null; then unset HMPW; echo '${sudoMarker} refused' >&2; exit 125; fi`,
  `echo '${sudoMarker} password' >&2`,
  `{ printf '%s\\n' "$HMPW"; unset HMPW; exec cat; } | sudo -k -S -p '' -- sh -c "$1"`,
].join('\n');

const withoutPassword = [
  `if [ "$(id -u)" = 0 ]; then echo '${sudoMarker} root' >&2; exec sh -c "$1"; fi`,
  `command -v sudo >/dev/null 2>&1 || { echo '${sudoMarker} missing' >&2; exit 125; }`,
  `if sudo -k -n true 2>/dev/null; then echo '${sudoMarker} nopasswd' >&2; exec sudo -n -- sh -c "$1"; fi`,
  `echo '${sudoMarker} needs-password' >&2`,
  'exit 125',
].join('\n');

/** The command line to send, and whether the password line must precede stdin. */
export function sudoCommandLine(commandLine: string, hasPassword: boolean): string {
  return `sh -c ${shellQuote(hasPassword ? withPassword : withoutPassword)} homemail-sudo ${shellQuote(commandLine)}`;
}

/** Splits the wrapper's marker line off stderr. */
export function takeSudoMarker(stderr: string): { outcome: SudoOutcome | null; stderr: string } {
  const newline = stderr.indexOf('\n');
  const first = newline === -1 ? stderr : stderr.slice(0, newline);
  if (!first.startsWith(sudoMarker)) return { outcome: null, stderr };
  const outcome = first.slice(sudoMarker.length).trim() as SudoOutcome;
  return { outcome, stderr: newline === -1 ? '' : stderr.slice(newline + 1) };
}
