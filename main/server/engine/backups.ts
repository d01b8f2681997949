import { createTwoFilesPatch } from 'diff';
import type { BackupEntry, BackupFile, BackupList, BackupState } from '../../../shared/backups.js';
import { keyedError } from '../../../shared/errors.js';
import { commandFailure } from '../../services/ssh/commandFailure.js';
import { commandLine } from '../../services/ssh/quote.js';
import type { RemoteSession } from '../../services/ssh/types.js';

/**
 * Reads the backups earlier applies left under /var/backups/homemail/ (journal, manifest and
 * the saved files) in one round trip, read only. The content of a file only its owner may
 * read (a private key) never leaves the server: such files are listed without a diff.
 */

export const BACKUP_ROOT = '/var/backups/homemail';
const LIST_TIMEOUT_MS = 60_000;
/** The newest ones; older backups stay on the server and are still restorable from the CLI. */
const MAX_BACKUPS = 30;

// Static text: the only value it sees is the fixed root. Every field is base64 or a checked token.
const LIST_SCRIPT = String.raw`set -u
LC_ALL=C
export LC_ALL
ROOT=$1
enc() { printf '%s' "$1" | base64 | tr -d '\n'; }
readable() { case $(stat -c %a "$1" 2>/dev/null) in *[4567]) return 0;; esac; return 1; }
content() { if readable "$1"; then c=$(base64 < "$1" | tr -d '\n'); [ -n "$c" ] || c=.; printf '%s' "$c"; else printf -; fi; }
printf 'HOMEMAIL-BACKUPS\n'
[ -d "$ROOT" ] || { printf 'END\n'; exit 0; }
for d in "$ROOT"/*; do
  [ -f "$d/journal" ] || continue
  id=$(basename "$d")
  case $id in *[!0-9A-Za-z-]*) continue;; esac
  printf 'BACKUP %s %s\n' "$id" "$(base64 < "$d/journal" | tr -d '\n')"
  [ -f "$d/manifest" ] || continue
  while read -r kind p existed idx rest; do
    case $kind in
      file)
        path=$(printf '%s' "$p" | base64 -d)
        case $idx in *[!0-9]*|'') continue;; esac
        old=-; now=-
        if [ "$existed" = 1 ]; then
          if [ -f "$d/files/$idx" ]; then old=$(content "$d/files/$idx"); else old=missing; fi
        fi
        if [ -f "$path" ]; then now=$(content "$path"); else now=absent; fi
        printf 'FILE %s %s %s %s\n' "$p" "$existed" "$old" "$now" ;;
      package) printf 'PACKAGE %s\n' "$p" ;;
    esac
  done < "$d/manifest"
done
printf 'END\n'
`;

const STATES: readonly BackupState[] = ['done', 'restored', 'rolled-back', 'aborted', 'rollback-failed', 'restore-failed'];

const decode = (field: string): string => (field === '.' ? '' : Buffer.from(field, 'base64').toString('utf8'));

function journalFacts(journal: string): { startedAtMs: number | null; state: BackupState } {
  const begin = /^BEGIN (\d+)/m.exec(journal);
  const states = [...journal.matchAll(/^STATE (\S+)/gm)].map((m) => m[1]);
  const last = states.at(-1);
  const state = last !== undefined && (STATES as readonly string[]).includes(last) ? (last as BackupState) : 'unfinished';
  return { startedAtMs: begin?.[1] ? Number(begin[1]) * 1000 : null, state };
}

function restoreDiff(path: string, existed: boolean, old: string, now: string): string | null {
  // '-' is a file only its owner may read: listed, never shown.
  if ((existed && (old === '-' || old === 'missing')) || now === '-') return null;
  const before = now === 'absent' ? '' : decode(now);
  const after = existed ? decode(old) : '';
  if (before === after && (now === 'absent') === !existed) return '';
  const patch = createTwoFilesPatch(now === 'absent' ? '/dev/null' : `a${path}`, existed ? `b${path}` : '/dev/null', before, after, undefined, undefined, { context: 3 });
  // The package's "=====" separator line says nothing to a reader.
  return patch.replace(/^=+\n/, '');
}

/** The list script's output → backups, newest first. */
export function parseBackupList(stdout: string): BackupEntry[] {
  const backups: BackupEntry[] = [];
  let current: BackupEntry | null = null;
  for (const line of stdout.split('\n')) {
    const [kind, a, b, c, d] = line.trim().split(' ');
    if (kind === 'BACKUP' && a) {
      const facts = journalFacts(b ? decode(b) : '');
      current = { id: a, ...facts, restorable: facts.state === 'done', files: [], packages: [] };
      backups.push(current);
    } else if (kind === 'FILE' && current && a && b && c && d) {
      const path = decode(a);
      const existed = b === '1';
      // An apply that wrote a file twice (never today) keeps the earliest content.
      if (current.files.some((f) => f.path === path)) continue;
      const file: BackupFile = { path, action: existed ? 'restore' : 'remove', diff: restoreDiff(path, existed, c, d) };
      current.files.push(file);
    } else if (kind === 'PACKAGE' && current && a && /^[a-z0-9.+-]+$/.test(a)) {
      current.packages.push(a);
    }
  }
  return backups.sort((x, y) => (x.id < y.id ? 1 : x.id > y.id ? -1 : 0)).slice(0, MAX_BACKUPS);
}

/** The backups on the server, newest first, each with what a restore would put back. One round trip. */
export async function listBackups(session: RemoteSession, options: { signal?: AbortSignal } = {}): Promise<BackupList> {
  const result = await session.exec(commandLine(['sh', '-c', LIST_SCRIPT, 'homemail-backups', BACKUP_ROOT]), {
    sudo: true,
    timeoutMs: LIST_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!result.stdout.includes('HOMEMAIL-BACKUPS') || !/^END$/m.test(result.stdout)) {
    throw keyedError('command-failed', { key: 'backupsUnreadable', params: { dir: BACKUP_ROOT } }, { hint: { key: 'checkSudo', params: {} }, ...commandFailure(result) });
  }
  return { backups: parseBackupList(result.stdout), root: BACKUP_ROOT };
}
