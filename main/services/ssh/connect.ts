import os from 'node:os';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ConnectConfig, KeyboardInteractiveAuthMethod, ParsedKey } from 'ssh2';
import { HomemailError } from '../../../shared/errors.js';
import { formatSshTarget, type ParsedSshTarget } from '../../../shared/validation/sshTarget.js';
import { describeHostKey, formatHostKey, negotiationNamesFor, type HostKeyInfo } from './hostKey.js';
import { addKnownHost, checkHostKey, knownAlgorithms, readKnownHostsFile, type KnownHostEntry } from './knownHosts.js';
import { loadPrivateKey } from './privateKey.js';
import { SshSession } from './session.js';
import { readSshConfigFor } from './sshConfig.js';
import type { SshTarget } from './types.js';

const { Client } = ssh2;

export const defaultConnectTimeoutMs = 10_000;

/**
 * What to do with a host key that is not recorded yet. `refuse`: stop before logging in
 * and report the key (CLI without --accept-new-host-key; the wizard's first connect).
 * `accept-new`: record it (OpenSSH's accept-new). `{ acceptFingerprint }`: record it only
 * if it is exactly the key the person was shown. A changed key is refused in every case.
 */
export type UnknownHostKeyPolicy = 'refuse' | 'accept-new' | { acceptFingerprint: string };

export interface ConnectOptions {
  target: ParsedSshTarget;
  /** Homemail's own known_hosts (read and appended). */
  knownHostsFile: string;
  /** Other known_hosts files trusted read-only, e.g. ~/.ssh/known_hosts (the optional import). */
  extraKnownHostsFiles?: readonly string[];
  onUnknownHostKey: UnknownHostKeyPolicy;
  /** Private key file (-i); when absent, IdentityFile from ~/.ssh/config is tried. */
  identityFile?: string;
  /** Passphrase of the key file; falls back to `password`. */
  passphrase?: string;
  /** Used for password and keyboard-interactive login, and for sudo. */
  password?: string;
  /** ssh-agent socket, 'pageant', or false for none. Default: SSH_AUTH_SOCK (Windows: the OpenSSH agent pipe). */
  agent?: string | false;
  /** Read ~/.ssh/config for Host aliases (default true). */
  useSshConfig?: boolean;
  /** Home folder for ~/.ssh (tests aim it elsewhere). */
  home?: string;
  env?: NodeJS.ProcessEnv;
  allowLegacyAlgorithms?: boolean;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
}

/** Algorithms OpenSSH dropped or disabled by default, offered only on request for old servers. */
export const legacyAlgorithms = {
  kex: ['diffie-hellman-group-exchange-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
  serverHostKey: ['ssh-dss'],
  cipher: ['aes256-cbc', 'aes192-cbc', 'aes128-cbc', '3des-cbc'],
  hmac: ['hmac-md5'],
} as const;

function defaultAgent(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SSH_AUTH_SOCK) return env.SSH_AUTH_SOCK;
  if (process.platform === 'win32') return '\\\\.\\pipe\\openssh-ssh-agent';
  return undefined;
}

/** The target with ~/.ssh/config applied and defaults filled (user: the local user; port 22). */
export async function resolveTarget(target: ParsedSshTarget, options: Pick<ConnectOptions, 'useSshConfig' | 'home'> = {}): Promise<{ target: SshTarget; identityFiles: string[] }> {
  const config = options.useSshConfig === false ? null : await readSshConfigFor(target.host, options.home);
  return {
    target: {
      user: target.user ?? config?.user ?? os.userInfo().username,
      host: config?.hostName ?? target.host,
      port: target.port ?? config?.port ?? 22,
    },
    identityFiles: config?.identityFiles ?? [],
  };
}

export function hostKeyUnknownError(target: SshTarget, key: HostKeyInfo): HomemailError {
  return new HomemailError(
    'host-key-unknown',
    `The authenticity of host ${formatSshTarget({ user: null, host: target.host, port: target.port === 22 ? null : target.port })} can't be established.\n${key.keyType} key fingerprint is ${key.fingerprint}.`,
    {
      hint: 'Compare the fingerprint with the one the server shows (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). If it matches, accept it (CLI: --accept-new-host-key).',
      details: { host: target.host, port: target.port, keyType: key.keyType, algorithm: key.algorithm, bits: key.bits, fingerprint: key.fingerprint },
    },
  );
}

