import os from 'node:os';
import path from 'node:path';
import { cliError, usageHint } from './command.js';
import { parseSshTarget, type ParsedSshTarget } from '../../shared/validation/sshTarget.js';
import { defaultDataDir } from '../services/deps.js';
import { connectSsh } from '../services/ssh/connect.js';
import { expandHome, knownHostsPath } from '../services/ssh/paths.js';
import type { SshSession } from '../services/ssh/session.js';
import type { CliIO } from './command.js';

/**
 * DESIGN.md's SSH options, parsed once for every command that reaches a server
 * (inspect, plan, apply, rollback, send-test, reports). Spread `sshOptionSpec` into the
 * command's parseCommandArgs options, then `readSshOptions(values)` and `connectFromCli`.
 */
export const sshOptionSpec = {
  ssh: { type: 'string' },
  identity: { type: 'string', short: 'i' },
  'password-stdin': { type: 'boolean' },
  'known-hosts': { type: 'string' },
  'accept-new-host-key': { type: 'boolean' },
  'allow-legacy-algorithms': { type: 'boolean' },
  // ~/.ssh/known_hosts is now always trusted (read-only), like ssh; the option stays accepted
  'import-ssh-known-hosts': { type: 'boolean' },
} as const;

export const sshUsage = '--ssh [user@]host[:port]|ALIAS [-i FILE] [--password-stdin] [--known-hosts FILE] [--accept-new-host-key] [--allow-legacy-algorithms]';

/** The values parseArgs returns for sshOptionSpec (other options of the command may sit beside them). */
export interface SshOptionValues {
  ssh?: string | undefined;
  identity?: string | undefined;
  'password-stdin'?: boolean | undefined;
  'known-hosts'?: string | undefined;
  'accept-new-host-key'?: boolean | undefined;
  'allow-legacy-algorithms'?: boolean | undefined;
  'import-ssh-known-hosts'?: boolean | undefined;
}

export interface SshCliOptions {
  target: ParsedSshTarget;
  identityFile: string | undefined;
  passwordStdin: boolean;
  knownHostsFile: string;
  acceptNewHostKey: boolean;
  allowLegacyAlgorithms: boolean;
  /** The home folder whose ~/.ssh (config, keys, known_hosts) is used: $HOME, else the account's. */
  home: string;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME !== undefined && env.HOME !== '' ? env.HOME : os.homedir();
}

/** Checks the SSH options (usage/bad-input, exit 2) before anything connects. */
export function readSshOptions(values: SshOptionValues, io: Pick<CliIO, 'env' | 'cwd'>): SshCliOptions {
  if (values.ssh === undefined) {
    throw cliError('usage', 'cliRequired', { option: '--ssh' }, { field: 'ssh', hint: usageHint(sshUsage) });
  }
  const target = parseSshTarget(values.ssh, 'ssh');
  const home = homeOf(io.env);
  return {
    target,
    identityFile: values.identity === undefined ? undefined : path.resolve(io.cwd, expandHome(values.identity, home)),
    passwordStdin: values['password-stdin'] === true,
    knownHostsFile: values['known-hosts'] === undefined ? knownHostsPath(defaultDataDir(io.env)) : path.resolve(io.cwd, values['known-hosts']),
    acceptNewHostKey: values['accept-new-host-key'] === true,
    allowLegacyAlgorithms: values['allow-legacy-algorithms'] === true,
    home,
  };
}

/** Reads the first `count` lines of stdin (without their line endings) and stops reading. */
export async function readStdinLines(stdin: NodeJS.ReadableStream, count: number): Promise<string[]> {
  const chunks: Buffer[] = [];
  let newlines = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    chunks.push(buffer);
    for (const byte of buffer) if (byte === 0x0a) newlines += 1;
    if (newlines >= count) break;
  }
  const lines = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, count).map((l) => l.replace(/\r$/, ''));
  chunks.fill(Buffer.alloc(0));
  return lines;
}

/** Reads the first line of stdin (without its line ending) and stops reading. */
export async function readPasswordLine(stdin: NodeJS.ReadableStream): Promise<string> {
  const [line = ''] = await readStdinLines(stdin, 1);
  if (line === '') throw cliError('bad-input', 'cliNoPasswordLine', {}, { field: 'password-stdin' });
  return line;
}

/**
 * Connects with the parsed options: the one RemoteSession a command uses. The password
 * from --password-stdin serves password login, the key passphrase and sudo.
 */
export async function connectFromCli(options: SshCliOptions, io: Pick<CliIO, 'stdin' | 'env'>, signal?: AbortSignal, sudoPassword?: string): Promise<SshSession> {
  // A command that reads a second secret from stdin (relay) reads both lines first and passes the first.
  const password = sudoPassword ?? (options.passwordStdin ? await readPasswordLine(io.stdin) : undefined);
  return connectSsh({
    target: options.target,
    knownHostsFile: options.knownHostsFile,
    home: options.home,
    onUnknownHostKey: options.acceptNewHostKey ? 'accept-new' : 'refuse',
    ...(options.identityFile === undefined ? {} : { identityFile: options.identityFile }),
    ...(password === undefined ? {} : { password }),
    env: io.env,
    allowLegacyAlgorithms: options.allowLegacyAlgorithms,
    ...(signal === undefined ? {} : { signal }),
  });
}
