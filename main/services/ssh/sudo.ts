import { shellQuote } from './quote.js';

/**
 * Running a command as root from a non-root login, in the same round trip as the command:
 * a small sh wrapper detects root / passwordless sudo (`sudo -k -n true`) and otherwise checks
 * the password once (`sudo -S -v`, password on stdin, after `sudo -k` so it is really checked),
 * which also leaves sudo's credential cache for the wrapper's children: the command then
 * runs under `sudo -n` with the connection's stdin untouched. Where sudo keeps no cache
 * (timestamp_timeout=0) the password goes to the command's own sudo again (`-k -S`), ahead of
 * stdin. The password is read by the shell's `read` builtin and written by the `printf`
 * builtin, so it never appears in any process's argv or environment, and no sudo ever reads
 * it from stdin before it was checked (so a wrong one never eats the command's input). The
 * cache is dropped (`sudo -k`) when the command ends. The wrapper reports what it did on the
 * first stderr line. Once a session knows how it reaches root, the probes are skipped.
 */
export const sudoMarker = 'homemail-sudo:';

export type SudoOutcome = 'root' | 'nopasswd' | 'password' | 'refused' | 'needs-password' | 'missing';

const probes = [
  `if [ "$(id -u)" = 0 ]; then unset HMPW; echo '${sudoMarker} root' >&2; exec sh -c "$1"; fi`,
  `command -v sudo >/dev/null 2>&1 || { echo '${sudoMarker} missing' >&2; exit 125; }`,
  `if sudo -k -n true 2>/dev/null; then unset HMPW; echo '${sudoMarker} nopasswd' >&2; exec sudo -n -- sh -c "$1"; fi`,
];

const passwordRun = [
  'sudo -k',
  `if ! printf '%s\\n' "$HMPW" | sudo -S -p '' -v 2>/dev/null; then unset HMPW; echo '${sudoMarker} refused' >&2; exit 125; fi`,
  `echo '${sudoMarker} password' >&2`,
  'if sudo -n true 2>/dev/null; then unset HMPW; sudo -n -- sh -c "$1"; s=$?; sudo -k; exit $s; fi',
  `{ printf '%s\\n' "$HMPW"; unset HMPW; exec cat; } | sudo -k -S -p '' -- sh -c "$1"`,
];

const withPassword = ['IFS= read -r HMPW || HMPW=""', ...probes, ...passwordRun].join('\n');
const knownPassword = ['IFS= read -r HMPW || HMPW=""', ...passwordRun].join('\n');
const withoutPassword = [...probes, `echo '${sudoMarker} needs-password' >&2`, 'exit 125'].join('\n');

/**
 * The command line to send (the password line must precede stdin when there is a password).
 * `known`: how this session reached root before; `sudo-password` skips the probes.
 */
export function sudoCommandLine(commandLine: string, hasPassword: boolean, known: 'sudo-password' | 'sudo-nopasswd' | 'root' | null = null): string {
  const wrapper = !hasPassword ? withoutPassword : known === 'sudo-password' ? knownPassword : withPassword;
  return `sh -c ${shellQuote(wrapper)} homemail-sudo ${shellQuote(commandLine)}`;
}

/** Splits the wrapper's marker line off stderr. */
export function takeSudoMarker(stderr: string): { outcome: SudoOutcome | null; stderr: string } {
  const newline = stderr.indexOf('\n');
  const first = newline === -1 ? stderr : stderr.slice(0, newline);
  if (!first.startsWith(sudoMarker)) return { outcome: null, stderr };
  const outcome = first.slice(sudoMarker.length).trim() as SudoOutcome;
  return { outcome, stderr: newline === -1 ? '' : stderr.slice(newline + 1) };
}