function hostKeyChangedError(target: SshTarget, key: HostKeyInfo, entries: KnownHostEntry[]): HomemailError {
  const where = entries.map((e) => `${e.file}:${e.line}`).join(', ');
  return new HomemailError(
    'host-key-changed',
    [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
      'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
      'It is also possible that a host key has just been changed.',
      `The fingerprint for the ${key.keyType} key sent by the remote host is`,
      `${key.fingerprint}.`,
      `Offending key(s) for ${target.host} port ${target.port} in ${where}.`,
      'Homemail stopped before logging in; nothing was run on the server.',
    ].join('\n'),
    {
      hint: `If the server was reinstalled or its keys were renewed on purpose, remove the old entry from ${entries[0]?.file ?? 'the known-hosts file'} and connect again.`,
      details: { host: target.host, port: target.port, keyType: key.keyType, fingerprint: key.fingerprint, knownHostsFile: entries[0]?.file ?? null },
    },
  );
}

/** Turns ssh2 / socket failures into errors that say which thing went wrong. */
export function connectionError(error: Error & { code?: string; level?: string }, target: SshTarget, timeoutMs: number): HomemailError {
  const where = `${target.host} port ${target.port}`;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') {
    return new HomemailError('ssh-unreachable', `Connection refused by ${where}: nothing listens for SSH there.`, {
      hint: 'Check the port (the SSH port is usually 22) and that the SSH server is running.',
      details: { reason: 'refused', host: target.host, port: target.port },
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return new HomemailError('ssh-unreachable', `The name ${target.host} could not be found in DNS.`, {
      hint: 'Check the spelling of the server name, or use its IP address.',
      details: { reason: 'dns', host: target.host, port: target.port },
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new HomemailError('ssh-unreachable', `There is no network route to ${where}.`, {
      hint: 'Check the address and your network connection.',
      details: { reason: 'unreachable', host: target.host, port: target.port },
    });
  }
  if (error.level === 'client-timeout' || code === 'ETIMEDOUT' || /timed out/i.test(error.message)) {
    return new HomemailError('ssh-timeout', `${where} did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
      hint: 'Check the address and port, and that a firewall lets SSH through.',
      details: { reason: 'timeout', host: target.host, port: target.port },
    });
  }
  if (error.level === 'handshake' && /no matching/i.test(error.message)) {
    const what = /no matching (.+?) (?:algorithm|format)/i.exec(error.message)?.[1] ?? 'algorithm';
    return new HomemailError('algorithm-mismatch', `${where} and Homemail share no ${what} algorithm (${error.message}).`, {
      hint: 'The server is old. Update its SSH server, or allow legacy algorithms (CLI: --allow-legacy-algorithms) if you trust the network.',
      details: { reason: 'algorithm', host: target.host, port: target.port },
    });
  }
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(error.message)) {
    return new HomemailError('auth-failed', `${target.user}@${target.host} refused every login method tried (key, agent, password).`, {
      hint: 'Check the user name, the key (-i) or the password, and that the server allows this login method.',
      details: { reason: 'auth', host: target.host, port: target.port },
    });
  }
  return new HomemailError('ssh-unreachable', `The SSH connection to ${where} failed: ${error.message}.`, {
    hint: 'Check the address and port, and that the SSH server is running.',
    details: { reason: 'other', host: target.host, port: target.port },
  });
}

function keyboardInteractive(username: string, password: string): KeyboardInteractiveAuthMethod {
  return {
    type: 'keyboard-interactive',
    username,
    prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
  };
}

/** Logs in to a server with the first method that works; the returned session runs commands. */
export async function connectSsh(options: ConnectOptions): Promise<SshSession> {
  const env = options.env ?? process.env;
  const { target, identityFiles } = await resolveTarget(options.target, options);
  const timeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
  const entries = [
    ...(await readKnownHostsFile(options.knownHostsFile)),
    ...(await Promise.all((options.extraKnownHostsFiles ?? []).map(readKnownHostsFile))).flat(),
  ];

  const keyFiles = options.identityFile !== undefined ? [options.identityFile] : identityFiles;
  const keys: ParsedKey[] = [];
  for (const file of keyFiles) {
    try {
      keys.push(await loadPrivateKey(file, options.passphrase ?? options.password));
    } catch (error) {
      // an explicit -i must work; keys named only in ~/.ssh/config are best effort
      if (options.identityFile !== undefined) throw error;
    }
  }
  const agent = options.agent === false ? undefined : (options.agent ?? defaultAgent(env));
  const methods: AnyAuthMethod[] = [
    ...keys.map((key): AnyAuthMethod => ({ type: 'publickey', username: target.user, key })),
    ...(agent ? [{ type: 'agent', username: target.user, agent } satisfies AnyAuthMethod] : []),
    ...(options.password !== undefined
      ? [{ type: 'password', username: target.user, password: options.password } satisfies AnyAuthMethod, keyboardInteractive(target.user, options.password)]
      : []),
  ];
  if (methods.length === 0) {
    throw new HomemailError('auth-failed', `No way to log in to ${target.host} was given: no key file, no ssh-agent, no password.`, {
      hint: 'Give a private key with -i, start ssh-agent, or give the password with --password-stdin.',
    });
  }

  const preferred = knownAlgorithms(entries, target.host, target.port).flatMap(negotiationNamesFor);
  const legacy = options.allowLegacyAlgorithms === true;
  // ssh2 applies these in key order: remove, then prepend, then append.
  const edit = (prepend: readonly string[], append: readonly string[]) => ({ remove: [...prepend], prepend: [...prepend], append: [...append] });
  const algorithms = {
    serverHostKey: edit(preferred, legacy ? legacyAlgorithms.serverHostKey : []),
    ...(legacy ? { kex: edit([], legacyAlgorithms.kex), cipher: edit([], legacyAlgorithms.cipher), hmac: edit([], legacyAlgorithms.hmac) } : {}),
  } as unknown as ConnectConfig['algorithms'];

  const client = new Client();
  let presented: HostKeyInfo | null = null;
  let refusal: HomemailError | null = null;

  return new Promise<SshSession>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        client.end();
        reject(error);
      } else if (presented) {
        resolve(new SshSession(client, target, presented, options.password));
      }
    };
    const onAbort = () => settle(new HomemailError('cancelled', `Connecting to ${target.host} was cancelled.`));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => settle(null));
    client.on('error', (error: Error & { code?: string; level?: string }) => settle(refusal ?? connectionError(error, target, timeoutMs)));
    client.on('close', () => settle(refusal ?? new HomemailError('ssh-unreachable', `${target.host} closed the connection during login.`, { hint: 'Check that this user may log in over SSH.' })));

    let remaining = [...methods];
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: timeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 4,
      algorithms,
      hostVerifier: (blob: Buffer, verify: (valid: boolean) => void) => {
        const key = describeHostKey(blob);
        presented = key;
        const check = checkHostKey(entries, target.host, target.port, key.base64);
        if (check.status === 'known') return verify(true);
        if (check.status === 'changed') {
          refusal = hostKeyChangedError(target, key, check.entries);
          return verify(false);
        }
        if (check.status === 'revoked') {
          refusal = new HomemailError('host-key-changed', `The ${key.keyType} host key ${key.fingerprint} of ${target.host} is marked as revoked in ${check.entry.file}.`, {
            hint: 'Do not connect until the server administrator confirms its keys.',
          });
          return verify(false);
        }
        const policy = options.onUnknownHostKey;
        const accepted = policy === 'accept-new' || (typeof policy === 'object' && policy.acceptFingerprint === key.fingerprint);
        if (!accepted) {
          refusal = hostKeyUnknownError(target, key);
          if (typeof policy === 'object') {
            refusal = new HomemailError('host-key-unknown', `The server presented ${formatHostKey(key)}, not the key that was accepted (${policy.acceptFingerprint}).`, {
              hint: 'The key changed between the two connections. Check the fingerprint again before accepting.',
              details: { host: target.host, port: target.port, keyType: key.keyType, algorithm: key.algorithm, bits: key.bits, fingerprint: key.fingerprint },
            });
          }
          return verify(false);
        }
        addKnownHost(options.knownHostsFile, target.host, target.port, key.algorithm, key.base64).then(
          () => verify(true),
          (error: unknown) => {
            refusal = new HomemailError('internal', `Could not record the host key in ${options.knownHostsFile}: ${String(error)}.`);
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (method: AnyAuthMethod | false) => void) => {
        const allowed = methodsLeft === null ? null : new Set(methodsLeft);
        while (remaining.length > 0) {
          const method = remaining[0];
          remaining = remaining.slice(1);
          if (method && (allowed === null || allowed.has(method.type === 'agent' ? 'publickey' : method.type))) return next(method);
        }
        return next(false);
      },
    } as ConnectConfig);
  });
}
