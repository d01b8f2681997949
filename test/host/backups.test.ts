// The backups list (homemail rollback --list, the wizard's "Changes made" page) against the
// real test host: the single-key variant (the manual procedure's dead blocklists), changed by
// a real inbound apply, listed from /var/backups/homemail/, restored, listed again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../support/cli.js';
import type { BackupList } from '../../shared/backups.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

async function cli(host: TestHost, args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-backups-'));
  const [command = '', ...rest] = args;
  return runCliCaptured(
    [command, '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', ...rest],
    { stdin: `${host.users.admin.password}\n`, ...(env ? { env } : {}) },
  );
}

const list = async (host: TestHost): Promise<BackupList> => {
  const run = await cli(host, ['rollback', '--list', '--json']);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out) as BackupList;
};

describe.skipIf(skip !== null)(suite('backups on the test host'), () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await resetHost('single-key');
  });

  it('lists nothing on a server Homemail never changed', async () => {
    expect((await list(host)).backups).toEqual([]);
  });

  it('lists an apply with the diff a restore makes, restores it byte for byte, then lists it as restored', async () => {
    const paths = ['/etc/postfix/main.cf', '/etc/postfix/homemail_client_allow', '/etc/postfix/homemail_client_allow.cidr', '/etc/postfix'];
    const before = await host.snapshot(paths);
    const applied = await cli(host, ['inbound', '--remove-dead', '--hostname-rule', 'strict', '--allow', 'partner.example.test', '--apply', '--json']);
    expect(applied.err).toBe('');
    const backupId = (JSON.parse(applied.out) as { backupId: string }).backupId;

    const listed = await list(host);
    expect(listed.root).toBe('/var/backups/homemail');
    expect(listed.backups.map((b) => [b.id, b.state, b.restorable])).toEqual([[backupId, 'done', true]]);
    const [entry] = listed.backups;
    expect(entry?.startedAtMs).toBeGreaterThan(Date.now() - 10 * 60_000);
    const mainCf = entry?.files.find((f) => f.path === '/etc/postfix/main.cf');
    expect(mainCf?.action).toBe('restore');
    // From now (dead lists gone) back to the manual procedure's line.
    expect(mainCf?.diff).toContain('+smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp');
    expect(entry?.files.find((f) => f.path === '/etc/postfix/homemail_client_allow')).toMatchObject({ action: 'remove', diff: expect.stringContaining('-/^partner\\.example\\.test$/ DUNNO') });

    const restored = await cli(host, ['rollback', '--backup', backupId]);
    expect(restored.code).toBe(0);
    expect(host.diffSnapshots(before, await host.snapshot(paths))).toEqual([]);

    const after = await list(host);
    expect(after.backups.map((b) => [b.id, b.state, b.restorable])).toEqual([[backupId, 'restored', false]]);
    expect(after.backups[0]?.files.every((f) => f.diff === '')).toBe(true);

    // Restoring it again is refused: the server says why as a code, each door says it in its language.
    const again = await cli(host, ['rollback', '--backup', backupId], { LANG: 'ja_JP.UTF-8' });
    expect(again.code).toBe(1);
    expect(again.err).toContain(`復元できません: バックアップ ${backupId} はすでに復元済みです。`);
    const missing = await cli(host, ['rollback', '--backup', '20200101-000000-ffffff', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'Nothing to restore: there is no backup 20200101-000000-ffffff on the server.', sentence: { key: 'nothingToRestore', params: { reason: 'backupNotFound', id: '20200101-000000-ffffff' } } },
    });
  });

  it('never sends a file only its owner may read', async () => {
    await host.runAsRoot('mkdir -p /var/backups/homemail/20200101-000000-abcdef/files && cd /var/backups/homemail/20200101-000000-abcdef && printf "BEGIN 1577836800\\nSTATE done 1577836801\\n" > journal && printf "secret\\n" > files/1 && chmod 600 files/1 && printf "file %s 1 1\\n" "$(printf /etc/dkimkeys/old.private | base64)" > manifest');
    const listed = await list(host);
    const old = listed.backups.find((b) => b.id === '20200101-000000-abcdef');
    expect(old).toMatchObject({ state: 'done', startedAtMs: 1577836800000, files: [{ path: '/etc/dkimkeys/old.private', action: 'restore', diff: null }] });
    expect(JSON.stringify(listed)).not.toContain('secret');
    expect(listed.backups[0]?.id).not.toBe('20200101-000000-abcdef');
  });

  it('a restore whose service command fails says so with what the service printed, in Japanese', async () => {
    // A finished apply whose one recorded service command fails (as a service that will not start does).
    const id = '20200202-000000-abcdef';
    const command = ['sh', '-c', 'echo "postfix/master: fatal: bind 0.0.0.0 port 25: Address already in use" >&2; exit 1'].map((w) => Buffer.from(w).toString('base64')).join(' ');
    const made = await host.runAsRoot(
      `mkdir -p /var/backups/homemail/${id} && cd /var/backups/homemail/${id} && printf "BEGIN 1580601600\\nSTATE done 1580601601\\n" > journal && : > manifest && printf "%s - %s\\n" "$(printf restart | base64)" "${command}" > rollback-commands`,
    );
    expect(made.code, made.stderr).toBe(0);
    const failed = await cli(host, ['rollback', '--backup', id], { LANG: 'ja_JP.UTF-8' });
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(`バックアップ ${id} の復元に失敗しました: 一部のファイルまたはサービスを元に戻せませんでした: postfix/master: fatal: bind 0.0.0.0 port 25: Address already in use`);
    await host.runAsRoot(`rm -rf /var/backups/homemail/${id}`);
  });
});
