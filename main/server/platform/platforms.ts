import { keyedError } from '../../../shared/errors.js';
import type { OsRelease } from '../../../shared/inspection.js';

/**
 * What Homemail needs to know about one distribution release, as data: package names and
 * how to install and purge them, how services are driven, where mail is logged, OpenDKIM's
 * packaged defaults and abilities, and whether Postfix's smtpd runs chrooted. The change
 * engine and inspection read the row chosen from /etc/os-release; a release with no row is
 * refused at plan (platformFor). Adding a distribution = adding a row (+ its test base when
 * one can be built here): see docs/DEVELOPING.md.
 */
export interface Platform {
  /** Stable id, e.g. "debian-12". */
  id: string;
  name: string;
  /** os-release ID and VERSION_ID this row is for. */
  osId: string;
  versionId: string;
  codename: string;
  /** "host": the host suites run on a test base of it; "documentation": built from its packages' documented facts only. */
  tested: 'host' | 'documentation';
  packages: {
    postfix: string;
    opendkim: string;
    opendkimTools: string;
    /** Archive section OpenDKIM comes from ("universe" must be enabled on Ubuntu). */
    opendkimSection: 'main' | 'universe';
    /** The release's package versions (documented; the server's own are read at plan). */
    postfixVersion: string;
    opendkimVersion: string;
  };
  /**
   * argv prefixes; the package names follow. install brings in the packages an apply needs;
   * rollback takes them back with purge (they were absent) or remove (their configuration
   * files had stayed behind). Each runs non-interactively, stdin closed.
   */
  packageCommands: { install: readonly string[]; purge: readonly string[]; remove: readonly string[] };
  /** Services: systemd is PID 1 on a booted server; these init scripts exist for other setups (containers, chroots). */
  initScripts: readonly ('opendkim' | 'postfix')[];
  /** Where Postfix's log lines land, tried in order; the journal when none exists. */
  mailLogs: readonly string[];
  opendkim: {
    configPath: string;
    /** The Socket the package's opendkim.conf sets. */
    defaultSocket: string;
    user: string;
    group: string;
    keyDirectory: string;
    /** Whether this release's OpenDKIM can sign with Ed25519 beside RSA (needs a build after 2.11.0 Beta2). */
    ed25519BesideRsa: boolean;
  };
  postfix: {
    smtpdChroot: boolean;
    queueDirectory: string;
    configDirectory: string;
    /** The lookup table type postmap builds by default (`postconf -d default_database_type`). */
    databaseType: string;
    /** The package with the Cyrus SASL PLAIN/LOGIN modules Postfix's smtp client needs to log in to a relay. */
    saslClientPackage: string;
  };
  /** TLS files: the snake-oil certificate the ssl-cert package makes at install, and certbot's live directory. */
  tls: { snakeoilCertificate: string; letsEncryptLive: string };
  /** Where each fact comes from. */
  sources: readonly string[];
}

/** apt-get without questions (debconf's noninteractive frontend), without Recommends. */
const APT = {
  install: ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-q', '--no-install-recommends'],
  purge: ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'purge', '-y', '-q'],
  remove: ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'remove', '-y', '-q'],
} as const;

/** What the Debian family shares: Debian's opendkim and postfix packaging (Ubuntu syncs both from Debian). */
const DEBIAN_FAMILY = {
  packageCommands: APT,
  initScripts: ['opendkim', 'postfix'],
  mailLogs: ['/var/log/mail.log', '/var/log/maillog', '/var/log/mail/mail.log', '/var/log/syslog'],
  opendkim: {
    configPath: '/etc/opendkim.conf',
    defaultSocket: 'local:/run/opendkim/opendkim.sock',
    user: 'opendkim',
    group: 'opendkim',
    keyDirectory: '/etc/dkimkeys',
    // every release below ships 2.11.0~beta2: one signing algorithm for all keys
    ed25519BesideRsa: false,
  },
  postfix: { smtpdChroot: true, queueDirectory: '/var/spool/postfix', configDirectory: '/etc/postfix', databaseType: 'hash', saslClientPackage: 'libsasl2-modules' },
  // ssl-cert's make-ssl-cert generate-default-snakeoil (postfix's postinst points smtpd_tls_cert_file at it); certbot's live/NAME/
  tls: { snakeoilCertificate: '/etc/ssl/certs/ssl-cert-snakeoil.pem', letsEncryptLive: '/etc/letsencrypt/live' },
} as const;

const DEBIAN_PACKAGING =
  "Debian's opendkim packaging: debian/opendkim.conf sets Socket local:/run/opendkim/opendkim.sock, UserID opendkim; keys in /etc/dkimkeys (opendkim:opendkim 0700); Debian's postfix master.cf runs smtpd chrooted (y); postconf -d default_database_type is hash on bookworm and trixie (test bases); libsasl2-modules (recommended by libsasl2-2, not pulled in with --no-install-recommends) carries the PLAIN/LOGIN modules the smtp client's SASL login needs";

