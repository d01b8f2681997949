import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ConnectConfig, KeyboardInteractiveAuthMethod } from 'ssh2';
import { keyedError, type ErrorSentence, type HomemailError } from '../../../shared/errors.js';
import { formatSshTarget, parseSshTarget, type ParsedSshTarget } from '../../../shared/validation/sshTarget.js';
import { describeHostKey, negotiationNamesFor, type HostKeyInfo } from './hostKey.js';
import { identityCandidates, loadIdentities, OfferingAgent, type LoadedIdentities } from './identities.js';
import { addKnownHost, checkHostKey, knownAlgorithms, readKnownHostsFile, type KnownHostEntry } from './knownHosts.js';
import { expandHome, sshKnownHostsPaths } from './paths.js';
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
  /** Other known_hosts files trusted read-only. Default: the ones `ssh` reads (~/.ssh/known_hosts, known_hosts2, /etc/ssh/ssh_known_hosts…). */
  extraKnownHostsFiles?: readonly string[];
  onUnknownHostKey: UnknownHostKeyPolicy;
  /** Private key file (-i or the wizard's field; `~` expanded). With IdentityFile lines it replaces OpenSSH's default key files. */
  identityFile?: string;
  /** Passphrase of the key file; falls back to `password`. */
  passphrase?: string;
  /** Used for password and keyboard-interactive login, and for sudo. */
  password?: string;
  /** ssh-agent socket, 'pageant', or false for none. Default: SSH_AUTH_SOCK (Windows: the OpenSSH agent pipe). */
  agent?: string | false;
  /** Read ~/.ssh/config for Host aliases (default true). */
  useSshConfig?: boolean;
  /** Jump hosts to go through instead of the config's ProxyJump (empty: connect directly). */
  proxyJump?: readonly string[];
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

export interface ResolvedTarget {
  target: SshTarget;
  identityFiles: string[];
  identitiesOnly: boolean;
  proxyJump: string[];
}

/** The target with ~/.ssh/config applied and defaults filled (user: the local user; port 22). */
export async function resolveTarget(target: ParsedSshTarget, options: Pick<ConnectOptions, 'useSshConfig' | 'home'> = {}): Promise<ResolvedTarget> {
  const config = options.useSshConfig === false ? null : await readSshConfigFor(target.host, options.home ?? os.homedir());
  return {
    target: {
      user: target.user ?? config?.user ?? os.userInfo().username,
      host: config?.hostName ?? target.host,
      port: target.port ?? config?.port ?? 22,
    },
    identityFiles: config?.identityFiles ?? [],
    identitiesOnly: config?.identitiesOnly ?? false,
    proxyJump: config?.proxyJump ?? [],
  };
}

export function hostKeyUnknownError(target: SshTarget, key: HostKeyInfo): HomemailError {
  return keyedError(
    'host-key-unknown',
    { key: 'hostKeyUnknown', params: { target: formatSshTarget({ user: null, host: target.host, port: target.port === 22 ? null : target.port }), keyType: key.keyType, fingerprint: key.fingerprint } },
    {
      hint: { key: 'hostKeyUnknown', params: { field: 'accept-new-host-key' } },
      details: { host: target.host, port: target.port, keyType: key.keyType, algorithm: key.algorithm, bits: key.bits, fingerprint: key.fingerprint },
    },
  );
}

function hostKeyChangedError(target: SshTarget, key: HostKeyInfo, entries: KnownHostEntry[]): HomemailError {
  const where = entries.map((e) => `${e.file}:${e.line}`).join(', ');
  return keyedError(
    'host-key-changed',
    { key: 'hostKeyChanged', params: { keyType: key.keyType, fingerprint: key.fingerprint, host: target.host, port: target.port, where } },
    {
      hint: { key: 'hostKeyChanged', params: { file: entries[0]?.file ?? 'known_hosts' } },
      details: { host: target.host, port: target.port, keyType: key.keyType, fingerprint: key.fingerprint, knownHostsFile: entries[0]?.file ?? null },
    },
  );
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);

/** The first line a non-SSH service sent, printable and short, to show in a message. */
function firstLine(bytes: Buffer): string {
  const line = bytes.toString('latin1').split(/\r?\n/)[0] ?? '';
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
}

/** What the server sent before the SSH handshake failed (null: nothing at all). */
export interface GreetingSeen {
  bytes: Buffer | null;
}

/**
 * Turns socket and ssh2 failures into errors that say which thing went wrong: the name does
 * not resolve, nothing listens, no answer, not an SSH server, no route, or a handshake problem.
 * `greeting` is what the other end sent before it failed, when the socket got that far.
 */
