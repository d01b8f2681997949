import { createHash } from 'node:crypto';
import type { PlanText } from '../../../shared/plan.js';
import type { RemoteFile, ServerState } from './state.js';

/**
 * A change request's result: what the server should look like after apply, as the files
 * that differ, the directories and packages to create, and the commands that validate and
 * reload. Features compute it from the gathered state; the transaction carries it out.
 */
export interface DesiredFile {
  path: string;
  before: RemoteFile | undefined;
  content: string;
  owner: string;
  group: string;
  mode: string;
  secret: boolean;
  /** A password (not a key): the plan names it without its length. */
  password?: true;
  /** What the transaction checks before writing: the gathered hash, absent, or anything. */
  expect: string;
  why: PlanText;
  /** The file is deleted instead of written (content ''): backed up first, so rollback puts it back. */
  remove?: boolean;
}

export interface DesiredDir {
  path: string;
  owner: string;
  group: string;
  mode: string;
}

export interface ServerCommand {
  label: string;
  argv: string[];
  words: PlanText;
  /**
   * Validate commands only: the exact answer (stdout, trailing newlines aside) the command
   * must print; any other answer fails the validate stage and the change is rolled back.
   */
  expect?: string;
}

export interface ChangeSet {
  files: DesiredFile[];
  dirs: DesiredDir[];
  install: string[];
  /** How rollback takes back the packages: purge when they were absent, remove when their config stayed. */
  uninstall: 'purge' | 'remove';
  aliasesChanged: boolean;
  validate: ServerCommand[];
  services: ServerCommand[];
  rollbackServices: ServerCommand[];
  socket: string;
  milter: string;
  /**
   * Files a validate command makes from a written file (postmap's .db): backed up before the
   * write and put back (or removed) by a rollback like the written files.
   */
  generated?: string[];
  /**
   * Health: an address-verification probe (sendmail -bv) to this remote recipient must come
   * back deliverable through the relay: Postfix logged in to it (nothing is sent).
   */
  healthRelay?: { recipient: string; relay: string } | null;
  /**
   * Health: smtpd on port 25, at an address where it listens (smtpd-listener.sh reads
   * master.cf and inet_interfaces on the server), must present (after STARTTLS) the first
   * certificate of this file, compared by SHA-256 fingerprint: a master.cf override on the
   * smtp service would otherwise defeat a certificate switch silently. No smtpd on port 25:
   * a coded warning (smtpdNotListening), not a failure.
   */
  healthCertificate?: { certificate: string } | null;
  /** null: no OpenDKIM check (change sets that touch only Postfix, e.g. inbound rules). */
  healthSocket: { kind: 'inet'; port: number } | { kind: 'local'; path: string } | null;
  /** The test message must be signed by every one of these selectors. */
  healthMail: { from: string; to: string; domain: string; selectors: string[] } | null;
  notes: PlanText[];
  changed: boolean;
}

/** A change set that changes nothing; features spread it and name only the parts they use. */
export function emptyChangeSet(): ChangeSet {
  return { files: [], dirs: [], install: [], uninstall: 'remove', aliasesChanged: false, validate: [], services: [], rollbackServices: [], socket: '', milter: '', healthSocket: null, healthMail: null, healthRelay: null, healthCertificate: null, notes: [], changed: false };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function octal(mode: string | null | undefined, fallback: string): string {
  if (!mode) return fallback;
  return mode.padStart(4, '0');
}

/** Owner and mode for a file the change creates; an existing file keeps its own. */
export interface NewFileMeta {
  owner: string;
  group: string;
  mode: string;
  secret?: boolean | 'password';
  /** Accept whatever the file holds when it is written (one a package install creates first). */
  expectAny?: boolean;
}

/**
 * The write that makes `path` hold `content`, or null when it already does. An existing
 * file keeps its owner, group and mode; the write expects the content read at plan time.
 */
export function desiredFile(state: ServerState, path: string, content: string, why: PlanText, meta: NewFileMeta): DesiredFile | null {
  const before = state.files.get(path);
  if (before?.exists && before.sha256 === sha256(content)) return null;
  return {
    path,
    before,
    content,
    owner: before?.exists ? (before.owner ?? meta.owner) : meta.owner,
    group: before?.exists ? (before.group ?? meta.group) : meta.group,
    mode: before?.exists ? octal(before.mode, meta.mode) : meta.mode,
    secret: meta.secret !== undefined && meta.secret !== false,
    ...(meta.secret === 'password' ? { password: true as const } : {}),
    expect: meta.expectAny ? 'any' : before?.exists ? (before.sha256 ?? 'any') : 'absent',
    why,
  };
}


/** The deletion of `path` (backed up first, restored by rollback), or null when it is already absent. */
export function removedFile(state: ServerState, path: string, why: PlanText, secret = false): DesiredFile | null {
  const before = state.files.get(path);
  if (!before?.exists) return null;
  return { path, before, content: '', owner: before.owner ?? 'root', group: before.group ?? 'root', mode: octal(before.mode, '0600'), secret, expect: before.sha256 ?? 'any', why, remove: true };
}
