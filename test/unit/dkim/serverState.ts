// A gathered Debian 12 server state for the pure change tests (fixtures: Debian 12's packaged
// main.cf, master.cf and opendkim.conf; OpenDKIM's version text from bookworm's package).
import { readFileSync } from 'node:fs';
import { sha256 } from '../../../main/server/engine/changeSet.js';
import type { RemoteFile, ServerState } from '../../../main/server/engine/state.js';
import { PLATFORMS } from '../../../main/server/platform/platforms.js';

export const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** What bookworm's OpenDKIM says about itself (dpkg version, opendkim -V). */
export const BOOKWORM_OPENDKIM = {
  packageVersion: '2.11.0~beta2-8+deb12u1',
  filterVersionText: 'opendkim: OpenDKIM Filter v2.11.0\n\tCompiled with OpenSSL 3.0.20\n\tSupported signing algorithms:\n\t\trsa-sha1\n\t\trsa-sha256\n\t\ted25519-sha256\n\tSupported canonicalization algorithms:\n\t\trelaxed\n',
};
const bookworm = PLATFORMS.find((p) => p.id === 'debian-12')!;

/** A file as the state read reports it; a secret one is root-only and its content is not read. */
export function remoteFile(path: string, content: string | null, secret = false): RemoteFile {
  return content === null
    ? { path, exists: false, owner: null, group: null, mode: null, mtime: 0, sha256: null, content: null }
    : { path, exists: true, owner: 'root', group: 'root', mode: secret ? '600' : '644', mtime: 1, sha256: sha256(content), content: secret ? null : content };
}

export function debianState(overrides: Record<string, string | null> = {}, extra: Partial<ServerState> = {}): ServerState {
  const contents: Record<string, string | null> = {
    '/etc/postfix/main.cf': fixture('debian-main.cf'),
    '/etc/postfix/master.cf': fixture('debian-master.cf'),
    '/etc/opendkim.conf': fixture('debian-opendkim.conf'),
    '/etc/aliases': '# See man 5 aliases for format\npostmaster:    root\n',
    ...overrides,
  };
  const files = new Map<string, RemoteFile>();
  for (const [path, content] of Object.entries(contents)) files.set(path, remoteFile(path, content, path.endsWith('.private')));
  return {
    os: { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: [] },
    platform: bookworm,
    systemd: false,
    initScripts: { opendkim: true, postfix: true },
    apt: true,
    packages: { opendkim: true, 'opendkim-tools': true, postfix: true },
    running: { postfix: true, opendkim: true },
    opendkimBuild: BOOKWORM_OPENDKIM,
    queueDirectory: '/var/spool/postfix',
    mailVersion: '3.7.11',
    postconfWarnings: '',
    users: ['root', 'admin', 'postfix', 'opendkim'],
    files,
    dirs: new Map([['/etc/dkimkeys', { path: '/etc/dkimkeys', exists: true, owner: 'opendkim', group: 'opendkim', mode: '700' }]]),
    journals: [],
    interrupted: [],
    busy: null,
    ...extra,
  };
}

