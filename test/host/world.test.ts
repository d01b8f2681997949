// Proves the test world is real: SSH logins, sudo, mail both ways, DNS inside and outside
// the chroot, and each server variant's configuration.
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client, type ConnectConfig, type KeyboardInteractiveAuthMethod } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

interface ExecOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Login {
  client: Client;
  hostKey: string;
}

// Connects with ssh2, accepting only a host key the host really has; records which one.
function sshLogin(host: TestHost, config: Partial<ConnectConfig>): Promise<Login> {
  return host.hostKeyFingerprints().then(
    (fingerprints) =>
      new Promise<Login>((resolve, reject) => {
        const client = new Client();
        let seen = '';
        client.on('ready', () => resolve({ client, hostKey: seen }));
        client.on('error', (e) => reject(e));
        client.connect({
          host: host.sshHost,
          port: host.sshPort,
          readyTimeout: 20_000,
          hostHash: 'sha256',
          hostVerifier: (hash: string) => {
            seen = `SHA256:${Buffer.from(hash, 'hex').toString('base64').replace(/=+$/, '')}`;
            return fingerprints.includes(seen);
          },
          ...config,
        });
      }),
  );
}

function sshExec(client: Client, cmd: string, stdin = ''): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    client.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      stream.on('close', (code: number | null) => resolve({ code, stdout, stderr }));
      stream.end(stdin);
    });
  });
}

async function runOver(host: TestHost, config: Partial<ConnectConfig>, cmd: string, stdin = ''): Promise<ExecOutcome> {
  const { client } = await sshLogin(host, config);
  try {
    return await sshExec(client, cmd, stdin);
  } finally {
    client.end();
  }
}

const key = (file: string): Buffer => readFileSync(file);
const unique = (): string => randomUUID().slice(0, 8);

