// homemail relay against the real test host and its ISP relay stand-in (hostctl.sh relay-up:
// a second Postfix on 127.0.0.2:587 with STARTTLS from a test CA and Cyrus SASL login). A
// wrong password fails the health check and is rolled back byte for byte; the right one
// sends mail through the relay (its Received header), DKIM-signed so that mailauth (an
// independent verifier) accepts it through the test DNS, and mailauth's SPF evaluator passes
// the relay's address once `records --include` merged the relay's SPF. The password never
// shows in the plan, the JSON, the process list or the backups.
import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { dkimVerify } from 'mailauth';
import { spf as evaluateSpf } from 'mailauth/lib/spf/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from './cli.js';
import { hostSkipReason, resetHost, type RelayServer, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-relay-host-'));
const SELECTOR = 'hm1';
const keyFile = path.join(work, 'keys', `${SELECTOR}.private`);
const WRONG = 'wrong Pa55 word';
const cli = (argv: string[], stdin = ''): Promise<CliRun> => runCliIn(work, argv, stdin);

describe.skipIf(skip !== null)(suite('relay through the ISP stand-in'), () => {
  let host: TestHost;
  let relay: RelayServer;
  let dns: Resolver;
  let resolver: string;
  /** The configuration before the relay was applied (test 3), for the rollback test. */
  let preRelay: Awaited<ReturnType<TestHost['snapshot']>>;

  const ssh = (user: 'deploy' | 'admin'): string[] => [
    '--ssh', `${user}@${host.sshHost}:${host.sshPort}`, '-i', host.users[user].keyPath, '--known-hosts', host.knownHostsPath, ...(user === 'admin' ? ['--password-stdin'] : []),
  ];
  const relayArgs = (): string[] => ['--relay', `${relay.name}:${relay.port}`, '--relay-user', relay.user, '--relay-password-stdin', '--domain', 'example.test', '--json'];

  beforeAll(async () => {
    host = await resetHost('fresh');
    relay = await host.startRelay();
    resolver = `${host.dns.address}:${host.dns.port}`;
    dns = new Resolver({ timeout: 2000, tries: 2 });
    dns.setServers([resolver]);
    await host.setRecords('example.org', [`relay IN A ${relay.address}`, `_spf.relay IN TXT "v=spf1 ip4:${relay.address} -all"`]);
    // The server signs first (the DKIM apply of change.test.ts), with its record published.
    expect((await cli(['keygen', '--domain', 'example.test', '--selector', SELECTOR, '--out', 'keys'])).code).toBe(0);
    const zone = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `${SELECTOR}:${keyFile}`, '--ip', host.address, '--format', 'zone']);
    await host.setRecords('example.test', zone.stdout.split('\n').filter((l) => l.includes('_domainkey') || l.includes('v=spf1')));
    const dkim = await cli(['apply', ...ssh('deploy'), '--domain', 'example.test', '--dkim', `${SELECTOR}:${keyFile}`, '--resolver', resolver, '--json']);
    expect(dkim.code, dkim.stderr).toBe(0);
  });

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await resetHost('fresh').catch(() => undefined);
  });

  it('plans without changing anything, and the password is nowhere in the plan or its JSON', async () => {
    const before = await host.snapshot();
    const plan = await cli(['relay', ...ssh('deploy'), ...relayArgs()], `${relay.password}\n`);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).not.toContain(relay.password);
    const json = JSON.parse(plan.stdout) as { plan: { changed: boolean; files: { path: string; diff: string; mode: string; secret: boolean }[]; commands: { command: string }[] } };
    expect(json.plan.changed).toBe(true);
    const table = json.plan.files.find((f) => f.path === '/etc/postfix/sasl_passwd');
    expect(table).toMatchObject({ mode: '0600', secret: true, diff: 'create /etc/postfix/sasl_passwd (password, not shown)\n' });
    const main = json.plan.files.find((f) => f.path === '/etc/postfix/main.cf');
    expect(main?.diff).toContain(`+relayhost = [${relay.name}]:587`);
    expect(main?.diff).toContain('+smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd');
    expect(main?.diff).toContain('+smtp_tls_security_level = encrypt');
    expect(json.plan.commands.map((c) => c.command)).toContain(`sendmail -bv postmaster@${relay.name}`);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('a wrong relay password fails the health check and the server is restored byte for byte', async () => {
    const before = await host.snapshot();
    const r = await cli(['relay', ...ssh('deploy'), ...relayArgs(), '--apply'], `${WRONG}\n`);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout + r.stderr).toMatch(/health/);
    expect(r.stdout + r.stderr).toMatch(/SASL authentication failed|authentication failed/);
    expect(r.stdout + r.stderr).not.toContain(WRONG);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    const left = await host.runAsRoot(`grep -rlF -e '${WRONG}' /etc /var/backups/homemail /var/spool/postfix /var/log 2>/dev/null; true`);
    expect(left.stdout.trim()).toBe('');
  });

  it('the right password (sudo password on the first stdin line, the relay\'s on the second) relays signed mail; the password never shows in ps', async () => {
    preRelay = await host.snapshot();
    const seen: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { stdout } = await promisify(execFile)('ps', ['-eo', 'args']);
        if (stdout.includes(relay.password)) seen.push(stdout.split('\n').find((l) => l.includes(relay.password)) ?? '');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const r = await cli(['relay', ...ssh('admin'), ...relayArgs(), '--apply'], `${host.users.admin.password ?? ''}\n${relay.password}\n`);
    watching = false;
    await watch;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(seen).toEqual([]);
    expect(r.stdout).not.toContain(relay.password);
    const json = JSON.parse(r.stdout) as { changed: boolean; backupId: string };
    expect(json.changed).toBe(true);
    const table = await host.runAsRoot('stat -c "%U %a" /etc/postfix/sasl_passwd /etc/postfix/sasl_passwd.db && postconf -h relayhost smtp_sasl_security_options smtp_tls_security_level');
    expect(table.stdout.split('\n').slice(0, 5)).toEqual(['root 600', 'root 600', `[${relay.name}]:587`, 'noanonymous', 'encrypt']);
    const backups = await host.runAsRoot(`grep -rlF -e '${relay.password}' /var/backups/homemail /var/log 2>/dev/null; true`);
    expect(backups.stdout.trim()).toBe('');

    // Mail to a domain the server does not deliver itself goes through the relay.
    const subject = `relay ${Date.now()}`;
    await host.sendmail({ from: 'admin@example.test', to: 'admin@example.org', subject, body: 'Through the ISP relay.' });
    const received = await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
    expect(received).toMatch(new RegExp(`Received: from ${host.hostname.replace(/\./g, '\\.')} [^\\n]*\\n\\s+by ${relay.name.replace(/\./g, '\\.')} \\(Postfix\\) with ESMTPSA`));
    const verified = await dkimVerify(received.replace(/^From .*\n/, ''), { resolver: (name, type) => dns.resolve(name, type) as Promise<string[][] | string[]> });
    expect(verified.results.map((v) => `${v.signingDomain ?? '?'} ${v.selector ?? '?'} ${v.status.result}`)).toEqual([`example.test ${SELECTOR} pass`]);

    // SPF: the relay's address fails until the records step merges the relay's include.
    const spfVerdict = async (): Promise<string> =>
      (await evaluateSpf({ sender: 'admin@example.test', ip: relay.address, helo: relay.name, mta: 'mx.example.org', resolver: (name: string, type: string) => dns.resolve(name, type) as Promise<string[] | string[][]> })).status.result;
    expect(await spfVerdict()).toBe('softfail'); // the published record ends ~all
    const records = await cli(['records', '--domain', 'example.test', '--ip', host.address, '--include', `_spf.${relay.name}`, '--dkim', `${SELECTOR}:${keyFile}`, '--resolver', resolver, '--format', 'json']);
    expect(records.code, records.stderr).toBe(0);
    const set = JSON.parse(records.stdout) as { records: { purpose: string; value: string }[]; spfLookups: number };
    const spf = set.records.find((rec) => rec.purpose === 'spf');
    expect(set.spfLookups).toBe(1); // the relay's include is the record's one DNS-querying term
    // Merged into what the domain publishes: its terms kept, the include added before the all.
    expect(spf?.value).toBe(`v=spf1 ip4:${host.address} include:_spf.${relay.name} ~all`);
    await host.setRecords('example.test', [...(await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `${SELECTOR}:${keyFile}`, '--format', 'zone'])).stdout.split('\n').filter((l) => l.includes('_domainkey')), `@ IN TXT "${spf?.value ?? ''}"`]);
    expect(await spfVerdict()).toBe('pass');

    // Applying the same relay again changes nothing.
    const again = await cli(['relay', ...ssh('deploy'), ...relayArgs(), '--apply'], `${relay.password}\n`);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { changed: boolean }).changed).toBe(false);
  });

  it('rollback takes the relay back byte for byte, and --remove is a plan of its own that leaves no password (table and .db deleted)', async () => {
    const applied = await cli(['relay', ...ssh('deploy'), ...relayArgs(), '--apply'], `${relay.password}\n`);
    // Already applied by the test before: unchanged, so the latest apply is still the relay's.
    expect((JSON.parse(applied.stdout) as { changed: boolean }).changed).toBe(false);
    const rolled = await cli(['rollback', ...ssh('deploy'), '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(host.diffSnapshots(preRelay, await host.snapshot())).toEqual([]);
    expect((await host.runAsRoot('postconf -h relayhost; test -e /etc/postfix/sasl_passwd || echo gone; test -e /etc/postfix/sasl_passwd.db || echo gone')).stdout.split('\n').slice(0, 3)).toEqual(['', 'gone', 'gone']);

    // Again, then removed by its own plan.
    expect((await cli(['relay', ...ssh('deploy'), ...relayArgs(), '--apply'], `${relay.password}\n`)).code).toBe(0);
    const removed = await cli(['relay', ...ssh('deploy'), '--remove', '--domain', 'example.test', '--apply', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    const state = await host.runAsRoot('postconf -h relayhost smtp_sasl_auth_enable smtp_tls_security_level; ls /etc/postfix | grep -c sasl_passwd');
    expect(state.stdout.split('\n').slice(0, 4)).toEqual(['', 'no', 'may', '0']);
  });
});