export function connectionError(error: Error & { code?: string; level?: string }, target: SshTarget, timeoutMs: number, greeting: GreetingSeen = { bytes: null }): HomemailError {
  const code = typeof error.code === 'string' ? error.code : '';
  const details = { host: target.host, port: target.port };
  const at = { host: target.host, port: target.port };
  const seconds = Math.round(timeoutMs / 1000);
  if (code === 'ECONNREFUSED') {
    return keyedError('ssh-refused', { key: 'connectRefused', params: at }, {
      hint: { key: 'checkPort', params: {} },
      details: { reason: 'refused', ...details },
    });
  }
  if (dnsCodes.has(code)) {
    return keyedError('ssh-name-not-found', { key: code === 'EAI_AGAIN' ? 'nameNoAnswer' : 'nameNotFound', params: { host: target.host } }, {
      hint: { key: 'checkName', params: {} },
      details: { reason: 'dns', ...details },
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return keyedError('ssh-unreachable', { key: 'noRoute', params: at }, {
      hint: { key: 'checkNetwork', params: {} },
      details: { reason: 'unreachable', ...details },
    });
  }
  const sent = greeting.bytes;
  const notSsh = sent !== null && sent.length > 0 && !sent.toString('latin1').split(/\r?\n/).some((line) => line.startsWith('SSH-'));
  if (notSsh) {
    return keyedError('ssh-not-ssh-server', { key: 'notSsh', params: { ...at, banner: firstLine(sent) } }, {
      hint: { key: 'otherService', params: {} },
      details: { reason: 'banner', banner: firstLine(sent), ...details },
    });
  }
  if (error.level === 'client-timeout' || code === 'ETIMEDOUT' || /timed out/i.test(error.message)) {
    const silent = sent === null || sent.length === 0;
    return keyedError('ssh-timeout', { key: silent ? 'silentTimeout' : 'handshakeTimeout', params: { ...at, seconds } }, {
      hint: { key: 'checkFirewall', params: {} },
      details: { reason: 'timeout', ...details },
    });
  }
  if (error.level === 'handshake' && /no matching/i.test(error.message)) {
    const what = /no matching (.+?) (?:algorithm|format)/i.exec(error.message)?.[1] ?? 'algorithm';
    return keyedError('algorithm-mismatch', { key: 'noCommonAlgorithm', params: { ...at, what, detail: error.message } }, {
      hint: { key: 'oldServer', params: { field: 'allow-legacy-algorithms' } },
      details: { reason: 'algorithm', ...details },
    });
  }
  if (/lost before handshake|ECONNRESET|EPIPE/i.test(`${code} ${error.message}`)) {
    const greeted = sent !== null && sent.length > 0;
    return keyedError('ssh-unreachable', { key: greeted ? 'closedInHandshake' : 'closedWithoutGreeting', params: at }, {
      hint: { key: 'serverRefusesAddress', params: {} },
      details: { reason: 'closed', ...details },
    });
  }
  return keyedError('ssh-unreachable', { key: 'connectFailed', params: { ...at, detail: error.message } }, {
    hint: { key: 'checkServer', params: {} },
    details: { reason: 'other', ...details },
  });
}

function keyboardInteractive(username: string, password: string): KeyboardInteractiveAuthMethod {
  return {
    type: 'keyboard-interactive',
    username,
    prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
  };
}

/** Opens the TCP connection itself, so that "refused", "no name" and "no answer" are told apart. */
function openSocket(target: SshTarget, timeoutMs: number, signal: AbortSignal | undefined): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (error: Error | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.removeListener('error', onError);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onError = (error: Error) => done(connectionError(error, target, timeoutMs));
    const onAbort = () => done(keyedError('cancelled', { key: 'connectCancelled', params: { host: target.host } }));
    const timer = setTimeout(() => done(connectionError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), target, timeoutMs)), timeoutMs);
    socket.once('connect', () => done(null));
    socket.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A channel to the target through a jump host's connection (ProxyJump). */
function openThroughJump(jump: SshSession, target: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => {
      if (!error) {
        resolve(stream);
        return;
      }
      if (/refused/i.test(error.message)) {
        reject(keyedError('ssh-refused', { key: 'jumpRefused', params: { host: target.host, port: target.port, jumpHost: jump.target.host } }, { hint: { key: 'checkPort', params: {} }, details: { reason: 'refused', host: target.host, port: target.port, jumpHost: jump.target.host } }));
      } else if (/resolve|name|not known/i.test(error.message)) {
        reject(keyedError('ssh-name-not-found', { key: 'jumpNameNotFound', params: { host: target.host, jumpHost: jump.target.host } }, { hint: { key: 'jumpName', params: {} }, details: { reason: 'dns', host: target.host, port: target.port, jumpHost: jump.target.host } }));
      } else {
        reject(keyedError('ssh-unreachable', { key: 'jumpUnreachable', params: { host: target.host, port: target.port, jumpHost: jump.target.host, detail: error.message } }, { hint: { key: 'jumpReach', params: {} }, details: { reason: 'other', host: target.host, port: target.port, jumpHost: jump.target.host } }));
      }
    });
  });
}