describe.skipIf(skip !== null)(suite('test host: fresh variant'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await resetHost('fresh');
  });

  it('logs admin in with the ed25519 key, inside a host named mail.example.test', async () => {
    const r = await runOver(host, { username: 'admin', privateKey: key(host.users.admin.keyPath) }, 'id -un; hostname');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['admin', 'mail.example.test']);
  });

  it('logs admin in with the passphrase-protected PEM RSA key', async () => {
    const pem = key(host.users.admin.pemKeyPath).toString('utf8');
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED/);
    const r = await runOver(host, { username: 'admin', privateKey: pem, passphrase: host.users.admin.pemPassphrase }, 'id -un');
    expect(r.stdout.trim()).toBe('admin');
  });

  it('logs admin in with the password and by keyboard-interactive, and refuses a wrong password', async () => {
    const { password } = host.users.admin;
    expect((await runOver(host, { username: 'admin', password }, 'id -un')).stdout.trim()).toBe('admin');
    const answerPassword: KeyboardInteractiveAuthMethod = {
      type: 'keyboard-interactive',
      username: 'admin',
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    };
    const keyboardOnly: Partial<ConnectConfig> = { username: 'admin', authHandler: [answerPassword] };
    const interactive = await runOver(host, keyboardOnly, 'id -un');
    expect(interactive.stdout.trim()).toBe('admin');
    await expect(runOver(host, { username: 'admin', password: `${password}x` }, 'true')).rejects.toThrow(/authentication/i);
  });

  it('sudo asks admin for the password: right password works, wrong one and none fail', async () => {
    const login = { username: 'admin', privateKey: key(host.users.admin.keyPath) };
    const ok = await runOver(host, login, "sudo -k -S -p '' id -u", `${host.users.admin.password}\n`);
    expect({ code: ok.code, out: ok.stdout.trim() }).toEqual({ code: 0, out: '0' });
    const wrong = await runOver(host, login, "sudo -k -S -p '' id -u", 'not-the-password\n');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout.trim()).toBe('');
    const none = await runOver(host, login, 'sudo -k -n id -u');
    expect(none.code).not.toBe(0);
  });

  it('gives deploy passwordless sudo', async () => {
    const r = await runOver(host, { username: 'deploy', privateKey: key(host.users.deploy.keyPath) }, 'sudo -n id -u');
    expect({ code: r.code, out: r.stdout.trim() }).toEqual({ code: 0, out: '0' });
  });

  it('lets root in with its key and refuses root password login', async () => {
    const r = await runOver(host, { username: 'root', privateKey: key(host.users.root.keyPath) }, 'id -u');
    expect(r.stdout.trim()).toBe('0');
    await expect(runOver(host, { username: 'root', password: host.users.root.password }, 'true')).rejects.toThrow(/authentication/i);
  });

  it('presents its recorded host key, and a different one after rotateHostKeys', async () => {
    const login = { username: 'deploy', privateKey: key(host.users.deploy.keyPath) };
    const before = await host.hostKeyFingerprints();
    const first = await sshLogin(host, login);
    first.client.end();
    expect(before).toContain(first.hostKey);
    expect(readFileSync(host.knownHostsPath, 'utf8')).toContain(`[${host.sshHost}]:${host.sshPort} `);
    await host.rotateHostKeys();
    const after = await host.hostKeyFingerprints();
    expect(after.filter((f) => before.includes(f))).toEqual([]);
    const second = await sshLogin(host, login);
    second.client.end();
    expect(after).toContain(second.hostKey);
  });

  it('delivers a message submitted by SMTP on port 25 and reads it back', async () => {
    const subject = `smtp probe ${unique()}`;
    const sent = await host.submitSmtp({ from: 'sender@example.org', to: 'admin@example.test', subject, body: 'line one\n.dot line\n' });
    expect(sent.queueId).toMatch(/^[0-9A-Za-z]+$/);
    const msg = await host.newestMessage('admin', { containing: subject });
    expect(msg).toContain(`Subject: ${subject}`);
    expect(msg).toMatch(/^Received: from client\.example\.test \(localhost \[127\.0\.0\.1\]\)/m);
    expect(msg).toContain('\n.dot line');
  });

  it('delivers a message given to sendmail inside the host', async () => {
    const subject = `sendmail probe ${unique()}`;
    await host.sendmail({ from: 'root@example.test', to: 'deploy@example.test', subject, body: 'hello' });
    const msg = await host.newestMessage('deploy', { containing: subject });
    expect(msg).toMatch(/^Received: by mail\.example\.test \(Postfix, from userid 0\)/m);
  });

  it('serves records set by the test, to this machine and inside the chroot', async () => {
    const token = unique();
    await host.setRecords('example.test', [`probe IN TXT "v=probe1; t=${token}"`, 'probe-a IN A 127.0.0.9']);
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`${host.dns.address}:${host.dns.port}`]);
    expect(await resolver.resolveTxt('probe.example.test')).toEqual([[`v=probe1; t=${token}`]]);
    const ptrName = `${host.address.split('.').reverse().join('.')}.in-addr.arpa`;
    expect(await resolver.resolvePtr(ptrName)).toEqual([host.hostname]);
    const inside = await host.runAsRoot('dig +short TXT probe.example.test; getent hosts probe-a.example.test');
    expect(inside.stdout.split('\n').slice(0, 2)).toEqual([`"v=probe1; t=${token}"`, '127.0.0.9       probe-a.example.test']);
    await host.setRecords('example.test', []);
    await expect(resolver.resolveTxt('probe.example.test')).rejects.toThrow(/ENOTFOUND/);
  });

  it('snapshots configuration files and reports exactly what changed', async () => {
    const a = await host.snapshot();
    expect(a['/etc/postfix/main.cf']?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(host.diffSnapshots(a, await host.snapshot())).toEqual([]);
    await host.runAsRoot('postconf -e "smtpd_banner = changed" && chmod 600 /etc/mailname');
    const diff = host.diffSnapshots(a, await host.snapshot());
    // postconf writes main.cf anew and renames it into place, so the directory changes too
    expect(diff).toEqual([
      'changed /etc/mailname (mode)',
      'changed /etc/postfix (mtime)',
      'changed /etc/postfix/main.cf (sha256, mtime)',
    ]);
  });

  it('has Debian defaults: loopback-only Postfix, chrooted smtpd, OpenDKIM on its unix socket, no milters', async () => {
    const r = await host.runAsRoot(
      "postconf -h inet_interfaces smtpd_milters non_smtpd_milters; awk '$1==\"smtp\" && $2==\"inet\" {print $5}' /etc/postfix/master.cf; test -S /run/opendkim/opendkim.sock && echo socket",
    );
    expect(r.stdout.split('\n').slice(0, 5)).toEqual(['loopback-only', '', '', 'y', 'socket']);
  });
});

