// Plan / apply / rollback against the real test host on every variant: real SSH, Postfix,
// OpenDKIM and DNS. Mail submitted by SMTP and by sendmail is verified with mailauth (an
// independent verifier) through the test DNS after the DKIM record is published there.
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dkimVerify, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILES } from '../../main/server/platform/paths.js';
import { runCliIn, type CliRun } from './cli.js';
import { hostSkipReason, resetHost, VARIANTS, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-change-host-'));
const SELECTOR = 'hm1';
const keyFile = path.join(work, 'keys', `${SELECTOR}.private`);

const cli = (argv: string[], stdin = ''): Promise<CliRun> => runCliIn(work, argv, stdin);

/** deploy has passwordless sudo; admin needs the password on stdin (the harder path). */
function sshArgs(host: TestHost, user: 'deploy' | 'admin'): string[] {
  const u = host.users[user];
  return ['--ssh', `${user}@${host.sshHost}:${host.sshPort}`, '-i', u.keyPath, '--known-hosts', host.knownHostsPath, ...(user === 'admin' ? ['--password-stdin'] : [])];
}

function changeArgs(host: TestHost, user: 'deploy' | 'admin'): string[] {
  // Publish before sign: apply checks the key's record at the test DNS (publishKey puts it there).
  return [...sshArgs(host, user), '--domain', 'example.test', '--dkim', `${SELECTOR}:${keyFile}`, '--rua', 'dmarc-reports@example.test', '--resolver', `${host.dns.address}:${host.dns.port}`, '--json'];
}

const stdinFor = (host: TestHost, user: 'deploy' | 'admin'): string => (user === 'admin' ? `${host.users.admin.password ?? ''}\n` : '');

async function apply(host: TestHost, user: 'deploy' | 'admin' = 'deploy'): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const r = await cli(['apply', ...changeArgs(host, user)], stdinFor(host, user));
  return { code: r.code, json: JSON.parse(r.stdout || '{}') as Record<string, unknown>, stderr: r.stderr };
}

async function publishKey(host: TestHost): Promise<void> {
  const r = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `${SELECTOR}:${keyFile}`, '--format', 'zone']);
  expect(r.code, r.stderr).toBe(0);
  await host.setRecords('example.test', r.stdout.split('\n').filter((l) => l.includes('_domainkey')));
}

function resolverFor(host: TestHost): DNSResolver {
  const dns = new Resolver({ timeout: 2000, tries: 2 });
  dns.setServers([`${host.dns.address}:${host.dns.port}`]);
  return (name, type) => dns.resolve(name, type) as Promise<string[][] | string[]>;
}

