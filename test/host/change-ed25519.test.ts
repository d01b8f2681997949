// RSA + Ed25519 (RFC 8463) against the real test host: bookworm's OpenDKIM 2.11.0~beta2 signs
// every key of a message with its one global SignatureAlgorithm, so an Ed25519 key beside
// an RSA key temp-fails the mail ("expecting an rsa key"). Plan and apply refuse it before
// anything changes (the PEM format is not the problem: Beta2 signs with this Ed25519 key
// when ed25519-sha256 is its only algorithm, see records.test.ts); two keys of one algorithm still sign side by side, both signatures
// verify with mailauth through the test DNS, and a second apply changes nothing.
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dkimVerify, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/cli.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-change-ed25519-'));
const keyFile = (selector: string): string => path.join(work, 'keys', `${selector}.private`);

const cli = (argv: string[]) => runCliCaptured(argv, { cwd: work });

function changeArgs(host: TestHost, selectors: readonly string[]): string[] {
  const u = host.users.deploy;
  return [
    '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', u.keyPath, '--known-hosts', host.knownHostsPath,
    // About Ed25519 support, not DNS: publish-before-sign is skipped.
    '--domain', 'example.test', ...selectors.flatMap((s) => ['--dkim', `${s}:${keyFile(s)}`]), '--skip-dns-check', '--json',
  ];
}

function resolverFor(host: TestHost): DNSResolver {
  const dns = new Resolver({ timeout: 2000, tries: 2 });
  dns.setServers([`${host.dns.address}:${host.dns.port}`]);
  return (name, type) => dns.resolve(name, type) as Promise<string[][] | string[]>;
}

async function sendAndVerify(host: TestHost): Promise<{ results: string[]; message: string }> {
  const subject = `dual ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'Signed twice.' });
  const received = await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
  const result = await dkimVerify(received.replace(/^From .*\n/, ''), { resolver: resolverFor(host) });
  return { results: result.results.map((r) => `${r.selector ?? '?'} ${r.algo ?? '?'} ${r.status.result}`).sort(), message: received };
}

beforeAll(async () => {
  if (skip !== null) return;
  for (const [selector, type] of [['rsa1', 'rsa'], ['rsa2', 'rsa'], ['ed1', 'ed25519']] as const) {
    const r = await cli(['keygen', '--domain', 'example.test', '--selector', selector, '--type', type, '--out', 'keys']);
    expect(r.code, r.err).toBe(0);
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip !== null)(suite('RSA + Ed25519 on the fresh variant (OpenDKIM 2.11.0~beta2)'), () => {
  let host: TestHost;
  let before: Awaited<ReturnType<TestHost['snapshot']>>;

  beforeAll(async () => {
    host = await resetHost('fresh');
    before = await host.snapshot();
  }, 300_000);

  it('inspect says this OpenDKIM cannot add an Ed25519 signature beside the RSA one', async () => {
    const r = await cli(['inspect', ...changeArgs(host, []).filter((a) => a !== '--domain' && a !== 'example.test' && a !== '--skip-dns-check')]);
    expect(r.code, r.err).toBe(0);
    const { inspection } = JSON.parse(r.out) as { inspection: { opendkim: { canSignEd25519: boolean | null }; findings: Array<{ key: string }> } };
    expect(inspection.opendkim.canSignEd25519).toBe(false);
    expect(inspection.findings.map((f) => f.key)).toContain('ed25519Unsupported');
  });

  for (const command of ['plan', 'apply'] as const) {
    it(`${command} refuses the Ed25519 key with exit 2, naming the OpenDKIM version, and changes nothing`, async () => {
      const r = await cli([command, ...changeArgs(host, ['rsa1', 'ed1'])]);
      expect(r.code, r.out + r.err).toBe(2);
      expect(r.err).toMatch(/Ed25519 key \(selector ed1\) cannot be used on this server:\s+OpenDKIM 2\.11\.0~beta2\S* signs every key with one algorithm/);
      expect(r.err).toMatch(/RSA key alone/);
      expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    });
  }

  let afterApply: Awaited<ReturnType<TestHost['snapshot']>>;

  it('two RSA keys sign side by side: the health check waits for both, and both signatures verify', async () => {
    const r = await cli(['apply', ...changeArgs(host, ['rsa1', 'rsa2'])]);
    expect(r.code, r.out + r.err).toBe(0);
    expect((JSON.parse(r.out) as { changed: boolean }).changed).toBe(true);
    const log = await host.runAsRoot('grep -F "homemail-health-" /var/log/mail.log | head -n 1; grep -F "DKIM-Signature field added" /var/log/mail.log');
    expect(log.stdout).toMatch(/s=rsa1, d=example\.test/);
    expect(log.stdout).toMatch(/s=rsa2, d=example\.test/);
    const records = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `rsa1:${keyFile('rsa1')}`, '--dkim', `rsa2:${keyFile('rsa2')}`, '--format', 'zone']);
    expect(records.code, records.err).toBe(0);
    await host.setRecords('example.test', records.out.split('\n').filter((l) => l.includes('_domainkey')));
    const { results, message } = await sendAndVerify(host);
    expect(results, message.slice(0, 3000)).toEqual(['rsa1 rsa-sha256 pass', 'rsa2 rsa-sha256 pass']);
    afterApply = await host.snapshot();
  });

  it('a second apply with the same keys changes nothing', async () => {
    const r = await cli(['apply', ...changeArgs(host, ['rsa1', 'rsa2'])]);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { changed: boolean; backupId: string | null })).toMatchObject({ changed: false, backupId: null });
    expect(host.diffSnapshots(afterApply, await host.snapshot())).toEqual([]);
  });

  it('why plan refuses: this OpenDKIM temp-fails mail with an Ed25519 key beside RSA, and reads a fourth KeyTable field as part of the key path', async () => {
    async function mailLogAfterSend(): Promise<string> {
      const subject = `ed beside rsa ${Date.now()} ${Math.random().toString(36).slice(2)}`;
      await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'x' });
      let log = '';
      for (let i = 0; i < 40 && !/milter-reject/.test(log); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        log = (await host.runAsRoot('tail -n 8 /var/log/mail.log')).stdout;
      }
      return log;
    }
    const restart = '/etc/init.d/opendkim restart >/dev/null && sleep 1';
    // The Ed25519 key (PKCS#8 PEM, as keygen writes it; Beta2 reads it fine when it is the
    // only algorithm) in place of rsa2.
    const edPem = readFileSync(keyFile('ed1'), 'utf8');
    const swap = await host.runAsRoot(`printf '%s' '${edPem.replaceAll("'", `'\\''`)}' > /etc/dkimkeys/rsa2.private && ${restart}`);
    expect(swap.code, swap.stderr).toBe(0);
    const global = await mailLogAfterSend();
    expect(global).toMatch(/expecting an rsa key/);
    expect(global).toMatch(/milter-reject: END-OF-MESSAGE .*4\.7\.0 resource unavailable/);
    // Newer OpenDKIM's per-key algorithm field: Beta2 takes it as part of the file name.
    const field = await host.runAsRoot(`sed -i 's#^rsa2._domainkey.example.test .*#&:ed25519-sha256#' /etc/opendkim/key.table && ${restart}`);
    expect(field.code, field.stderr).toBe(0);
    const perKey = await mailLogAfterSend();
    expect(perKey).toMatch(/can't load key from \/etc\/dkimkeys\/rsa2\.private:ed25519-sha256/);
    expect(perKey).toMatch(/milter-reject: END-OF-MESSAGE/);
  });
});