describe.skipIf(skip !== null)(suite('test host: single-key variant (the manual procedure)'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await resetHost('single-key');
  });

  it('has the hand-made configuration: inet:8892 milter for smtpd only, a 1024-bit key, dead RBLs', async () => {
    const r = await host.runAsRoot(
      'postconf -h smtpd_milters non_smtpd_milters smtpd_client_restrictions; ss -Hltn "sport = :8892" | wc -l; openssl rsa -in /etc/dkimkeys/postfix.private -noout -text 2>/dev/null | head -1; stat -c %U /etc/dkimkeys/postfix.private',
    );
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['inet:127.0.0.1:8892', '']);
    expect(lines[2]).toContain('reject_rbl_client all.rbl.jp');
    expect(lines.slice(3, 6)).toEqual(['1', 'Private-Key: (1024 bit, 2 primes)', 'opendkim']);
  });

  it('publishes the ADSP and 1024-bit DKIM records and signs mail submitted by SMTP', async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`${host.dns.address}:${host.dns.port}`]);
    expect(await resolver.resolveTxt('_adsp._domainkey.example.test')).toEqual([['dkim=unknown']]);
    const dkim = (await resolver.resolveTxt('postfix._domainkey.example.test')).map((parts) => parts.join(''));
    expect(dkim).toEqual([expect.stringMatching(/^v=DKIM1; h=sha256; k=rsa; p=[A-Za-z0-9+/=]{200,}$/)]);
    const subject = `signed ${unique()}`;
    await host.submitSmtp({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'sign me' });
    const msg = await host.newestMessage('admin', { containing: subject });
    expect(msg).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; [^]*?d=example\.test;\s+s=postfix;/m);
  });

  it('leaves mail from sendmail unsigned (no non_smtpd_milters)', async () => {
    const subject = `unsigned ${unique()}`;
    await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'local' });
    expect(await host.newestMessage('admin', { containing: subject })).not.toContain('DKIM-Signature:');
  });
});

describe.skipIf(skip !== null)(suite('test host: other-filters variant'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await resetHost('other-filters');
  });

  it('has another milter in both milter lists and an amavis content_filter', async () => {
    const r = await host.runAsRoot('postconf -h smtpd_milters non_smtpd_milters milter_default_action content_filter');
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'inet:127.0.0.1:11332',
      'inet:127.0.0.1:11332',
      'accept',
      'smtp-amavis:[127.0.0.1]:10024',
    ]);
  });

  it('passes SMTP and sendmail mail through the milter and the content filter', async () => {
    const subject = `filtered ${unique()}`;
    await host.submitSmtp({ from: 'sender@example.org', to: 'admin@example.test', subject, body: 'x' });
    const viaSmtp = await host.newestMessage('admin', { containing: subject });
    expect(viaSmtp).toContain('X-Fake-Milter: seen');
    expect(viaSmtp).toContain('X-Virus-Scanned: fake-amavis');
    await host.sendmail({ from: 'root@example.test', to: 'admin@example.test', subject: `${subject} local`, body: 'y' });
    const viaSendmail = await host.newestMessage('admin', { containing: `${subject} local` });
    expect(viaSendmail).toContain('X-Fake-Milter: seen');
  });
});

describe.skipIf(skip !== null)(suite('test host: no-opendkim variant'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await resetHost('no-opendkim');
  });
  afterAll(async () => {
    await resetHost('fresh');
  });

  it('has Postfix but no OpenDKIM, and apt-get installs it offline from the apt cache', async () => {
    const before = await host.runAsRoot('dpkg-query -W -f=\'${Status}\' opendkim 2>&1; test -e /usr/sbin/opendkim && echo present');
    expect(before.stdout).not.toContain('install ok installed');
    expect(before.stdout).not.toContain('present');
    const install = await host.runAsRoot('DEBIAN_FRONTEND=noninteractive apt-get install -y opendkim opendkim-tools', { timeoutMs: 120_000 });
    expect(install.code, install.stdout + install.stderr).toBe(0);
    const after = await host.runAsRoot("dpkg-query -W -f='${Status}' opendkim opendkim-tools");
    expect(after.stdout).toBe('install ok installedinstall ok installed');
  });
});
