// The typed door to the test world (a Debian mail server in a chroot, plus nsd) for the
// host suites. Everything goes through hostctl.sh, spawned with an argument array.
// HOMEMAIL_HOST_PLATFORM chooses the Debian release the host runs (default bookworm).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The server configurations the host can start with (see test/host/README.md). */
export type Variant = 'fresh' | 'single-key' | 'other-filters' | 'no-opendkim';

/** Every variant, in the order the world suite visits them. */
export const VARIANTS: readonly Variant[] = ['fresh', 'single-key', 'other-filters', 'no-opendkim'];

/** The Debian releases the test host can run, each from its own cached base. */
export type Platform = 'bookworm' | 'trixie';

/** Every platform, in the order CI runs them. */
export const PLATFORMS: readonly Platform[] = ['bookworm', 'trixie'];

/** The platform this run's host uses: HOMEMAIL_HOST_PLATFORM, else bookworm. */
export function hostPlatform(): Platform {
  return asPlatform(process.env['HOMEMAIL_HOST_PLATFORM'] ?? 'bookworm');
}

/** Zones the test DNS server is authoritative for. */
export type Zone = 'example.test' | 'example.org' | '0.0.127.in-addr.arpa' | 'zen.spamhaus.org';

/** Outcome of a command run inside the host. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One account of the host and the client key authorized for it. */
export interface HostUser {
  name: string;
  /** OpenSSH-format ed25519 private key without passphrase. */
  keyPath: string;
}

/** The host's accounts: admin (sudo asks for the password), deploy (NOPASSWD), root (key only over SSH). */
export interface HostUsers {
  admin: HostUser & { password: string; pemKeyPath: string; pemPassphrase: string };
  deploy: HostUser;
  root: HostUser & { password: string };
}

/** An sshd host key: its type, `SHA256:…` fingerprint (as ssh-keygen -lf prints) and public line. */
export interface HostKey {
  type: string;
  fingerprint: string;
  publicKey: string;
}

/** The recorded state of one path inside the host. */
export interface FileState {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: string;
  uid: number;
  gid: number;
  mtime: string;
  sha256: string | null;
}

/** Path inside the host → its state. */
export type Snapshot = Readonly<Record<string, FileState>>;

/** A message for submitSmtp/sendmail; extra headers are written before Subject. */
export interface MailInput {
  from: string;
  to: string;
  subject: string;
  body: string;
  headers?: Readonly<Record<string, string>>;
}

/** What Postfix answered at the end of DATA (queueId from "queued as …"). */
export interface SmtpResult {
  reply: string;
  queueId: string | null;
}

/** A running test host. */
export interface TestHost {
  readonly platform: Platform;
  readonly variant: Variant;
  readonly sshHost: string;
  readonly sshPort: number;
  /** The server's address as published in DNS (A of mail.example.test, PTR). */
  readonly address: string;
  readonly domain: 'example.test';
  readonly hostname: string;
  readonly dns: { readonly address: string; readonly port: number };
  readonly users: HostUsers;
  /** known_hosts file with the current host keys, as `[127.0.0.1]:PORT type key`. */
  readonly knownHostsPath: string;
  /** The chroot's directory on this machine (read-only use: prefer runAsRoot). */
  readonly rootDir: string;
  hostKeys(): Promise<HostKey[]>;
  hostKeyFingerprints(): Promise<string[]>;
  runAsRoot(cmd: string, opts?: { stdin?: string; timeoutMs?: number }): Promise<CommandResult>;
  readFile(file: string): Promise<Buffer>;
  snapshot(paths?: readonly string[]): Promise<Snapshot>;
  diffSnapshots(a: Snapshot, b: Snapshot): string[];
  submitSmtp(msg: MailInput): Promise<SmtpResult>;
  sendmail(msg: MailInput): Promise<void>;
  newestMessage(user: string, opts?: { containing?: string; timeoutMs?: number }): Promise<string>;
  setRecords(zone: Zone, records: readonly string[]): Promise<void>;
  rotateHostKeys(): Promise<void>;
  /** Starts the ISP relay stand-in (hostctl.sh relay-up): submission with STARTTLS and SASL on 127.0.0.2:587. */
  startRelay(): Promise<RelayServer>;
  /** A test CA trusted inside the host and smtpd certificates made with it (hostctl.sh test-certs); returns their directory. */
  makeTestCertificates(): Promise<string>;
}

/** The ISP relay stand-in's facts (hostctl.sh relay-up; its DNS records are the test's to set). */
export interface RelayServer {
  address: string;
  name: string;
  port: number;
  user: string;
  password: string;
}

/** Configuration files a snapshot covers by default. */
export const CONFIG_PATHS: readonly string[] = [
  '/etc/postfix',
  '/etc/opendkim.conf',
  '/etc/opendkim',
  '/etc/dkimkeys',
  '/etc/default/opendkim',
  '/etc/aliases',
  '/etc/mailname',
];