/** Records what the other end sends first, without taking the bytes from ssh2. */
function watchGreeting(stream: Duplex): GreetingSeen {
  const seen: GreetingSeen = { bytes: null };
  const emit = stream.emit.bind(stream);
  stream.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'data' && Buffer.isBuffer(args[0]) && (seen.bytes === null || seen.bytes.length < 512)) {
      seen.bytes = Buffer.concat([seen.bytes ?? Buffer.alloc(0), args[0]]);
    }
    return emit(event, ...args);
  }) as typeof stream.emit;
  return seen;
}

function methodLabel(method: AnyAuthMethod, agent: OfferingAgent | null): string {
  if (method.type === 'agent') return `ssh-agent (${agent?.offered ?? 0} key${agent?.offered === 1 ? '' : 's'})`;
  if (method.type === 'publickey') return `key ${keyFileOf.get(method) ?? ''}`.trim();
  return method.type;
}

const keyFileOf = new WeakMap<AnyAuthMethod, string>();

function parseJumpHop(hop: string): ParsedSshTarget {
  return parseSshTarget(hop.replace(/^ssh:\/\//i, ''), 'ProxyJump');
}

const maxJumps = 8;

/**
 * Logs in to a server the way `ssh` does: the target through ~/.ssh/config (HostName, User,
 * Port, IdentityFile, IdentitiesOnly, ProxyJump); keys from the agent, then the identity
 * files (-i and IdentityFile, else OpenSSH's defaults), then the password; host keys checked
 * against Homemail's known_hosts and the person's own. The returned session runs commands.
 */
export async function connectSsh(options: ConnectOptions, jumpDepth = 0): Promise<SshSession> {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const resolved = await resolveTarget(options.target, { ...options, home });
  const { target } = resolved;
  const timeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
  const trustedFiles = options.extraKnownHostsFiles ?? sshKnownHostsPaths(home);
  // the person's own files are best effort (unreadable: as if absent); Homemail's must be readable
  const readTrusted = (file: string) => readKnownHostsFile(file).catch(() => []);
  const entries = [...(await readKnownHostsFile(options.knownHostsFile)), ...(await Promise.all(trustedFiles.map(readTrusted))).flat()];

  const explicit = options.identityFile === undefined ? undefined : path.resolve(expandHome(options.identityFile, home));
  const identities = await loadIdentities(identityCandidates(explicit, resolved.identityFiles, home), options.passphrase ?? options.password);
  const agentSocket = options.agent === false ? undefined : (options.agent ?? defaultAgent(env));
  const agent = agentSocket === undefined ? null : new OfferingAgent(agentSocket, resolved.identitiesOnly ? identities.publicBlobs : null);
  const methods: AnyAuthMethod[] = [
    ...(agent ? [{ type: 'agent', username: target.user, agent } satisfies AnyAuthMethod] : []),
    ...identities.keys.map(({ file, key }): AnyAuthMethod => {
      const method: AnyAuthMethod = { type: 'publickey', username: target.user, key };
      keyFileOf.set(method, file);
      return method;
    }),
    ...(options.password !== undefined ? [{ type: 'password', username: target.user, password: options.password } satisfies AnyAuthMethod, keyboardInteractive(target.user, options.password)] : []),
  ];

  let jump: SshSession | null = null;
  const hops = options.proxyJump ?? resolved.proxyJump;
  if (hops.length > 0) {
    if (jumpDepth >= maxJumps) throw keyedError('bad-input', { key: 'proxyJumpLoop', params: { host: options.target.host, max: maxJumps } }, { details: { field: 'ProxyJump' } });
    const last = hops[hops.length - 1] ?? '';
    const { identityFile: _identity, password: _password, passphrase: _passphrase, ...shared } = options;
    jump = await connectSsh({ ...shared, ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }), target: parseJumpHop(last), proxyJump: hops.slice(0, -1) }, jumpDepth + 1);
  }
  const closeJump = () => void jump?.close();

  let sock: Duplex;
  try {
    sock = jump ? await openThroughJump(jump, target) : await openSocket(target, timeoutMs, options.signal);
  } catch (error) {
    closeJump();
    throw error;
  }
  const greeting = watchGreeting(sock);

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
        sock.destroy();
        closeJump();
        reject(error);
      } else if (presented) {
        if (jump) client.on('close', closeJump);
        resolve(new SshSession(client, target, presented, options.password));
      }
    };
    const onAbort = () => settle(keyedError('cancelled', { key: 'connectCancelled', params: { host: target.host } }));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => settle(null));
    let remaining = [...methods];
    const tried: AnyAuthMethod[] = [];
    let serverMethods: AuthenticationType[] | null = null;
    const offeredCount = () => tried.filter((method) => method.type !== 'agent').length + (agent?.offered ?? 0);
    // sshd hangs up after MaxAuthTries refused credentials ("Too many authentication failures")
    const refusedAfterOffers = (error: Error) => (offeredCount() > 0 && /authentication/i.test(error.message) ? loginRefusedError(target, tried.map((method) => methodLabel(method, agent)), identities.sentences) : null);

    client.on('error', (error: Error & { code?: string; level?: string }) => settle(refusal ?? refusedAfterOffers(error) ?? connectionError(error, target, timeoutMs, greeting)));
    client.on('close', () => settle(refusal ?? connectionError(new Error('Connection lost before handshake'), target, timeoutMs, greeting)));
    client.connect({
      sock,
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
          refusal = keyedError('host-key-changed', { key: 'hostKeyRevoked', params: { keyType: key.keyType, fingerprint: key.fingerprint, host: target.host, file: check.entry.file } }, {
            hint: { key: 'hostKeyRevoked', params: {} },
            details: { host: target.host, port: target.port, keyType: key.keyType, fingerprint: key.fingerprint, knownHostsFile: check.entry.file },
          });
          return verify(false);
        }
        const policy = options.onUnknownHostKey;
        const accepted = policy === 'accept-new' || (typeof policy === 'object' && policy.acceptFingerprint === key.fingerprint);
        if (!accepted) {
          // with a jump host each host has its own key: a key other than the accepted one is asked about again
          refusal = hostKeyUnknownError(target, key);
          return verify(false);
        }
        addKnownHost(options.knownHostsFile, target.host, target.port, key.algorithm, key.base64).then(
          () => verify(true),
          (error: unknown) => {
            refusal = keyedError('internal', { key: 'knownHostsWrite', params: { file: options.knownHostsFile, reason: (error as NodeJS.ErrnoException).code ?? String(error) } });
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (method: AnyAuthMethod | false) => void) => {
        if (methodsLeft !== null) serverMethods = methodsLeft;
        const allowed = methodsLeft === null ? null : new Set(methodsLeft);
        while (remaining.length > 0) {
          const method = remaining[0];
          remaining = remaining.slice(1);
          if (method && (allowed === null || allowed.has(method.type === 'agent' ? 'publickey' : method.type))) {
            tried.push(method);
            return next(method);
          }
        }
        // nothing was offered yet: ask with "none" only to learn what the server accepts
        if (offeredCount() === 0 && serverMethods === null) return next({ type: 'none', username: target.user });
        refusal = offeredCount() > 0 ? loginRefusedError(target, tried.map((method) => methodLabel(method, agent)), identities.sentences) : noLoginMethodError(target, serverMethods ?? [], methods, identities);
        return next(false);
      },
    } as ConnectConfig);
  });
}

