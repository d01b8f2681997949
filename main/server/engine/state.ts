import { keyedError } from '../../../shared/errors.js';
import type { OpendkimBuild } from '../../../shared/opendkimEd25519.js';
import type { OsRelease } from '../../../shared/inspection.js';
import type { InterruptedApply, InterruptedOutcome } from '../../../shared/plan.js';
import { englishText } from '../../../shared/i18n/english.js';
import { parseOsRelease } from '../platform/osRelease.js';
import { platformFor, type Platform } from '../platform/platforms.js';

/** One file as the gather step saw it. `content` is null for absent files and private keys. */
export interface RemoteFile {
  path: string;
  exists: boolean;
  owner: string | null;
  group: string | null;
  /** Octal permission bits as stat prints them, e.g. "644". */
  mode: string | null;
  mtime: number;
  sha256: string | null;
  content: string | null;
}

export interface RemoteDir {
  path: string;
  exists: boolean;
  owner: string | null;
  group: string | null;
  mode: string | null;
}

export interface JournalEntry {
  id: string;
  state: string;
  lastStage: string;
}

/** What one gather round trip learned: everything plan needs, nothing it would change. */
export interface ServerState {
  os: OsRelease;
  /** The platform row for os (an unknown system is refused when the state is read). */
  platform: Platform;
  systemd: boolean;
  initScripts: { opendkim: boolean; postfix: boolean };
  apt: boolean;
  packages: Record<string, boolean>;
  running: { postfix: boolean; opendkim: boolean };
  /** The installed OpenDKIM, or the package apt would install. */
  opendkimBuild: OpendkimBuild;
  queueDirectory: string;
  mailVersion: string;
  postconfWarnings: string;
  users: string[];
  files: Map<string, RemoteFile>;
  dirs: Map<string, RemoteDir>;
  journals: JournalEntry[];
  interrupted: InterruptedApply[];
  /** Pid of a Homemail transaction still running on the server. */
  busy: number | null;
}

function fromB64(value: string | undefined): string {
  if (value === undefined || value === '-') return '';
  if (value === '.') return '';
  return Buffer.from(value, 'base64').toString('utf8');
}

const dash = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v);

/** An interrupted apply in English (the CLI's --json, logs); each door says it from `apply.interrupted.<outcome>`. */
export function interruptedText(id: string, outcome: InterruptedOutcome): string {
  return englishText('apply', `interrupted.${outcome}`, { id });
}

function outcomeOf(word: string): InterruptedOutcome | null {
  if (word === 'finished' || word === 'undone' || word === 'undo-failed') return word;
  if (word === 'reported-done') return 'reported-done';
  if (word === 'reported-rolled-back') return 'reported-rolled-back';
  if (word === 'reported-rollback-failed') return 'reported-rollback-failed';
  return null;
}

/** Parses the gather mode's output (see txScript.ts). */
export function parseGather(stdout: string): ServerState {
  let osRelease = '';
  const state: Omit<ServerState, 'os' | 'platform'> = {
    systemd: false,
    initScripts: { opendkim: false, postfix: false },
    apt: false,
    packages: {},
    running: { postfix: false, opendkim: false },
    opendkimBuild: { filterVersionText: '', packageVersion: null },
    queueDirectory: '/var/spool/postfix',
    mailVersion: '',
    postconfWarnings: '',
    users: [],
    files: new Map(),
    dirs: new Map(),
    journals: [],
    interrupted: [],
    busy: null,
  };
  let started = false;
  let ended = false;
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(' ');
    const [kind] = f;
    if (kind === 'HOMEMAIL-GATHER') started = true;
    else if (kind === 'recovered') {
      const outcome = outcomeOf(f[2] ?? '');
      if (f[1] && outcome) state.interrupted.push({ backupId: f[1], outcome, text: interruptedText(f[1], outcome) });
    } else if (kind === 'busy') state.busy = Number(f[1]) || 0;
    else if (!started) continue;
    else if (kind === 'os-release') osRelease = fromB64(f[1]);
    else if (kind === 'manager') state.systemd = f[1] === 'systemd';
    else if (kind === 'initscript') state.initScripts[f[1] === 'postfix' ? 'postfix' : 'opendkim'] = f[2] === '1';
    else if (kind === 'apt') state.apt = f[1] === '1';
    else if (kind === 'package' && f[1]) state.packages[f[1]] = f[2] === '1';
    else if (kind === 'running') state.running[f[1] === 'postfix' ? 'postfix' : 'opendkim'] = f[2] === '1';
    else if (kind === 'opendkim-package') state.opendkimBuild.packageVersion = fromB64(f[1]).trim() || null;
    else if (kind === 'opendkim-filter') state.opendkimBuild.filterVersionText = fromB64(f[1]);
    else if (kind === 'postconf' && f[1] === 'queue_directory') state.queueDirectory = fromB64(f[2]) || state.queueDirectory;
    else if (kind === 'postconf' && f[1] === 'mail_version') state.mailVersion = fromB64(f[2]);
    else if (kind === 'warnings') state.postconfWarnings = fromB64(f[1]);
    else if (kind === 'users') state.users = fromB64(f[1]).split(/\s+/).filter(Boolean);
    else if (kind === 'file') {
      const path = fromB64(f[1]);
      const exists = f[2] === '1';
      state.files.set(path, {
        path,
        exists,
        owner: dash(f[3]),
        group: dash(f[4]),
        mode: dash(f[5]),
        mtime: Number(f[6]) || 0,
        sha256: dash(f[7]),
        content: exists && f[8] !== '-' ? fromB64(f[8]) : null,
      });
    } else if (kind === 'dir') {
      const path = fromB64(f[1]);
      state.dirs.set(path, { path, exists: f[2] === '1', owner: dash(f[3]), group: dash(f[4]), mode: dash(f[5]) });
    } else if (kind === 'journal' && f[1]) {
      state.journals.push({ id: f[1], state: f[2] ?? 'unfinished', lastStage: f[3] ?? '' });
      if (f[2] === 'unfinished') state.interrupted.push({ backupId: f[1], outcome: 'pending', text: interruptedText(f[1], 'pending') });
    } else if (kind === 'end') ended = true;
  }
  if (!started || !ended) {
    throw keyedError('command-failed', { key: 'stateQueryIncomplete', params: {} }, { hint: { key: 'stateQueryTools', params: {} } });
  }
  const os = parseOsRelease(osRelease);
  return { ...state, os, platform: platformFor(os) };
}

/** The text of a file as gathered ('' when absent). */
export function fileText(state: ServerState, path: string): string {
  return state.files.get(path)?.content ?? '';
}