/** Absolute path of hostctl.sh. */
export const HOSTCTL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hostctl.sh');

const BUILD_TIMEOUT_MS = 20 * 60_000;
const UP_TIMEOUT_MS = 3 * 60_000;
const STEP_TIMEOUT_MS = 60_000;

interface HostctlOptions {
  stdin?: string;
  timeoutMs?: number;
}

interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// Runs hostctl.sh with an argument array; never through a shell string.
function hostctlRaw(args: readonly string[], opts: HostctlOptions = {}): Promise<RawResult> {
  const timeoutMs = opts.timeoutMs ?? STEP_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [HOSTCTL, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOMEMAIL_HOST_STEP_TIMEOUT: String(Math.ceil(timeoutMs / 1000)) },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hostctl.sh ${args.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs + 5_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

async function hostctl(args: readonly string[], opts: HostctlOptions = {}): Promise<string> {
  const r = await hostctlRaw(args, opts);
  if (r.code !== 0) throw new Error(`hostctl.sh ${args[0] ?? ''} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout.toString('utf8');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => d !== '' && isExecutable(path.join(d, cmd)));
}

/** Whether this machine can run the host: Linux, root, debootstrap, nsd, unshare, ssh-keygen. */
export function hostAvailability(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root (chroot, mounts)' };
  const missing = ['debootstrap', 'nsd', 'nsd-control', 'dig', 'unshare', 'ssh-keygen'].filter((c) => !onPath(c));
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')} (run test/host/install-deps.sh)` };
  return { ok: true };
}

/** True when HOMEMAIL_REQUIRE_HOST=1: a host that cannot start is then a failure, not a skip. */
export function hostRequired(): boolean {
  return process.env['HOMEMAIL_REQUIRE_HOST'] === '1';
}

/** Why the host suites are skipped, or null when they run (never skipped when required). */
export function hostSkipReason(): string | null {
  const a = hostAvailability();
  if (a.ok || hostRequired()) return null;
  return a.reason;
}

/** Builds the cached debootstrap base unless it is current; says whether it was built. */
export async function buildBase(): Promise<{ built: boolean }> {
  const out = await hostctl(['build-base', '--platform', hostPlatform()], { timeoutMs: BUILD_TIMEOUT_MS });
  return { built: out.includes('base-built') };
}

/** Stops the host and the DNS server and removes the instance (nothing left running or mounted). */
export async function hostDown(): Promise<void> {
  await hostctl(['down'], { timeoutMs: UP_TIMEOUT_MS });
}

/** Starts a fresh copy of the host with the given variant (stopping any running one). */
export async function resetHost(variant: Variant): Promise<TestHost> {
  await hostctl(['reset', '--platform', hostPlatform(), '--variant', variant], { timeoutMs: UP_TIMEOUT_MS });
  return currentHost();
}

/** The host that is running now (started by globalSetup or resetHost). */
export async function currentHost(): Promise<TestHost> {
  const status = await hostctlRaw(['status']);
  if (status.code !== 0) throw new Error('the test host is not up (run: npm run host -- up)');
  const env = parseEnv(await hostctl(['env']));
  return makeHost(env);
}

type HostEnv = Readonly<Record<string, string>>;

function parseEnv(text: string): HostEnv {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

function envValue(env: HostEnv, key: string): string {
  const v = env[key];
  if (v === undefined || v === '') throw new Error(`hostctl.sh env: ${key} missing`);
  return v;
}

function asPlatform(p: string): Platform {
  const found = PLATFORMS.find((x) => x === p);
  if (found === undefined) throw new Error(`unknown platform '${p}' (platforms: ${PLATFORMS.join(', ')})`);
  return found;
}

function asVariant(v: string): Variant {
  const found = VARIANTS.find((x) => x === v);
  if (found === undefined) throw new Error(`unknown variant ${v}`);
  return found;
}

function makeHost(env: HostEnv): TestHost {
  const keys = envValue(env, 'KEYS');
  const address = envValue(env, 'SERVER_ADDR');
  const sshPort = Number(envValue(env, 'SSH_PORT'));
  const run = (cmd: string, opts?: { stdin?: string; timeoutMs?: number }): Promise<CommandResult> => runAsRoot(cmd, opts);
  return {
    platform: asPlatform(envValue(env, 'PLATFORM')),
    variant: asVariant(envValue(env, 'VARIANT')),
    sshHost: envValue(env, 'SSH_HOST'),
    sshPort,
    address,
    domain: 'example.test',
    hostname: envValue(env, 'HOSTNAME'),
    dns: { address: envValue(env, 'DNS_ADDR'), port: Number(envValue(env, 'DNS_PORT')) },
    users: {
      admin: {
        name: 'admin',
        keyPath: path.join(keys, 'admin_ed25519'),
        password: envValue(env, 'ADMIN_PASSWORD'),
        pemKeyPath: path.join(keys, 'admin_rsa_pem'),
        pemPassphrase: envValue(env, 'PEM_PASSPHRASE'),
      },
      deploy: { name: 'deploy', keyPath: path.join(keys, 'deploy_ed25519') },
      root: { name: 'root', keyPath: path.join(keys, 'root_ed25519'), password: envValue(env, 'ROOT_PASSWORD') },
    },
    knownHostsPath: envValue(env, 'KNOWN_HOSTS'),
    rootDir: envValue(env, 'ROOT'),
    hostKeys: () => hostKeys(run),
    hostKeyFingerprints: async () => (await hostKeys(run)).map((k) => k.fingerprint),
    runAsRoot: run,
    readFile,
    snapshot: (paths) => snapshot(paths ?? CONFIG_PATHS),
    diffSnapshots,
    submitSmtp: (msg) => submitSmtp(address, 25, msg),
    sendmail: async (msg) => {
      const r = await run('/usr/sbin/sendmail -t -i', { stdin: formatMessage(msg) });
      if (r.code !== 0) throw new Error(`sendmail failed (${r.code}): ${r.stderr}`);
    },
    newestMessage: (user, opts) => newestMessage(user, opts ?? {}),
    setRecords: async (zone, records) => {
      await hostctl(['dns-set', zone], { stdin: records.join('\n') + '\n' });
    },
    rotateHostKeys: async () => {
      await hostctl(['rotate-host-keys'], { timeoutMs: UP_TIMEOUT_MS });
    },
    startRelay: async () => {
      await hostctl(['relay-up'], { timeoutMs: UP_TIMEOUT_MS });
      const env = new Map((await hostctl(['env'])).split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
      return { address: env.get('RELAY_ADDR') ?? '', name: env.get('RELAY_NAME') ?? '', port: 587, user: env.get('RELAY_USER') ?? '', password: env.get('RELAY_PASSWORD') ?? '' };
    },
    makeTestCertificates: async () => {
      await hostctl(['test-certs'], { timeoutMs: UP_TIMEOUT_MS });
      return '/etc/ssl/homemail-test';
    },
  };
}

/** Runs `sh -c cmd` as root inside the host (outside SSH), with a time limit. */
async function runAsRoot(cmd: string, opts: { stdin?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const r = await hostctlRaw(['exec', '--', '/bin/sh', '-c', cmd], opts);
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}

/** The bytes of a file inside the host (paths resolve inside the chroot). */
async function readFile(file: string): Promise<Buffer> {
  const r = await hostctlRaw(['exec', '--', 'cat', '--', file]);
  if (r.code !== 0) throw new Error(`cannot read ${file}: ${r.stderr.trim()}`);
  return r.stdout;
}

function sshFingerprint(base64Key: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

async function hostKeys(run: TestHost['runAsRoot']): Promise<HostKey[]> {
  const r = await run('cat /etc/ssh/ssh_host_*_key.pub');
  if (r.code !== 0) throw new Error(`cannot read host keys: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [type = '', key = ''] = line.split(' ');
      return { type, fingerprint: sshFingerprint(key), publicKey: `${type} ${key}` };
    });
}

// --- snapshots

const SNAPSHOT_SCRIPT = `
for p in "$@"; do
  [ -e "$p" ] || [ -L "$p" ] || continue
  find "$p" -xdev -printf 'E\\t%y\\t%m\\t%U\\t%G\\t%T@\\t%p\\n'
  find "$p" -xdev -type f -exec sha256sum -- {} +
done`;

function kindOf(y: string): FileState['kind'] {
  if (y === 'f') return 'file';
  if (y === 'd') return 'dir';
  if (y === 'l') return 'symlink';
  return 'other';
}

async function snapshot(paths: readonly string[]): Promise<Snapshot> {
  const r = await hostctlRaw(['exec', '--', '/bin/sh', '-c', SNAPSHOT_SCRIPT, 'snapshot', ...paths]);
  if (r.code !== 0) throw new Error(`snapshot failed: ${r.stderr}`);
  const states: Record<string, FileState> = {};
  const hashes = new Map<string, string>();
  for (const line of r.stdout.toString('utf8').split('\n')) {
    if (line.startsWith('E\t')) {
      const [, y = '', mode = '', uid = '', gid = '', mtime = '', ...rest] = line.split('\t');
      states[rest.join('\t')] = { kind: kindOf(y), mode, uid: Number(uid), gid: Number(gid), mtime, sha256: null };
    } else {
      const m = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined) hashes.set(m[2], m[1]);
    }
  }
  for (const [p, h] of hashes) {
    const s = states[p];
    if (s !== undefined) s.sha256 = h;
  }
  return states;
}

/** Differences between two snapshots, one line per path: `added`, `removed` or `changed (fields)`. */
export function diffSnapshots(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  const fields: readonly (keyof FileState)[] = ['kind', 'sha256', 'mode', 'uid', 'gid', 'mtime'];
  for (const p of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[p];
    const y = b[p];
    if (x === undefined) out.push(`added ${p}`);
    else if (y === undefined) out.push(`removed ${p}`);
    else {
      const changed = fields.filter((f) => x[f] !== y[f]);
      if (changed.length > 0) out.push(`changed ${p} (${changed.join(', ')})`);
    }
  }
  return out;
}

// --- mail

/** An RFC 5322 message (CRLF line ends) built from a MailInput. */
export function formatMessage(msg: MailInput, eol = '\n'): string {
  const id = `${Date.now()}.${Math.random().toString(36).slice(2)}@homemail-test`;
  const headers: string[] = [
    `From: ${msg.from}`,
    `To: ${msg.to}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}>`,
    ...Object.entries(msg.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    `Subject: ${msg.subject}`,
  ];
  const body = msg.body.replace(/\r?\n/g, eol);
  return headers.join(eol) + eol + eol + body + (body.endsWith(eol) ? '' : eol);
}

// Reads SMTP replies (multi-line ones joined by \n) from a socket, one at a time.
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private readonly replies: string[] = [];
  private failure: Error | null = null;
  private notify: (() => void) | null = null;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.push(chunk.toString('latin1')));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('SMTP connection closed')));
  }

  private push(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      this.lines.push(line);
      if (!/^\d{3}-/.test(line)) {
        this.replies.push(this.lines.join('\n'));
        this.lines = [];
      }
    }
    this.notify?.();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.notify?.();
  }

  /** The next whole reply; rejects on timeout or a closed connection. */
  async next(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.replies.shift();
      if (reply !== undefined) return reply;
      if (this.failure !== null) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('SMTP reply timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.notify = () => {
          clearTimeout(timer);
          this.notify = null;
          resolve();
        };
      });
    }
  }
}

async function expectReply(reader: ReplyReader, code: string, step: string): Promise<string> {
  const reply = await reader.next(30_000);
  if (!reply.startsWith(code)) throw new Error(`SMTP ${step}: expected ${code}, got: ${reply}`);
  return reply;
}

/** Submits a message by SMTP (plain, no TLS) to host:port, as a tiny client does. */
export async function submitSmtp(host: string, port: number, msg: MailInput): Promise<SmtpResult> {
  const socket = net.connect(port, host);
  const reader = new ReplyReader(socket);
  const send = (line: string): void => void socket.write(line + '\r\n', 'latin1');
  try {
    await expectReply(reader, '220', 'greeting');
    send('EHLO client.example.test');
    await expectReply(reader, '250', 'EHLO');
    send(`MAIL FROM:<${msg.from}>`);
    await expectReply(reader, '250', 'MAIL FROM');
    send(`RCPT TO:<${msg.to}>`);
    await expectReply(reader, '250', 'RCPT TO');
    send('DATA');
    await expectReply(reader, '354', 'DATA');
    const data = formatMessage(msg, '\r\n').replace(/^\./gm, '..');
    socket.write(data + '.\r\n', 'utf8');
    const reply = await expectReply(reader, '250', 'end of data');
    send('QUIT');
    await reader.next(5_000).catch(() => '');
    return { reply, queueId: /queued as ([0-9A-Za-z]+)/.exec(reply)?.[1] ?? null };
  } finally {
    socket.destroy();
  }
}

/** Messages of an mbox, without their "From " separator lines. */
export function splitMbox(mbox: string): string[] {
  return mbox
    .split(/^From .*\n/m)
    .slice(1)
    .map((m) => m.replace(/\n$/, ''));
}

async function newestMessage(user: string, opts: { containing?: string; timeoutMs?: number }): Promise<string> {
  if (!/^[a-z_][a-z0-9_-]*$/.test(user)) throw new Error(`bad user name ${user}`);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const r = await hostctlRaw(['exec', '--', 'cat', '--', `/var/mail/${user}`]);
    const messages = r.code === 0 ? splitMbox(r.stdout.toString('utf8')) : [];
    const wanted = opts.containing;
    const matching = wanted === undefined ? messages : messages.filter((m) => m.includes(wanted));
    const newest = matching.at(-1);
    if (newest !== undefined) return newest;
    if (Date.now() > deadline) {
      const log = await runAsRoot('tail -n 20 /var/log/mail.log');
      throw new Error(`no message${wanted === undefined ? '' : ` containing "${wanted}"`} for ${user}; mail.log:\n${log.stdout}`);
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}
