// The SSH layer against the real test host: host-key consent and refusal, every login the
// host offers, sudo with and without a password, hostile arguments, timeouts, round trips.
import { mkdtempSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
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

  it('says which: connection refused, DNS failure, or no answer — within the connect timeout', async () => {
    const base = { knownHostsFile: trusted, onUnknownHostKey: 'refuse' as const, agent: false as const, useSshConfig: false, password: 'x' };
    await expect(connectSsh({ ...base, target: { user: 'a', host: '127.0.0.1', port: 1 } })).rejects.toMatchObject({ code: 'ssh-unreachable', details: { reason: 'refused' } });
    await expect(connectSsh({ ...base, target: { user: 'a', host: 'no-such-host.invalid', port: 22 } })).rejects.toMatchObject({ code: 'ssh-unreachable', details: { reason: 'dns' } });
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
