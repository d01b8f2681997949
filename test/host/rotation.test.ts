// DKIM key rotation against the real test host: real SSH, Postfix, OpenDKIM and the test DNS
// (nsd), records published with hostctl's dns-set as a person would publish them. Every CLI
// call logs in anew, so each step continues from a fresh SSH session (state from the server).
// Mail is verified with mailauth, an independent verifier, through the test DNS.
import { Resolver } from 'node:dns/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dkimVerify, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDkimValue } from '../../shared/records/txt.js';
import type { RotationStatus } from '../../shared/rotation.js';
import { runCliIn, type CliRun } from './cli.js';
import { englishSentences } from '../support/englishSentences.js';
import { CONFIG_PATHS, hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-rotation-host-'));
const OLD = 'hm1';
const NEW = '202611r';
const cli = (argv: string[], stdin = ''): Promise<CliRun> => runCliIn(work, argv, stdin);
const WATCHED = [...CONFIG_PATHS, '/var/lib/homemail'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

function sshArgs(host: TestHost, user: 'deploy' | 'admin'): string[] {
  const u = host.users[user];
  return ['--ssh', `${user}@${host.sshHost}:${host.sshPort}`, '-i', u.keyPath, '--known-hosts', host.knownHostsPath, ...(user === 'admin' ? ['--password-stdin'] : [])];
}

interface RotateJson {
  changed: boolean;
  steps: string[];
  backupId: string | null;
  step: string | null;
  next: string | null;
  earliest: string | null;
  record: { name: string; type: string; value: string } | null;
  revokeRecord: { name: string; type: string; value: string } | null;
  status: RotationStatus;
}

async function rotate(host: TestHost, action: string, extra: string[] = [], user: 'deploy' | 'admin' = 'deploy'): Promise<{ code: number; json: RotateJson; stderr: string; stdout: string }> {
  const r = await cli(['rotate', action, ...sshArgs(host, user), '--domain', 'example.test', '--resolver', `${host.dns.address}:${host.dns.port}`, '--json', ...extra], user === 'admin' ? `${host.users.admin.password ?? ''}\n` : '');
  let json = {} as RotateJson;
  try {
    json = JSON.parse(r.stdout || '{}') as RotateJson;
  } catch {
    // not JSON: the assertion on code shows stderr
  }
  return { code: r.code, json, stderr: r.stderr, stdout: r.stdout };
}

const zoneLine = (record: { name: string; value: string }): string => `${record.name}. IN TXT ${splitDkimValue(record.value).map((s) => `"${s}"`).join(' ')}`;

function resolverFor(host: TestHost): DNSResolver {
  const dns = new Resolver({ timeout: 2000, tries: 2 });
  dns.setServers([`${host.dns.address}:${host.dns.port}`]);
  return (name, type) => dns.resolve(name, type) as Promise<string[][] | string[]>;
}

async function sendSigned(host: TestHost, label: string): Promise<string> {
  const subject = `rotation ${label} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: `Sent ${label}.` });
  return (await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 })).replace(/^From .*\n/, '');
}

async function verified(host: TestHost, message: string): Promise<Array<{ selector: string; result: string; comment: string }>> {
  const result = await dkimVerify(message, { resolver: resolverFor(host) });
  return result.results.map((r) => ({ selector: r.selector ?? '?', result: r.status.result, comment: r.status.comment ?? '' }));
}

/** Signing with hm1 set up the ordinary way: keygen (once per run), publish, apply. */
async function signWithOldKey(host: TestHost): Promise<string> {
  if (!existsSync(path.join(work, 'keys', `${OLD}.private`))) {
    const keygen = await cli(['keygen', '--domain', 'example.test', '--selector', OLD, '--out', 'keys']);
    expect(keygen.code, keygen.stderr).toBe(0);
  }
  const records = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `${OLD}:keys/${OLD}.private`, '--format', 'zone']);
  const line = records.stdout.split('\n').filter((l) => l.includes('_domainkey')).join('\n');
  await host.setRecords('example.test', [line]);
  const apply = await cli(['apply', ...sshArgs(host, 'deploy'), '--domain', 'example.test', '--dkim', `${OLD}:keys/${OLD}.private`, '--resolver', `${host.dns.address}:${host.dns.port}`, '--json']);
  expect(apply.code, apply.stderr).toBe(0);
  return line;
}

describe.skipIf(skip !== null)(suite('a full key rotation on the fresh variant'), () => {
  let host: TestHost;
  let oldRecord: string;
  let newRecord: string;
  let signedBefore: string;

  beforeAll(async () => {
    host = await resetHost('fresh');
    oldRecord = await signWithOldKey(host);
  }, 300_000);

  it('start (Prepare) writes the new key beside the old one and the state, root-only, with no key material; again it changes nothing', async () => {
    const r = await rotate(host, 'start', ['--selector', NEW, '--overlap-days', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.changed).toBe(true);
    expect(r.json.record?.name).toBe(`${NEW}._domainkey.example.test`);
    expect(r.json.record?.type).toBe('TXT');
    expect(r.json.record?.value).toMatch(/^v=DKIM1; h=sha256; k=rsa; p=MIIBIjAN/);
    expect(r.json.next).toBe('publish');
    expect(r.json.status.overlapShortened).toBe(true);
    const key = await host.runAsRoot(`stat -c '%U %G %a' /etc/dkimkeys/${NEW}.private && stat -c '%U %G %a' /var/lib/homemail/rotation.json /var/lib/homemail`);
    expect(key.stdout.trim().split('\n')).toEqual(['opendkim opendkim 600', 'root root 600', 'root root 700']);
    const state = (await host.readFile('/var/lib/homemail/rotation.json')).toString('utf8');
    expect(state).not.toMatch(/PRIVATE KEY/);
    expect(JSON.parse(state).rotations['example.test'].done).toBe('prepare');
    const signing = (await host.readFile('/etc/opendkim/signing.table')).toString('utf8');
    expect(signing).toContain(`${OLD}._domainkey.example.test`);
    expect(signing).not.toContain(NEW);
    newRecord = zoneLine(r.json.record as { name: string; value: string });

    const before = await host.snapshot(WATCHED);
    const again = await rotate(host, 'start', ['--selector', NEW, '--overlap-days', '0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.changed).toBe(false);
    expect(host.diffSnapshots(before, await host.snapshot(WATCHED))).toEqual([]);
  });

  it('Publish refuses (exit 1) while the new record is not in DNS, then completes once it is', async () => {
    const refused = await rotate(host, 'continue');
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/not visible/);
    signedBefore = await sendSigned(host, 'before the switch');
    await host.setRecords('example.test', [oldRecord, newRecord]);
    const r = await rotate(host, 'continue', [], 'admin');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps).toEqual(['publish']);
    expect(r.json.next).toBe('switch');
  });

  it('Switch refuses while the new record is not visible, and changes nothing', async () => {
    await host.setRecords('example.test', [oldRecord]);
    const before = await host.snapshot(WATCHED);
    const r = await rotate(host, 'continue');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/Not switched/);
    expect(host.diffSnapshots(before, await host.snapshot(WATCHED))).toEqual([]);
    await host.setRecords('example.test', [oldRecord, newRecord]);
  });

  it('Switch signs with the new key only; mail signed before and after both verify during the overlap', async () => {
    const r = await rotate(host, 'continue', [], 'admin');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps).toEqual(['switch']);
    expect(r.json.backupId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(r.json.next).toBe('overlap');
    const after = await sendSigned(host, 'after the switch');
    expect(await verified(host, after)).toEqual([expect.objectContaining({ selector: NEW, result: 'pass' })]);
    expect(await verified(host, signedBefore)).toEqual([expect.objectContaining({ selector: OLD, result: 'pass' })]);
    const key = await host.runAsRoot(`test -f /etc/dkimkeys/${OLD}.private && echo kept`);
    expect(key.stdout.trim()).toBe('kept');
  });

  it('a step asked for again changes nothing the second time', async () => {
    const before = await host.snapshot(WATCHED);
    for (const step of ['prepare', 'publish', 'switch']) {
      const r = await rotate(host, 'continue', ['--step', step]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.changed).toBe(false);
    }
    expect(host.diffSnapshots(before, await host.snapshot(WATCHED))).toEqual([]);
    const later = await rotate(host, 'continue', ['--step', 'revoke']);
    expect(later.code).toBe(2);
    // The same runs as text under LANG=ja_JP.UTF-8: the notes and the refusal from the catalogs.
    const args = ['rotate', 'continue', ...sshArgs(host, 'deploy'), '--domain', 'example.test', '--resolver', `${host.dns.address}:${host.dns.port}`];
    const again = await runCliIn(work, [...args, '--step', 'switch'], '', { LANG: 'ja_JP.UTF-8' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('段階「切り替え」はすでに終わっています。何も変更していません。');
    expect(englishSentences(again.stdout)).toEqual([]);
    const early = await runCliIn(work, [...args, '--step', 'revoke'], '', { LANG: 'ja_JP.UTF-8' });
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('--step: 段階「失効」はまだ先です。先に「重複期間」を行ってください。');
    expect(englishSentences(early.stderr)).toEqual([]);
  });

  it('undo of Switch signs with the old key again; continue switches back', async () => {
    const undo = await rotate(host, 'undo');
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.json.next).toBe('switch');
    expect(await verified(host, await sendSigned(host, 'after undo'))).toEqual([expect.objectContaining({ selector: OLD, result: 'pass' })]);
    const again = await rotate(host, 'continue');
    expect(again.code, again.stderr).toBe(0);
    expect(await verified(host, await sendSigned(host, 'switched again'))).toEqual([expect.objectContaining({ selector: NEW, result: 'pass' })]);
  });

  it('status from a fresh session shows the step, the next one and its earliest date', async () => {
    const r = await rotate(host, 'status', [], 'admin');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.step).toBe('switch');
    expect(r.json.next).toBe('overlap');
    expect(Date.parse(r.json.earliest ?? '')).toBeLessThanOrEqual(Date.now());
    expect(r.json.status.state?.overlapDays).toBe(0);
  });

  it('Overlap, then Revoke once the old record has an empty p=: the old signature fails as revoked, the new one passes', async () => {
    const overlap = await rotate(host, 'continue');
    expect(overlap.code, overlap.stderr).toBe(0);
    expect(overlap.json.next).toBe('revoke');
    const notYet = await rotate(host, 'continue');
    expect(notYet.code).toBe(1);
    expect(notYet.stdout + notYet.stderr).toMatch(/Not revoked yet/);
    await host.setRecords('example.test', [zoneLine(overlap.json.revokeRecord as { name: string; value: string }), newRecord]);
    const r = await rotate(host, 'continue');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps).toEqual(['revoke']);
    const old = await verified(host, signedBefore);
    expect(old).toHaveLength(1);
    expect(old[0]?.result).not.toBe('pass');
    expect(old[0]?.comment).toMatch(/key|revoked|invalid/i);
    expect(await verified(host, await sendSigned(host, 'after revoke'))).toEqual([expect.objectContaining({ selector: NEW, result: 'pass' })]);
  });

  it('Remove deletes the old key file; rollback restores it; Remove again changes nothing the second time', async () => {
    const keyBefore = await host.runAsRoot(`sha256sum < /etc/dkimkeys/${OLD}.private && stat -c '%U %G %a' /etc/dkimkeys/${OLD}.private`);
    const r = await rotate(host, 'continue');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps).toEqual(['remove']);
    expect(r.json.next).toBeNull();
    const gone = await host.runAsRoot(`test -e /etc/dkimkeys/${OLD}.private && echo present || echo absent`);
    expect(gone.stdout.trim()).toBe('absent');
    expect((await host.readFile('/etc/opendkim/key.table')).toString('utf8')).not.toContain(`${OLD}._domainkey`);
    expect(await verified(host, await sendSigned(host, 'after remove'))).toEqual([expect.objectContaining({ selector: NEW, result: 'pass' })]);
    const undo = await rotate(host, 'undo');
    expect(undo.code).toBe(1);

    const rollback = await cli(['rollback', ...sshArgs(host, 'deploy'), '--backup', r.json.backupId ?? '', '--json']);
    expect(rollback.code, rollback.stderr).toBe(0);
    const keyAfter = await host.runAsRoot(`sha256sum < /etc/dkimkeys/${OLD}.private && stat -c '%U %G %a' /etc/dkimkeys/${OLD}.private`);
    expect(keyAfter.stdout).toBe(keyBefore.stdout);
    const status = await rotate(host, 'status');
    expect(status.json.next).toBe('remove');

    const again = await rotate(host, 'continue');
    expect(again.code, again.stderr).toBe(0);
    const before = await host.snapshot(WATCHED);
    const twice = await rotate(host, 'continue', ['--step', 'remove']);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.json.changed).toBe(false);
    expect(host.diffSnapshots(before, await host.snapshot(WATCHED))).toEqual([]);
  });
});

describe.skipIf(skip !== null)(suite('rotation of the manual procedure\'s single key (postfix, 1024 bits)'), () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await resetHost('single-key');
  }, 300_000);

  it('after Switch, mail is signed by the new 2048-bit selector only', async () => {
    const start = await rotate(host, 'start', ['--overlap-days', '0']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.json.status.state?.old).toMatchObject({ selector: 'postfix', bits: 1024, keyPath: '/etc/dkimkeys/postfix.private' });
    expect(start.json.status.state?.new).toMatchObject({ type: 'rsa', bits: 2048 });
    expect(start.json.status.state?.new.selector).toMatch(/^\d{6}[a-z]?$/);
    await host.setRecords('example.test', [zoneLine(start.json.record as { name: string; value: string })]);
    expect((await rotate(host, 'continue')).code).toBe(0);
    const sw = await rotate(host, 'continue');
    expect(sw.code, sw.stderr).toBe(0);
    const message = await sendSigned(host, 'single-key after switch');
    const results = await verified(host, message);
    expect(results).toEqual([expect.objectContaining({ selector: start.json.status.state?.new.selector, result: 'pass' })]);
    expect(message).not.toMatch(/s=postfix;/);
  });
});

describe.skipIf(skip !== null)(suite('an emergency rotation (a leaked key)'), () => {
  let host: TestHost;
  let oldRecord: string;

  beforeAll(async () => {
    host = await resetHost('fresh');
    oldRecord = await signWithOldKey(host);
  }, 300_000);

  it('switches as soon as the new record is visible, with no overlap, and waits for the revocation', async () => {
    const start = await rotate(host, 'start', ['--emergency']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.json.status.state).toMatchObject({ emergency: true, overlapDays: 0 });
    expect(start.json.status.overlapShortened).toBe(true);
    await host.setRecords('example.test', [oldRecord, zoneLine(start.json.record as { name: string; value: string })]);
    const r = await rotate(host, 'continue');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps).toEqual(['publish', 'switch', 'overlap']);
    expect(r.json.next).toBe('revoke');
    const selector = start.json.status.state?.new.selector ?? '';
    expect(await verified(host, await sendSigned(host, 'emergency'))).toEqual([expect.objectContaining({ selector, result: 'pass' })]);
    const notYet = await rotate(host, 'continue');
    expect(notYet.code).toBe(1);
  });
});
