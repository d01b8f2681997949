// homemail watch --once against the test host: two runs around a DKIM record replaced in the
// test DNS (nsd) and a dead blocklist added to main.cf report exactly those two changes for
// the worse and exit 1; DMARC reports delivered by Postfix to the rua mailbox before each run
// are stored once each, and each run reads only the mail that arrived since the last one (what
// crossed SSH is counted where the session hands it back); homemail status shows it all. The DKIM keys are opendkim-genkey output
// (test/unit/records/fixtures/opendkim-genkey), the reports are built by
// test/unit/reports/fixtures.ts; the login is deploy's key (no prompt), so the server checks run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SshSession } from '../../main/services/ssh/session.js';
import type { StreamExecOptions } from '../../main/services/ssh/types.js';
import type { WatchRunResult, WatchStatus } from '../../shared/watch.js';
import { runCliCaptured } from '../support/cli.js';
import { packReport, reportMessage, reportXml } from '../unit/reports/fixtures.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const keyOf = (file: string) =>
  /p=([A-Za-z0-9+/=" \t\n]+)\)/.exec(readFileSync(new URL(`../unit/records/fixtures/opendkim-genkey/${file}`, import.meta.url), 'utf8'))?.[1]?.replace(/[" \t\n]/g, '') ?? '';

/** A DKIM TXT record as a zone line, split into 255-byte strings. */
function dkimLine(selector: string, key: string): string {
  const value = `v=DKIM1; k=rsa; p=${key}`;
  const parts = value.match(/.{1,250}/g) ?? [];
  return `${selector}._domainkey IN TXT ${parts.map((p) => `"${p}"`).join(' ')}`;
}

const dmarcRecord = '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"';

/** A DMARC aggregate report mailed to the rua address through the server's sendmail; waits until it is in the mailbox. */
async function deliverReport(host: TestHost, id: string, day: number, rows: Array<{ ip: string; count: number }>, expectMessages: number): Promise<void> {
  const begin = new Date(Date.UTC(2026, 10, 20 + day));
  const xml = reportXml({ org: 'reporter.example', id, domain: host.domain, begin, rows });
  const message = reportMessage({ from: 'noreply-dmarc@reporter.example', to: 'dmarc@example.test', subject: `Report Domain: example.test Report-ID: ${id}`, attachment: packReport(xml, 'gzip', id) });
  const sent = await host.runAsRoot('/usr/sbin/sendmail -oi -f noreply-dmarc@reporter.example dmarc@example.test', { stdin: message });
  expect(sent.code).toBe(0);
  for (let wait = 0; wait < 60; wait += 1) {
    const count = Number((await host.runAsRoot("grep -c '^From ' /var/mail/admin 2>/dev/null || true")).stdout.trim() || '0');
    if (count >= expectMessages) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`report ${id} was not delivered to /var/mail/admin`);
}

/** What the read script sent over SSH at each run: the whole output, and the messages it sent or only named as read. */
const mailReads: string[] = [];
const sent = (out: string) => ({
  messages: [...out.matchAll(/^HOMEMAIL-[0-9a-f]{24} message ([0-9]+) /gm)].map((m) => Number(m[1])),
  named: (out.match(/^HOMEMAIL-[0-9a-f]{24} seen /gm) ?? []).length,
  bytes: Buffer.byteLength(out),
});

