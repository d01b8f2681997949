// The SSH layer against the real test host: host-key consent and refusal, every login the
// host offers, sudo with and without a password, hostile arguments, timeouts, round trips.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/cli.js';
import { connectSsh, type ConnectOptions } from '../../main/services/ssh/connect.js';
import { readRootFile, writeRootFile } from '../../main/services/ssh/files.js';
import { commandLine } from '../../main/services/ssh/quote.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const hostile = ['', "it's", '"q"', 'a;id', '$(id)', '`id`', '${HOME}', 'two\nlines', '*', '-n', '\\', '日本語', "'; touch /tmp/pwned; '"];

describe.skipIf(skip !== null)(suite('SSH layer against the test host'), () => {
  let host: TestHost;
  let dir: string;
  let trusted: string;
  const open: SshSession[] = [];

  const connect = async (user: 'admin' | 'deploy' | 'root', extra: Partial<ConnectOptions> = {}): Promise<SshSession> => {
    const session = await connectSsh({
      target: { user, host: host.sshHost, port: host.sshPort },
      knownHostsFile: trusted,
      onUnknownHostKey: 'refuse',
      agent: false,
      useSshConfig: false,
      ...extra,
    });
    open.push(session);
    return session;
  };
  const newKnownHosts = (name: string): string => path.join(dir, name);

  beforeAll(async () => {
    host = await resetHost('fresh');
    dir = mkdtempSync(path.join(tmpdir(), 'hm-ssh-'));
    trusted = path.join(dir, 'trusted_known_hosts');
    copyFileSync(host.knownHostsPath, trusted);
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
  });

  it('refuses an unknown host key without consent, before logging in, showing the ssh-keygen fingerprint', async () => {
    const file = newKnownHosts('empty');
    const error = await connect('deploy', { knownHostsFile: file, identityFile: host.users.deploy.keyPath }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'host-key-unknown' });
    const fingerprints = await host.hostKeyFingerprints();
    const details = (error as { details: { fingerprint: string; keyType: string } }).details;
    expect(fingerprints).toContain(details.fingerprint);
    expect((error as Error).message).toContain(`${details.keyType} key fingerprint is ${details.fingerprint}`);
    expect(() => statSync(file)).toThrow();
  });

  it('records a key accepted by fingerprint (the wizard) or accept-new (the CLI), then knows it', async () => {
    const file = newKnownHosts('consent');
    const first = await connect('deploy', { knownHostsFile: file, identityFile: host.users.deploy.keyPath }).catch((e: { details: { fingerprint: string } }) => e);
    const fingerprint = (first as { details: { fingerprint: string } }).details.fingerprint;
    await expect(connect('deploy', { knownHostsFile: file, identityFile: host.users.deploy.keyPath, onUnknownHostKey: { acceptFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).rejects.toMatchObject({ code: 'host-key-unknown' });
    const session = await connect('deploy', { knownHostsFile: file, identityFile: host.users.deploy.keyPath, onUnknownHostKey: { acceptFingerprint: fingerprint } });
    expect(session.hostKey.fingerprint).toBe(fingerprint);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^\\[${host.sshHost.replaceAll('.', '\\.')}\\]:${host.sshPort} `));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await connect('deploy', { knownHostsFile: file, identityFile: host.users.deploy.keyPath });
    expect((await again.exec('echo ok')).stdout).toBe('ok\n');
    const cli = newKnownHosts('cli');
    await connect('deploy', { knownHostsFile: cli, identityFile: host.users.deploy.keyPath, onUnknownHostKey: 'accept-new' });
    await connect('deploy', { knownHostsFile: cli, identityFile: host.users.deploy.keyPath });
  });

  it('logs in with an OpenSSH key, a passphrase-protected PEM key, and a password', async () => {
    const byKey = await connect('admin', { identityFile: host.users.admin.keyPath });
    expect((await byKey.exec('id -un')).stdout.trim()).toBe('admin');
    const byPem = await connect('admin', { identityFile: host.users.admin.pemKeyPath, passphrase: host.users.admin.pemPassphrase });
    expect((await byPem.exec('id -un')).stdout.trim()).toBe('admin');
    const byPassword = await connect('admin', { password: host.users.admin.password });
    expect((await byPassword.exec('id -un')).stdout.trim()).toBe('admin');
  });

  it('refuses a wrong passphrase, a wrong password and root by password (auth-failed, exit 3)', async () => {
    await expect(connect('admin', { identityFile: host.users.admin.pemKeyPath, passphrase: 'wrong' })).rejects.toMatchObject({ code: 'auth-failed' });
    await expect(connect('admin', { password: 'wrong password' })).rejects.toMatchObject({ code: 'auth-failed' });
    await expect(connect('root', { password: host.users.root.password })).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('runs as root: root login directly, deploy by passwordless sudo, admin with the password on stdin', async () => {
    const root = await connect('root', { identityFile: host.users.root.keyPath });
    expect(root.isRoot).toBe(true);
    expect((await root.exec('id -u', { sudo: true })).stdout.trim()).toBe('0');
    const deploy = await connect('deploy', { identityFile: host.users.deploy.keyPath });
    const d = await deploy.exec('id -u; cat', { sudo: true, stdin: 'payload\n' });
    expect([d.stdout, deploy.privilege]).toEqual(['0\npayload\n', 'sudo-nopasswd']);
    const admin = await connect('admin', { identityFile: host.users.admin.keyPath, password: host.users.admin.password });
    const a = await admin.exec('id -u; cat', { sudo: true, stdin: 'payload\n' });
    expect([a.code, a.stdout, admin.privilege]).toEqual([0, '0\npayload\n', 'sudo-password']);
    // the password never reaches the command, its argv or its environment
    const env = await admin.exec('cat /proc/self/cmdline /proc/$$/environ | tr "\\0" " "; cat', { sudo: true, stdin: '' });
    expect(env.stdout).not.toContain(host.users.admin.password);
  });

  it('reports a wrong sudo password as sudo-failed quickly, and a missing one likewise', async () => {
    const wrong = await connect('admin', { identityFile: host.users.admin.keyPath, password: 'not the password' });
    const started = Date.now();
    await expect(wrong.exec('id -u', { sudo: true, timeoutMs: 20_000 })).rejects.toMatchObject({ code: 'sudo-failed' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const none = await connect('admin', { identityFile: host.users.admin.keyPath });
    await expect(none.exec('id -u', { sudo: true })).rejects.toMatchObject({ code: 'sudo-failed', message: expect.stringContaining('needs a password') });
  });

  it('passes hostile arguments through the quoting function unchanged, with and without sudo', async () => {
    const admin = await connect('admin', { identityFile: host.users.admin.keyPath, password: host.users.admin.password });
    const line = commandLine(['printf', '%s\\0', 'begin', ...hostile]);
    for (const sudo of [false, true]) {
      const result = await admin.exec(line, { sudo });
      expect(result.stdout.split('\0').slice(1, -1)).toEqual(hostile);
    }
    expect((await host.runAsRoot('test -e /tmp/pwned && echo yes || echo no')).stdout.trim()).toBe('no');
  });

  it('stops a command at its timeout or on cancel, and the connection stays usable', async () => {
    const deploy = await connect('deploy', { identityFile: host.users.deploy.keyPath });
    const started = Date.now();
    await expect(deploy.exec('sleep 30', { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ssh-timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expect(deploy.exec('sleep 30', { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect((await deploy.exec('echo still')).stdout).toBe('still\n');
    expect(deploy.roundTrips).toBe(3);
  });

  it('streams an output too large to hold: nothing collected, and while the reader is busy the server waits (SSH flow control)', async () => {
    const deploy = await connect('deploy', { identityFile: host.users.deploy.keyPath });
    await host.runAsRoot('rm -f /tmp/hm-stream-done');
    // About 15 MB: more than the SSH window and the socket buffers hold together.
    const script = 'seq 1 2000000; touch /tmp/hm-stream-done';
    let pending = '';
    let lines = 0;
    let last = '';
    let inOrder = true;
    let doneWhileBusy: string | null = null;
    const result = await deploy.execStream(commandLine(['sh', '-c', script]), {
      timeoutMs: 60_000,
      onStdout: (text) => {
        const all = pending + text;
        const cut = all.lastIndexOf('\n') + 1;
        for (const line of all.slice(0, cut).split('\n').slice(0, -1)) {
          lines += 1;
          if (line !== String(lines)) inOrder = false;
          last = line;
        }
        pending = all.slice(cut);
        if (doneWhileBusy !== null) return undefined;
        // The first piece: stay busy for a while and look whether the server got to the end.
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            void host.runAsRoot('test -e /tmp/hm-stream-done && echo done || echo waiting').then((r) => {
              doneWhileBusy = r.stdout.trim();
              resolve();
            });
          }, 1500),
        );
      },
    });
    expect(result.code).toBe(0);
    expect(result).not.toHaveProperty('stdout');
    expect(doneWhileBusy).toBe('waiting');
    expect({ lines, last, inOrder }).toEqual({ lines: 2_000_000, last: '2000000', inOrder: true });
    expect((await host.runAsRoot('test -e /tmp/hm-stream-done && echo done')).stdout.trim()).toBe('done');
  });

  it('says which: connection refused, DNS failure, or no answer — within the connect timeout', async () => {
    const base = { knownHostsFile: trusted, onUnknownHostKey: 'refuse' as const, agent: false as const, useSshConfig: false, password: 'x' };
    await expect(connectSsh({ ...base, target: { user: 'a', host: '127.0.0.1', port: 1 } })).rejects.toMatchObject({ code: 'ssh-refused', details: { reason: 'refused' } });
    await expect(connectSsh({ ...base, target: { user: 'a', host: 'no-such-host.invalid', port: 22 } })).rejects.toMatchObject({ code: 'ssh-name-not-found', details: { reason: 'dns' } });
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    await expect(connectSsh({ ...base, target: { user: 'a', host: '127.0.0.1', port }, connectTimeoutMs: 1500 })).rejects.toMatchObject({ code: 'ssh-timeout' });
    expect(Date.now() - started).toBeLessThan(4000);
    silent.close();
  });

  it('writes root-owned files atomically, keeping owner and mode, and reads them back by checksum', async () => {
    await host.runAsRoot('printf old > /etc/homemail-test.conf && chown root:opendkim /etc/homemail-test.conf && chmod 640 /etc/homemail-test.conf');
    const admin = await connect('admin', { identityFile: host.users.admin.keyPath, password: host.users.admin.password });
    const text = "new 'content' $(id)\n日本語\n";
    await writeRootFile(admin, '/etc/homemail-test.conf', text);
    expect((await host.runAsRoot('stat -c "%U:%G %a" /etc/homemail-test.conf')).stdout.trim()).toBe('root:opendkim 640');
    expect((await host.readFile('/etc/homemail-test.conf')).toString('utf8')).toBe(text);
    expect((await readRootFile(admin, '/etc/homemail-test.conf')).content?.toString('utf8')).toBe(text);
    expect((await readRootFile(admin, '/etc/does-not-exist')).content).toBeNull();
    expect((await host.runAsRoot('ls -a /etc | grep -c homemail || true')).stdout.trim()).toBe('1');
  });

  it('CLI: bad targets exit 2 before connecting; no consent exits 3; changed host keys exit 3 even with --accept-new-host-key', async () => {
    const run = (args: string[], stdin = '') => runCliCaptured(args, { stdin });
    for (const bad of ['admin@host;id', '@127.0.0.1', 'admin@127.0.0.1:0', 'admin@127.0.0.1:70000', 'admin@127.0.0.1 :22']) {
      expect((await run(['inspect', '--ssh', bad, '--json'])).code).toBe(2);
    }
    const kh = newKnownHosts('cli-rotate');
    const target = `admin@${host.sshHost}:${host.sshPort}`;
    const args = ['inspect', '--ssh', target, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', kh, '--json'];
    const noConsent = await run(args, `${host.users.admin.password}\n`);
    expect(noConsent.code).toBe(3);
    expect(JSON.parse(noConsent.out)).toMatchObject({ ok: false, error: { code: 'host-key-unknown' } });
    const ok = await run([...args, '--accept-new-host-key'], `${host.users.admin.password}\n`);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, roundTrips: 1, inspection: { privilege: 'sudo-password' } });

    await host.rotateHostKeys();
    const marker = `/tmp/homemail-should-not-exist-${Date.now()}`;
    const changed = await run([...args, '--accept-new-host-key'], `${host.users.admin.password}\n`);
    expect(changed.code).toBe(3);
    expect(changed.err).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(JSON.parse(changed.out)).toMatchObject({ error: { code: 'host-key-changed' } });
    await expect(connect('admin', { knownHostsFile: kh, onUnknownHostKey: 'accept-new', identityFile: host.users.admin.keyPath })).rejects.toMatchObject({ code: 'host-key-changed' });
    expect((await host.runAsRoot(`test -e ${marker} && echo yes || echo no`)).stdout.trim()).toBe('no');
    writeFileSync(path.join(dir, 'done'), '');
  });
});

// The person's own SSH setup, as `ssh` reads it: a HOME of its own per test (keys, config,
// known_hosts), no agent. Keys are the host's per-instance test keys, copied in.
describe.skipIf(skip !== null)(suite('SSH the way ssh does it: ~/.ssh keys, config aliases, ProxyJump, known_hosts'), () => {
  let host: TestHost;
  let work: string;
  const open: SshSession[] = [];
  const jumpPort = 2223;

  const makeHome = (files: Record<string, string | { copy: string }>): string => {
    const home = mkdtempSync(path.join(work, 'home-'));
    mkdirSync(path.join(home, '.ssh'), { mode: 0o700 });
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(home, '.ssh', name);
      if (typeof content === 'string') writeFileSync(file, content, { mode: 0o600 });
      else copyFileSync(content.copy, file);
      chmodSync(file, 0o600);
    }
    return home;
  };
  const connectAs = async (home: string, target: ConnectOptions['target'], extra: Partial<ConnectOptions> = {}): Promise<SshSession> => {
    const session = await connectSsh({ target, home, knownHostsFile: path.join(home, 'homemail_known_hosts'), onUnknownHostKey: 'refuse', agent: false, ...extra });
    open.push(session);
    return session;
  };
  const hostKnownHosts = (port: number): string =>
    readFileSync(host.knownHostsPath, 'utf8').replaceAll(`[${host.sshHost}]:${host.sshPort} `, port === 22 ? `${host.sshHost} ` : `[${host.sshHost}]:${port} `);

  beforeAll(async () => {
    host = await resetHost('fresh');
    work = mkdtempSync(path.join(tmpdir(), 'hm-ssh-home-'));
    // a second sshd in the chroot (same host keys, its own port) to be the jump host
    const started = await host.runAsRoot(`/usr/sbin/sshd -p ${jumpPort} -o PidFile=/run/sshd-jump.pid -o LogLevel=VERBOSE -E /var/log/sshd-jump.log`);
    expect(started.code).toBe(0);
    for (let i = 0; i < 50; i += 1) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect(jumpPort, host.sshHost, () => resolve(true)).on('error', () => resolve(false));
        socket.on('connect', () => socket.destroy());
      });
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await host.runAsRoot('test -s /run/sshd-jump.pid && kill "$(cat /run/sshd-jump.pid)" || true');
  });

  it('logs in with nothing but ~/.ssh/id_ed25519 (no agent, no config, no -i), and the CLI does too', async () => {
    const home = makeHome({ id_ed25519: { copy: host.users.deploy.keyPath }, known_hosts: hostKnownHosts(host.sshPort) });
    const session = await connectAs(home, { user: 'deploy', host: host.sshHost, port: host.sshPort });
    expect((await session.exec('id -un')).stdout.trim()).toBe('deploy');
    const cli = await runCliCaptured(['inspect', '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '--known-hosts', path.join(home, 'cli_known_hosts'), '--json'], { env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' } });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.out)).toMatchObject({ ok: true, inspection: { privilege: 'sudo-nopasswd' } });
  });

  it('expands ~ in -i, and names the resolved path when the key is not there', async () => {
    const home = makeHome({ mine: { copy: host.users.deploy.keyPath }, known_hosts: hostKnownHosts(host.sshPort) });
    const session = await connectAs(home, { user: 'deploy', host: host.sshHost, port: host.sshPort }, { identityFile: '~/.ssh/mine' });
    expect(session.target.user).toBe('deploy');
    const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: '' };
    const missing = await runCliCaptured(['inspect', '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', '~/.ssh/nothere', '--known-hosts', path.join(home, 'k'), '--json'], { env });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'bad-input', message: expect.stringContaining(path.join(home, '.ssh', 'nothere')) } });
  });

  it('skips a passphrase-protected default key with a note and logs in by password; asks for the passphrase only when nothing else works', async () => {
    const home = makeHome({ known_hosts: hostKnownHosts(host.sshPort) });
    const key = path.join(home, '.ssh', 'id_ed25519');
    copyFileSync(host.users.admin.keyPath, key);
    execFileSync('ssh-keygen', ['-q', '-p', '-f', key, '-P', '', '-N', 'key phrase']);
    const target = { user: 'admin', host: host.sshHost, port: host.sshPort };
    const byPassword = await connectAs(home, target, { password: host.users.admin.password });
    expect((await byPassword.exec('id -un')).stdout.trim()).toBe('admin');
    const stuck = await connectAs(home, target).catch((e: unknown) => e);
    expect(stuck).toMatchObject({ code: 'ssh-no-login-method', details: { needsPassphrase: key, serverMethods: expect.stringContaining('publickey') } });
    expect((stuck as Error).message).toContain(`${key} is protected by a passphrase`);
    const byKey = await connectAs(home, target, { passphrase: 'key phrase' });
    expect((await byKey.exec('id -un')).stdout.trim()).toBe('admin');
  });

  it('says "no usable login method" when nothing was offered, and "login refused" only after a credential was refused', async () => {
    const empty = makeHome({ known_hosts: hostKnownHosts(host.sshPort) });
    const target = { user: 'admin', host: host.sshHost, port: host.sshPort };
    const none = await connectAs(empty, target).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'ssh-no-login-method', details: { needsPassphrase: null } });
    expect((none as Error).message).toContain('Nothing was offered to the server');
    const wrongKey = makeHome({ id_ed25519: { copy: host.users.deploy.keyPath }, known_hosts: hostKnownHosts(host.sshPort) });
    const refused = await connectAs(wrongKey, target).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'auth-failed', details: { tried: `key ${path.join(wrongKey, '.ssh', 'id_ed25519')}` } });
  });

  it('trusts a key already in ~/.ssh/known_hosts (hashed entry) without consent, and still stops at a changed one', async () => {
    const home = makeHome({ id_ed25519: { copy: host.users.deploy.keyPath }, known_hosts: hostKnownHosts(host.sshPort) });
    execFileSync('ssh-keygen', ['-H', '-f', path.join(home, '.ssh', 'known_hosts')], { stdio: 'ignore' });
    expect(readFileSync(path.join(home, '.ssh', 'known_hosts'), 'utf8')).toMatch(/^\|1\|/);
    const own = path.join(home, 'homemail_known_hosts');
    const session = await connectAs(home, { user: 'deploy', host: host.sshHost, port: host.sshPort });
    expect((await session.exec('echo ok')).stdout).toBe('ok\n');
    expect(existsSync(own)).toBe(false);

    const stale = makeHome({ id_ed25519: { copy: host.users.deploy.keyPath }, known_hosts: `[${host.sshHost}]:${host.sshPort} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n` });
    const error = await connectAs(stale, { user: 'deploy', host: host.sshHost, port: host.sshPort }, { onUnknownHostKey: 'accept-new' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'host-key-changed', details: { knownHostsFile: path.join(stale, '.ssh', 'known_hosts') } });
  });

  it('uses ssh-agent first; with IdentitiesOnly only the agent keys matching the identity files are offered', async () => {
    // a real ssh-agent on a socket of its own, holding deploy's key
    const socket = path.join(work, `agent-${Date.now()}.sock`);
    const agentOut = execFileSync('ssh-agent', ['-a', socket, '-s'], { encoding: 'utf8' });
    const agentPid = /SSH_AGENT_PID=(\d+)/.exec(agentOut)?.[1];
    try {
      execFileSync('ssh-add', ['-q', host.users.deploy.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const target = { user: 'deploy', host: host.sshHost, port: host.sshPort };
      const bare = makeHome({ known_hosts: hostKnownHosts(host.sshPort) });
      const byAgent = await connectAs(bare, target, { agent: socket });
      expect((await byAgent.exec('id -un')).stdout.trim()).toBe('deploy');
      // the identity named in the config is admin's (public half only): deploy's agent key is not offered
      const adminPublic = execFileSync('ssh-keygen', ['-y', '-f', host.users.admin.keyPath], { encoding: 'utf8' });
      const only = makeHome({ config: 'Host *\n  IdentitiesOnly yes\n  IdentityFile ~/.ssh/admin_key\n', 'admin_key.pub': adminPublic, known_hosts: hostKnownHosts(host.sshPort) });
      const refused = await connectAs(only, target, { agent: socket }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'ssh-no-login-method' });
      const env = { ...process.env, HOME: bare, SSH_AUTH_SOCK: socket };
      const cli = await runCliCaptured(['inspect', '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '--known-hosts', path.join(bare, 'k'), '--json'], { env });
      expect(cli.code).toBe(0);

      // more agent keys than sshd's MaxAuthTries (6): sshd hangs up, and that is "login refused"
      for (let i = 0; i < 7; i += 1) {
        const extra = path.join(work, `extra-${Date.now()}-${i}`);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', extra]);
        execFileSync('ssh-add', ['-q', extra], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      }
      const tooMany = await connectAs(bare, { user: 'admin', host: host.sshHost, port: host.sshPort }, { agent: socket }).catch((e: unknown) => e);
      expect(tooMany).toMatchObject({ code: 'auth-failed', details: { tried: expect.stringContaining('ssh-agent') } });
    } finally {
      if (agentPid !== undefined) process.kill(Number(agentPid));
    }
  });

  it('follows a ~/.ssh/config alias with HostName, User, Port, IdentityFile, IdentitiesOnly and ProxyJump through a second sshd, asking consent for the jump host key', async () => {
    const config = [
      'Host mailbox',
      `  HostName ${host.sshHost}`,
      `  Port ${host.sshPort}`,
      '  User deploy',
      '  IdentityFile ~/.ssh/deploy_key',
      '  IdentitiesOnly yes',
      '  ProxyJump gateway',
      'Host gateway',
      `  HostName ${host.sshHost}`,
      `  Port ${jumpPort}`,
      '  User admin',
      '  IdentityFile ~/.ssh/admin_key',
      '',
    ].join('\n');
    // only the target's key is known: the jump host (another port) needs its own consent
    const home = makeHome({ config, deploy_key: { copy: host.users.deploy.keyPath }, admin_key: { copy: host.users.admin.keyPath }, known_hosts: hostKnownHosts(host.sshPort) });
    const first = await connectAs(home, { user: null, host: 'mailbox', port: null }).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'host-key-unknown', details: { port: jumpPort } });
    const fingerprint = (first as { details: { fingerprint: string } }).details.fingerprint;
    expect(await host.hostKeyFingerprints()).toContain(fingerprint);

    const session = await connectAs(home, { user: null, host: 'mailbox', port: null }, { onUnknownHostKey: { acceptFingerprint: fingerprint } });
    expect(session.target).toEqual({ user: 'deploy', host: host.sshHost, port: host.sshPort });
    expect((await session.exec('id -un')).stdout.trim()).toBe('deploy');
    expect(readFileSync(path.join(home, 'homemail_known_hosts'), 'utf8')).toContain(`[${host.sshHost}]:${jumpPort} `);
    // the jump host's own sshd logged the login of its user, and the second connect needs no consent
    expect((await host.readFile('/var/log/sshd-jump.log')).toString('utf8')).toMatch(/Accepted publickey for admin/);
    const again = await connectAs(home, { user: null, host: 'mailbox', port: null });
    expect((await again.exec('echo via-jump')).stdout).toBe('via-jump\n');

    // the CLI takes the alias as --ssh
    const cli = await runCliCaptured(['inspect', '--ssh', 'mailbox', '--known-hosts', path.join(home, 'homemail_known_hosts'), '--json'], { env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '' } });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.out)).toMatchObject({ ok: true });

    // with the jump host down, the error names the jump host's port
    await host.runAsRoot('kill "$(cat /run/sshd-jump.pid)"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(connectAs(home, { user: null, host: 'mailbox', port: null })).rejects.toMatchObject({ code: 'ssh-refused', details: { port: jumpPort } });
  });
});