async function verifiedSignatures(host: TestHost, via: 'smtp' | 'sendmail'): Promise<{ results: string[]; message: string }> {
  const subject = `change ${via} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const msg = { from: 'admin@example.test', to: 'admin@example.test', subject, body: `Signed via ${via}.` };
  if (via === 'smtp') await host.submitSmtp(msg);
  else await host.sendmail(msg);
  const received = await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
  const result = await dkimVerify(received.replace(/^From .*\n/, ''), { resolver: resolverFor(host) });
  return {
    results: result.results.map((r) => `${r.signingDomain ?? '?'} ${r.selector ?? '?'} ${r.status.result}`),
    message: received,
  };
}

async function postfixCheck(host: TestHost): Promise<void> {
  const r = await host.runAsRoot('postfix check && postfix status');
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  if (skip !== null) return;
  const r = await cli(['keygen', '--domain', 'example.test', '--selector', SELECTOR, '--out', 'keys']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip !== null).each(VARIANTS)(suite('plan, apply and rollback on the %s variant'), (variant) => {
  let host: TestHost;
  let before: Awaited<ReturnType<TestHost['snapshot']>>;
  let beforeFiles: Awaited<ReturnType<TestHost['snapshot']>>;

  beforeAll(async () => {
    host = await resetHost(variant);
    before = await host.snapshot();
    beforeFiles = await host.snapshot(CONFIG_FILES);
  }, 300_000);

  it('plan shows diffs and commands and changes nothing on the server', async () => {
    const r = await cli(['plan', ...changeArgs(host, 'admin')], stdinFor(host, 'admin'));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { plan: { changed: boolean; files: Array<{ path: string; diff: string }>; commands: Array<{ kind: string }> }; roundTrips: number };
    expect(out.plan.changed).toBe(true);
    const main = out.plan.files.find((f) => f.path === '/etc/postfix/main.cf');
    expect(main?.diff).toMatch(/^\+non_smtpd_milters = .*inet:127\.0\.0\.1:889\d/m);
    expect(r.stdout).not.toContain(readFileSync(keyFile, 'utf8').split('\n')[1]);
    if (variant === 'no-opendkim') expect(out.plan.commands.map((c) => c.kind)).toContain('install-packages');
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('plan output matches what postconf -e makes of main.cf on the server', async () => {
    const r = await cli(['plan', ...changeArgs(host, 'deploy')]);
    const out = JSON.parse(r.stdout) as { plan: { files: Array<{ path: string; diff: string }> } };
    const edits = (out.plan.files.find((f) => f.path === '/etc/postfix/main.cf')?.diff ?? '')
      .split('\n')
      .filter((l) => /^\+[a-z_]+ = /.test(l))
      .map((l) => l.slice(1));
    expect(edits.length).toBeGreaterThan(0);
    const quoted = edits.map((e) => `'${e.replaceAll("'", `'\\''`)}'`);
    // postconf -e on a copy, one edit at a time in the plan's order, compared with our own edit.
    const sh = `set -e; d=$(mktemp -d); cp -p /etc/postfix/main.cf /etc/postfix/master.cf "$d"/; for e in ${quoted.join(' ')}; do postconf -c "$d" -e "$e"; done; cat "$d/main.cf"; rm -rf "$d"`;
    const expected = await host.runAsRoot(sh);
    expect(expected.code, expected.stderr).toBe(0);
    const { applyPatch } = await import('diff');
    const current = (await host.readFile('/etc/postfix/main.cf')).toString('utf8');
    const patched = applyPatch(current, out.plan.files.find((f) => f.path === '/etc/postfix/main.cf')?.diff ?? '');
    expect(patched).toBe(expected.stdout);
  });

  let afterApply: Awaited<ReturnType<TestHost['snapshot']>>;

  it('apply signs mail submitted by SMTP and by sendmail, in at most 4 round trips', async () => {
    await publishKey(host);
    const r = await apply(host, 'admin');
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json)}`).toBe(0);
    expect(r.json.changed).toBe(true);
    expect(String(r.json.backupId)).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(r.json.roundTrips).toBeLessThanOrEqual(4);
    for (const via of ['smtp', 'sendmail'] as const) {
      const { results, message } = await verifiedSignatures(host, via);
      expect(results, message.slice(0, 2000)).toContain(`example.test ${SELECTOR} pass`);
      if (variant === 'single-key') expect(message).not.toMatch(/s=postfix;/);
      if (variant === 'other-filters') {
        expect(message).toMatch(/^X-Fake-Milter: seen/m);
        if (via === 'smtp') expect(message).toMatch(/^X-Virus-Scanned: fake-amavis/m);
      }
    }
    await postfixCheck(host);
    const postconf = await host.runAsRoot('postconf -h smtpd_milters non_smtpd_milters milter_default_action milter_protocol content_filter');
    const [smtpd, nonSmtpd, action, protocol, filter] = postconf.stdout.split('\n');
    expect(action).toBe('accept');
    expect(protocol).toBe('6');
    for (const list of [smtpd, nonSmtpd]) {
      const items = (list ?? '').split(/[\s,]+/).filter(Boolean);
      expect(new Set(items).size).toBe(items.length);
      if (variant === 'other-filters') expect(items[0]).toBe('inet:127.0.0.1:11332');
    }
    if (variant === 'other-filters') expect(filter).toBe('smtp-amavis:[127.0.0.1]:10024');
    const key = await host.runAsRoot(`stat -c '%U %G %a' /etc/dkimkeys/${SELECTOR}.private`);
    expect(key.stdout.trim()).toBe('opendkim opendkim 600');
    const aliases = await host.runAsRoot('postalias -q dmarc-reports hash:/etc/aliases');
    expect(aliases.stdout.trim()).toBe('admin');
    afterApply = await host.snapshot();
  });

  it('a second apply changes nothing: same contents, same modification times', async () => {
    const r = await apply(host);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.changed).toBe(false);
    expect(r.json.backupId).toBeNull();
    expect(r.json.roundTrips).toBeLessThanOrEqual(4);
    expect(host.diffSnapshots(afterApply, await host.snapshot())).toEqual([]);
  });

  it('rollback restores the configuration byte for byte and mail still flows', async () => {
    const r = await cli(['rollback', ...sshArgs(host, 'deploy'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    // and the files Homemail writes, whatever the snapshot's default list covers
    expect(await host.snapshot(CONFIG_FILES)).toEqual(beforeFiles);
    await postfixCheck(host);
    const subject = `after rollback ${Date.now()}`;
    await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'still flowing' });
    await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
  });

  // Backups written before the platform rows carried package commands name each package
  // as `package NAME purge|remove`; servers still hold such backups.
  if (variant === 'no-opendkim') {
    it('a rollback of a backup in the earlier format still takes its packages back', async () => {
      const r = await apply(host, 'deploy');
      expect(r.code, r.stderr).toBe(0);
      const manifest = `/var/backups/homemail/${String(r.json.backupId)}/manifest`;
      const rewrite = await host.runAsRoot(
        `grep -q '^packages ' ${manifest} && sed -i '/^packages /d' ${manifest} && printf 'package opendkim purge\npackage opendkim-tools purge\n' >> ${manifest}`,
      );
      expect(rewrite.code, rewrite.stderr).toBe(0);
      const back = await cli(['rollback', ...sshArgs(host, 'deploy'), '--json']);
      expect(back.code, back.stderr).toBe(0);
      const left = await host.runAsRoot("dpkg-query -W -f='${db:Status-Status} ' opendkim opendkim-tools 2>/dev/null; true");
      expect(left.stdout.split(/\s+/).filter((w) => w !== '' && w !== 'not-installed')).toEqual([]);
      expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    });
  }
});