describe.skipIf(skip !== null)(suite('homemail watch on the test host'), () => {
  let host: TestHost;
  let env: NodeJS.ProcessEnv;
  const execStream = SshSession.prototype.execStream;
  // Counted at the SSH layer: each mailbox read's standard output as the session received it
  // (the reader streams it, so the pieces handed on are joined here).
  vi.spyOn(SshSession.prototype, 'execStream').mockImplementation(async function (this: SshSession, line: string, options: StreamExecOptions) {
    let received = '';
    const result = await execStream.call(this, line, {
      ...options,
      onStdout: (text: string) => {
        received += text;
        return options.onStdout(text);
      },
    });
    if (/^HOMEMAIL-[0-9a-f]{24} total [0-9]+$/m.test(received)) mailReads.push(received);
    return result;
  });
  afterAll(() => vi.restoreAllMocks());

  const watch = (args: string[]) => runCliCaptured(['watch', '--once', ...args, '--json'], { env });

  beforeAll(async () => {
    host = await resetHost('fresh');
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-watch-'));
    env = { ...process.env, SSH_AUTH_SOCK: '', HOMEMAIL_DATA_DIR: path.join(dir, 'data'), HOMEMAIL_HISTORY_DIR: path.join(dir, 'history') };
    await host.setRecords('example.test', [dkimLine('watch', keyOf('sel2048.txt')), dmarcRecord]);
    // The report address delivers to admin's mailbox, as the manual procedure's /etc/aliases does.
    expect((await host.runAsRoot("printf 'dmarc: admin\\n' >> /etc/aliases && newaliases")).code).toBe(0);
    await deliverReport(host, 'w-1', 0, [{ ip: host.address, count: 12 }], 1);
    const setup = await host.runAsRoot(`postconf -e 'smtpd_client_restrictions = permit_mynetworks, permit'`);
    expect(setup.code).toBe(0);
  });

  it('reports exactly the DKIM record replaced and the dead blocklist added, and exits 1', async () => {
    const first = await watch([
      '--domain', host.domain,
      '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', host.users.deploy.keyPath, '--accept-new-host-key',
      '--selector', 'watch',
      '--ip', host.address,
      '--resolver', `${host.dns.address}:${host.dns.port}`,
    ]);
    expect(first.err).toBe('');
    const firstResult = JSON.parse(first.out) as WatchRunResult;
    expect(firstResult.targets.map((t) => [t.domain, t.failed, t.skipped, t.changes])).toEqual([[host.domain, null, [], []]]);
    expect(first.code).toBe(0);

    // The changes: a new key published at the same selector, a list that no longer exists.
    await host.setRecords('example.test', [dkimLine('watch', keyOf('sel3072.txt')), dmarcRecord]);
    await deliverReport(host, 'w-2', 1, [{ ip: host.address, count: 8 }], 2);
    const edit = await host.runAsRoot(`postconf -e 'smtpd_client_restrictions = permit_mynetworks, reject_rbl_client dead-bl.example.test, permit'`);
    expect(edit.code).toBe(0);

    const mailbox = Number((await host.runAsRoot('wc -c < /var/mail/admin')).stdout.trim());
    // No target given: every saved one.
    const second = await watch([]);
    expect(second.err).toBe('');
    const result = JSON.parse(second.out) as WatchRunResult;
    expect(second.code).toBe(1);
    expect(result.worse).toBe(true);
    const target = result.targets[0];
    expect(result.targets).toHaveLength(1);
    expect(target?.failed).toBeNull();
    expect(target?.changes.filter((c) => c.severity === 'worse').map((c) => [c.kind, c.subject])).toEqual([
      ['dkim-changed', 'dkim:watch'],
      ['inbound-blocklist-broken', 'inbound.blocklist:dead-bl.example.test'],
    ]);
    expect(target?.changes.filter((c) => c.severity !== 'worse')).toEqual([]);
    expect(target?.changes[0]?.after).toContain(keyOf('sel3072.txt'));

    // A third run with nothing changed: nothing to report, exit 0.
    const third = await watch([]);
    expect(JSON.parse(third.out) as WatchRunResult).toMatchObject({ worse: false, targets: [{ changes: [] }] });
    expect(third.code).toBe(0);

    // The mail read at each run: w-1, then only w-2 (w-1 named as read, its body not sent), then nothing.
    expect(mailReads).toHaveLength(3);
    const [one, two, three] = mailReads.map((out) => sent(out));
    expect([one?.messages.length, one?.named]).toEqual([1, 0]);
    expect([two?.messages.length, two?.named]).toEqual([1, 1]);
    expect([three?.messages.length, three?.named]).toEqual([0, 2]);
    expect(mailReads[0]).toContain('Report-ID: w-1');
    expect(mailReads[1]).toContain('Report-ID: w-2');
    expect(mailReads[1]).not.toContain('Report-ID: w-1');
    // The second run's bytes: the new message and a few lines around it, well under the mailbox.
    const newMessage = two?.messages[0] ?? 0;
    expect(newMessage).toBeGreaterThan(500);
    expect((two?.bytes ?? 0) - newMessage).toBeLessThan(1024);
    expect(two?.bytes).toBeLessThan(mailbox);
    expect(three?.bytes).toBeLessThan(1024);
    console.log(`watch host test: mail read over SSH per run (bytes): ${mailReads.map((out) => Buffer.byteLength(out)).join(', ')}; mailbox before the second run ${mailbox} bytes`);
  });

  it('homemail status shows the state, the server by host key, and the last run\'s changes', async () => {
    const status = await runCliCaptured(['status', '--json'], { env });
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.out) as WatchStatus;
    const target = parsed.targets.find((t) => t.domain === host.domain);
    expect(target?.runs).toBe(9);
    expect(target?.server?.hostKeyFingerprint).toMatch(/^SHA256:/);
    expect((await host.hostKeyFingerprints())).toContain(target?.server?.hostKeyFingerprint);
    // Each report stored once, though the mailbox was read at each of the three runs.
    expect(target?.trends).toMatchObject({
      reports: 2,
      rows: 2,
      daily: [
        { date: '2026-11-20', pass: 12, fail: 0 },
        { date: '2026-11-21', pass: 8, fail: 0 },
      ],
      reporters: [{ orgName: 'reporter.example', pass: 20, fail: 0 }],
      sources: [{ sourceIp: host.address, count: 20, fail: 0 }],
    });
    expect(target?.latest.map((r) => r.kind).sort()).toEqual(['inbound', 'send-test', 'verify']);
    const dkim = target?.latest.find((r) => r.kind === 'verify')?.checks.find((c) => c.checkId === 'dkim:watch');
    expect(dkim?.values.record).toContain(keyOf('sel3072.txt'));
    const text = await runCliCaptured(['status'], { env });
    expect(text.out).toContain(`${host.domain} on ${host.sshHost}:${host.sshPort}`);
    expect(text.out).toContain('inbound (');
  });
});