export const PLATFORMS: readonly Platform[] = [
  {
    ...DEBIAN_FAMILY,
    id: 'debian-11',
    name: 'Debian 11 (bullseye)',
    osId: 'debian',
    versionId: '11',
    codename: 'bullseye',
    tested: 'documentation',
    packages: { postfix: 'postfix', opendkim: 'opendkim', opendkimTools: 'opendkim-tools', opendkimSection: 'main', postfixVersion: '3.5', opendkimVersion: '2.11.0~beta2-4+deb11u1' },
    sources: ['Debian package archive, bullseye: opendkim 2.11.0~beta2-4+deb11u1, postfix 3.5.x', DEBIAN_PACKAGING],
  },
  {
    ...DEBIAN_FAMILY,
    id: 'debian-12',
    name: 'Debian 12 (bookworm)',
    osId: 'debian',
    versionId: '12',
    codename: 'bookworm',
    tested: 'host',
    packages: { postfix: 'postfix', opendkim: 'opendkim', opendkimTools: 'opendkim-tools', opendkimSection: 'main', postfixVersion: '3.7.11', opendkimVersion: '2.11.0~beta2-8+deb12u1' },
    sources: ['apt-cache policy on bookworm: opendkim 2.11.0~beta2-8+deb12u1, postfix 3.7.11-0+deb12u1', 'the bookworm test host (test/host)', DEBIAN_PACKAGING],
  },
  {
    ...DEBIAN_FAMILY,
    id: 'debian-13',
    name: 'Debian 13 (trixie)',
    osId: 'debian',
    versionId: '13',
    codename: 'trixie',
    tested: 'host',
    packages: { postfix: 'postfix', opendkim: 'opendkim', opendkimTools: 'opendkim-tools', opendkimSection: 'main', postfixVersion: '3.10.13', opendkimVersion: '2.11.0~beta2-9.1+b1' },
    sources: ['the trixie test base (dpkg-query): opendkim 2.11.0~beta2-9.1+b1, postfix 3.10.13 (compatibility_level 3.9), OpenSSH 10.0p2; same opendkim.conf, /etc/default/opendkim and /etc/dkimkeys as bookworm (_notes/trixie.md)', DEBIAN_PACKAGING],
  },
  {
    ...DEBIAN_FAMILY,
    id: 'ubuntu-22.04',
    name: 'Ubuntu 22.04 LTS (jammy)',
    osId: 'ubuntu',
    versionId: '22.04',
    codename: 'jammy',
    tested: 'documentation',
    packages: { postfix: 'postfix', opendkim: 'opendkim', opendkimTools: 'opendkim-tools', opendkimSection: 'universe', postfixVersion: '3.6.4', opendkimVersion: '2.11.0~beta2-6' },
    sources: ['Ubuntu package archive, jammy: opendkim 2.11.0~beta2-6 in universe; postfix 3.6.4 in main', `Ubuntu syncs opendkim and postfix from Debian: ${DEBIAN_PACKAGING}`],
  },
  {
    ...DEBIAN_FAMILY,
    id: 'ubuntu-24.04',
    name: 'Ubuntu 24.04 LTS (noble)',
    osId: 'ubuntu',
    versionId: '24.04',
    codename: 'noble',
    tested: 'documentation',
    packages: { postfix: 'postfix', opendkim: 'opendkim', opendkimTools: 'opendkim-tools', opendkimSection: 'universe', postfixVersion: '3.8.6', opendkimVersion: '2.11.0~beta2-9build4' },
    sources: ['Ubuntu package archive, noble: opendkim 2.11.0~beta2-9build4 in universe; postfix 3.8.6-1ubuntu0.1 (noble-updates) in main', `Ubuntu syncs opendkim and postfix from Debian: ${DEBIAN_PACKAGING}`],
  },
];

/** The row for this os-release, or null. */
export function findPlatform(os: Pick<OsRelease, 'id' | 'versionId'>): Platform | null {
  return PLATFORMS.find((p) => p.osId === os.id && p.versionId === os.versionId) ?? null;
}

/** The row for this os-release; a release Homemail has no row for is refused (exit 2), naming what was found. */
export function platformFor(os: OsRelease): Platform {
  const found = findPlatform(os);
  if (found !== null) return found;
  const seen = os.prettyName ?? [os.id, os.versionId].filter((v) => v !== null).join(' ');
  const ids = { id: os.id ?? '?', versionId: os.versionId ?? '?' };
  throw keyedError('bad-input', seen === '' ? { key: 'platformNoOsRelease', params: ids } : { key: 'platformUnsupported', params: { seen, ...ids } }, {
    details: { field: 'platform', id: os.id ?? '', versionId: os.versionId ?? '' },
    hint: { key: 'platformsSupported', params: { platforms: PLATFORMS.map((p) => p.name).join(', ') } },
  });
}
