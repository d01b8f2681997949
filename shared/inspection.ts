/**
 * What Homemail learned about a server in one inspection: the typed result that the SSH
 * layer's probe produces and that plan/apply, verify and the wizard read. Pure data, no
 * Node: the renderer imports it too.
 *
 * Absent tools are `null` / `false`, never guessed. Findings are i18n-ready: `key` is a
 * translation key under `findings.` and `params` fill it; `text` is the English sentence
 * for the CLI and logs.
 */
import type { KeyedText } from './i18n/keyedText.js';

export type PackageManager = 'apt' | 'dnf' | 'yum' | 'zypper' | 'apk' | 'pacman';
export type ServiceManager = 'systemd' | 'openrc' | 'sysvinit' | 'unknown';
/** How the inspection got root: logged in as root, sudo without password, sudo with the password. */
export type PrivilegeMode = 'root' | 'sudo-nopasswd' | 'sudo-password';

export interface OsRelease {
  /** os-release ID, e.g. "debian", "ubuntu". */
  id: string | null;
  versionId: string | null;
  versionCodename: string | null;
  prettyName: string | null;
  /** os-release ID_LIKE, split. */
  idLike: string[];
}

export interface ServerAddress {
  interface: string;
  family: 'inet' | 'inet6';
  address: string;
  prefixLength: number | null;
  /** Loopback, link-local and private ranges: not what the world sees. */
  scope: 'loopback' | 'link-local' | 'private' | 'global';
}

/** One milter as Postfix names it: `inet:127.0.0.1:8891`, `unix:/run/opendkim/opendkim.sock`, … */
export interface MilterUse {
  /** Where Postfix reads it: main.cf parameter or a master.cf service override. */
  source: 'smtpd_milters' | 'non_smtpd_milters' | 'master.cf';
  /** For master.cf overrides: the service name (e.g. "submission"). */
  service: string | null;
  value: string;
}

export interface ContentFilterUse {
  source: 'main.cf' | 'master.cf';
  service: string | null;
  value: string;
}

export interface PostfixInfo {
  version: string | null;
  running: boolean;
  configDirectory: string;
  /** `postconf -n`, parsed: explicitly set main.cf parameters. */
  settings: Record<string, string>;
  myhostname: string | null;
  mydomain: string | null;
  myorigin: string | null;
  mydestination: string[];
  /** The chroot column of the `smtp inet … smtpd` line in master.cf; null when absent or unreadable. */
  smtpdChroot: boolean | null;
  /** Queue directory (the chroot root when smtpd is chrooted). */
  queueDirectory: string | null;
  milters: MilterUse[];
  milterDefaultAction: string | null;
  contentFilters: ContentFilterUse[];
  /** `reject_rbl_client` / `reject_rhsbl_*` entries found in smtpd restrictions, verbatim domain. */
  rblClients: string[];
  /** Whether `newaliases` and `postmap` exist on PATH (root's). */
  hasNewaliases: boolean;
  hasPostmap: boolean;
}

export interface OpendkimKeyFile {
  path: string;
  /** From KeyTable (domain/selector) or the single-key Domain/Selector settings. */
  domain: string | null;
  selector: string | null;
  exists: boolean;
  owner: string | null;
  group: string | null;
  /** Octal permission bits, e.g. "600". */
  mode: string | null;
  keyType: 'rsa' | 'ed25519' | null;
  /** RSA modulus size; 256 for Ed25519; null when unreadable. */
  bits: number | null;
  /** What RequireSafeKeys would refuse, as plain reasons in English (group/world readable, wrong owner). */
  safetyProblems: string[];
  /** The same as codes (`words.findings.problem.<key>`) with params. */
  safety: KeyedText[];
}

export interface OpendkimInfo {
  installed: boolean;
  version: string | null;
  /** Whether this build can add an Ed25519 signature beside the RSA one (built with Ed25519 and newer than 2.11.0 Beta2, see opendkimEd25519.ts); null when unknown. */
  canSignEd25519: boolean | null;
  running: boolean;
  configPath: string;
  /** Config file exists and was read. */
  configured: boolean;
  /** `single-key` (Domain/KeyFile/Selector), `key-table` (KeyTable/SigningTable), or none configured. */
  mode: 'single-key' | 'key-table' | 'none';
  /** Raw settings, last value wins per key except repeated keys kept in order. */
  settings: Record<string, string>;
  socket: string | null;
  /** The Socket as Postfix would name the milter (`inet:host:port` / `unix:path`). */
  socketAsMilter: string | null;
  domains: string[];
  keyTable: string | null;
  signingTable: string | null;
  keys: OpendkimKeyFile[];
  /** RequireSafeKeys value (default true in OpenDKIM). */
  requireSafeKeys: boolean;
  userId: string | null;
}

export interface AliasEntry {
  name: string;
  targets: string;
}

export type FindingSeverity = 'info' | 'warning' | 'problem';

export interface Finding {
  /** Stable id and i18n key under `findings.`, e.g. "opendkimSingleDomain". */
  key: string;
  severity: FindingSeverity;
  params: Record<string, string | number>;
  /** The English sentence (CLI, logs); the wizard translates `key` with `params` instead. */
  text: string;
}

export interface Inspection {
  schemaVersion: 1;
  target: { user: string; host: string; port: number };
  privilege: PrivilegeMode;
  hostname: string | null;
  os: OsRelease;
  packageManager: PackageManager | null;
  serviceManager: ServiceManager;
  addresses: ServerAddress[];
  /** null when Postfix is not installed. */
  postfix: PostfixInfo | null;
  /** Always present; `installed: false` when OpenDKIM is absent. */
  opendkim: OpendkimInfo;
  /** /etc/aliases entries (report mailboxes are set here). */
  aliases: AliasEntry[];
  aliasesPath: string | null;
  findings: Finding[];
}
