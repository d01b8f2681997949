import { keyedError } from '../../../shared/errors.js';
import type { Platform } from '../platform/platforms.js';
import { smtpdListenerScript } from '../scripts/index.js';
import type { ChangeSet, ServerCommand } from './changeSet.js';

/**
 * The stdin bundle of one apply: every file, command word and address in base64, every
 * other field a token checked here and again by the script. Private keys travel only here,
 * never in argv, and the script deletes its copy once the files are staged.
 */

/**
 * Tests only: shell text the worker sources after reading the bundle, which may redefine
 * fault_at STAGE (test/host/hooks/faults.sh). The app never sends one.
 */
export interface TestHook {
  script: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const TOKEN = /^[A-Za-z0-9._+-]+$/;
const MODE = /^0?[0-7]{3}$/;

function token(value: string, what: string): string {
  if (!TOKEN.test(value)) throw keyedError('internal', { key: 'bundleUnusualValue', params: { value: JSON.stringify(value) } }, { details: { what } });
  return value;
}

// kind, label, the expected answer ("-": only the exit status counts), then the words.
function commandLine(kind: string, command: ServerCommand): string {
  return [kind, b64(command.label), command.expect === undefined ? '-' : b64(command.expect), ...command.argv.map(b64)].join(' ');
}

/**
 * The platform row's facts the script needs: how to install and take back packages (argv
 * prefixes, the package names follow) and where mail is logged.
 */
export type BundlePlatform = Pick<Platform, 'packageCommands' | 'mailLogs'>;

export function encodeBundle(changes: ChangeSet, testHook: TestHook | null, platform: BundlePlatform): string {
  const lines: string[] = [];
  if (testHook !== null) lines.push(`hook ${b64(testHook.script)}`);
  if (platform.mailLogs.length > 0) lines.push(`mail-logs ${platform.mailLogs.slice(0, 6).map(b64).join(' ')}`);
  if (changes.install.length > 0) {
    const pkgs = changes.install.map((p) => token(p, 'package name'));
    lines.push(['install', ...[...platform.packageCommands.install, ...pkgs].map(b64)].join(' '));
    lines.push(['uninstall', ...[...platform.packageCommands[changes.uninstall], ...pkgs].map(b64)].join(' '));
  }
  for (const dir of changes.dirs) {
    if (!MODE.test(dir.mode)) throw keyedError('internal', { key: 'bundleBadMode', params: { mode: dir.mode, path: dir.path } });
    lines.push(['dir', b64(dir.path), token(dir.owner, 'owner'), token(dir.group, 'group'), dir.mode].join(' '));
  }
  for (const file of changes.files) {
    const mode = file.mode.replace(/^0(?=[0-7]{3,}$)/, '0');
    if (!/^0?[0-7]{3,4}$/.test(mode)) throw keyedError('internal', { key: 'bundleBadMode', params: { mode: file.mode, path: file.path } });
    const expect = file.expect === 'any' || file.expect === 'absent' ? file.expect : token(file.expect, 'hash');
    if (file.remove === true) {
      lines.push(['remove', b64(file.path), expect].join(' '));
      continue;
    }
    lines.push(['file', b64(file.path), token(file.owner, 'owner'), token(file.group, 'group'), mode, expect, file.content === '' ? '.' : b64(file.content)].join(' '));
  }
  for (const path of changes.generated ?? []) lines.push(`generated ${b64(path)}`);
  if (changes.aliasesChanged) lines.push('aliases yes');
  for (const c of changes.validate) lines.push(commandLine('validate', c));
  for (const c of changes.services) lines.push(commandLine('service', c));
  for (const c of changes.rollbackServices) lines.push(commandLine('rollback', c));
  const h = changes.healthSocket;
  if (h !== null) lines.push(h.kind === 'inet' ? `health-socket inet ${h.port}` : `health-socket local ${b64(h.path)}`);
  const m = changes.healthMail;
  if (m !== null) lines.push(['health-mail', b64(m.from), b64(m.to), b64(m.domain), b64(m.selectors.join(' '))].join(' '));
  const r = changes.healthRelay;
  if (r) lines.push(['health-relay', b64(r.recipient), b64(r.relay)].join(' '));
  const c = changes.healthCertificate;
  // The server finds where smtpd takes port-25 mail with the same script `homemail outbound` uses.
  if (c) lines.push(['health-certificate', b64(c.certificate), b64(smtpdListenerScript)].join(' '));
  lines.push('end');
  return `${lines.join('\n')}\n`;
}