function loginRefusedError(target: SshTarget, tried: readonly string[], notes: readonly ErrorSentence[]): HomemailError {
  return keyedError('auth-failed', { key: 'loginRefused', params: { user: target.user, host: target.host, tried: tried.join(', ') } }, {
    notes,
    hint: { key: 'checkLogin', params: {} },
    details: { reason: 'auth', host: target.host, port: target.port, user: target.user, tried: tried.join(', ') },
  });
}

function noLoginMethodError(target: SshTarget, serverMethods: readonly string[], methods: readonly AnyAuthMethod[], identities: LoadedIdentities): HomemailError {
  const accepts = serverMethods.filter((method) => method !== 'none');
  const needs = identities.needPassphrase[0];
  return keyedError(
    'ssh-no-login-method',
    methods.length === 0
      ? { key: 'noLoginMethod', params: { user: target.user, host: target.host, accepts: accepts.join(', ') || '-' } }
      : { key: 'noLoginMethodOnly', params: { user: target.user, host: target.host, accepts: accepts.join(', ') || '-', methods: methods.map((method) => method.type).join(', ') } },
    {
      notes: identities.sentences,
      hint: needs !== undefined ? { key: 'givePassphrase', params: { file: needs, field: 'passphrase' } } : { key: 'giveLogin', params: { field: 'identity' } },
      details: { reason: 'no-method', host: target.host, port: target.port, serverMethods: accepts.join(','), needsPassphrase: needs ?? null },
    },
  );
}
