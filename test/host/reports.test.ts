// homemail reports against the real test host: DMARC aggregate reports delivered by SMTP to
// the report address (plain XML, gzip, zip), found through DNS (rua) and /etc/aliases, read
// over SSH and summed per source; an XXE report and a zip bomb refused without harm.
import { gzipSync } from 'fflate';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../support/cli.js';
import type { ReportsResult } from '../../shared/reports.js';
import { packReport, reportXml, type FixtureReport, type Packing } from '../unit/reports/fixtures.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';
import { createAppHandlers } from '../../main/services/app.js';
import { createReportsHandlers } from '../../main/services/reports/handlers.js';
import { connectAdmin } from './session.js';
import { SessionStore } from '../../main/services/ssh/sessionStore.js';
import type { ReportsProgress } from '../../shared/contract/reports.js';
import { hostileMessage } from '../unit/reports/hostile.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
/** The report days: the three days before today (UTC). */
const day = (offset: number) => new Date(today + (offset - 3) * 86_400_000);

/** A report message's MIME headers and body, for submitSmtp (which writes From/To/Subject). */
function mimeParts(attachment: { filename: string; contentType: string; data: Uint8Array }): { headers: Record<string, string>; body: string } {
  const boundary = `=_homemail_${Math.random().toString(36).slice(2)}`;
  const inline = attachment.contentType === 'message/rfc822';
  const base64 = inline ? Buffer.from(attachment.data).toString('utf8').replace(/\r\n/g, '\n') : Buffer.from(attachment.data).toString('base64').replace(/.{76}/g, '$&\n');
  return {
    headers: { 'MIME-Version': '1.0', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
    body: [
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'This is a DMARC aggregate report.',
      `--${boundary}`,
      `Content-Type: ${attachment.contentType}; name="${attachment.filename}"`,
      `Content-Transfer-Encoding: ${inline ? '8bit' : 'base64'}`,
      `Content-Disposition: attachment; filename="${attachment.filename}"`,
      '',
      base64,
      `--${boundary}--`,
      '',
    ].join('\n'),
  };
}

async function deliver(host: TestHost, subject: string, attachment: { filename: string; contentType: string; data: Uint8Array }): Promise<void> {
  const { headers, body } = mimeParts(attachment);
  await host.submitSmtp({ from: 'noreply-dmarc@reporter.example', to: 'dmarc@example.test', subject, body, headers });
}

/** Waits until the mbox holds `count` messages: deliveries finish in any order, so the last one sent is no sign the others are in. */
async function waitForMbox(host: TestHost, path: string, count: number): Promise<void> {
  let held = 0;
  for (let wait = 0; wait < 120; wait++) {
    held = Number((await host.runAsRoot(`grep -c '^From ' ${path} 2>/dev/null || true`)).stdout.trim() || '0');
    if (held >= count) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(held).toBe(count);
}

async function reportsCli(host: TestHost, extra: string[] = []): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-reports-'));
  return runCliCaptured(
    ['reports', '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', ...extra],
    { stdin: `${host.users.admin.password}\n` },
  );
}

const reports: Array<FixtureReport & { packing: Packing }> = [
  { packing: 'xml', org: 'google.com', id: 'g-1', domain: 'example.test', begin: day(0), rows: [
    { ip: '127.0.0.1', count: 7 },
    { ip: '192.0.2.66', count: 3, dkim: 'fail', spf: 'fail' },
  ] },
  { packing: 'gzip', org: 'Yahoo', id: 'y-1', domain: 'example.test', begin: day(1), rows: [
    { ip: '127.0.0.1', count: 11 },
    { ip: '203.0.113.10', count: 2, dkim: 'pass', spf: 'fail' },
  ] },
  { packing: 'zip', org: 'Outlook.com', id: 'o-1', domain: 'example.test', begin: day(2), rows: [
    { ip: '127.0.0.1', count: 5 },
    { ip: '192.0.2.66', count: 4, dkim: 'fail', spf: 'fail', disposition: 'none' },
    { ip: '198.51.100.20', count: 1, dkim: 'pass', spf: 'fail', reason: 'forwarded' },
  ] },
];

describe.skipIf(skip !== null)(suite('homemail reports on the test host'), () => {
  let host: TestHost;
  let result: ReportsResult;
  let mailboxBefore: string;
  let configBefore: Awaited<ReturnType<TestHost['snapshot']>>;

  beforeAll(async () => {
    host = await resetHost('fresh');
    // The person's DNS and aliases, as the manual procedure sets them up.
    await host.setRecords('example.test', ['_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"', '@ IN TXT "v=spf1 mx ip4:203.0.113.10 -all"']);
    const alias = await host.runAsRoot("printf 'dmarc: admin\\n' >> /etc/aliases && newaliases");
    expect(alias.code).toBe(0);

    for (const r of reports) await deliver(host, `Report Domain: example.test Submitter: ${r.org} Report-ID: ${r.id}`, packReport(reportXml(r), r.packing, `${r.org}!example.test!${r.id}`));
    // The Google report again (receivers sometimes resend): counted once.
    await deliver(host, 'Report Domain: example.test Submitter: google.com Report-ID: g-1 (again)', packReport(reportXml(reports[0] as FixtureReport), 'gzip', 'again'));
    // XXE: an external entity pointing at /etc/shadow, and a "billion laughs" in a zip.
    const xxe = reportXml({ org: 'evil.example', id: 'x-1', domain: 'example.test', begin: day(1), rows: [{ ip: '192.0.2.99', count: 1000 }] })
      .replace('<?xml version="1.0" encoding="UTF-8" ?>', '<?xml version="1.0"?>\n<!DOCTYPE feedback [ <!ENTITY secret SYSTEM "file:///etc/shadow"> ]>')
      .replace('<org_name>evil.example</org_name>', '<org_name>&secret;</org_name>');
    await deliver(host, 'XXE report', packReport(xxe, 'xml', 'xxe'));
    // A gzip bomb: 48 MiB of zeros in about 48 KiB.
    await deliver(host, 'Oversized archive', { filename: 'bomb.xml.gz', contentType: 'application/gzip', data: gzipSync(new Uint8Array(48 * 1024 * 1024)) });
    await host.newestMessage('admin', { containing: 'Oversized archive', timeoutMs: 60_000 });
    await waitForMbox(host, '/var/mail/admin', reports.length + 3);
    // The SpamAssassin warning of the manual procedure, as amavis logs it.
    await host.runAsRoot(`logger -p mail.warning -t amavis 'Argument "1.20200513.1" isn'"'"'t numeric in numeric ge (>=) at /usr/share/perl5/Mail/SpamAssassin/Plugin/DKIM.pm line 686.'`);

    mailboxBefore = (await host.readFile('/var/mail/admin')).toString('base64');
    configBefore = await host.snapshot();
    const run = await reportsCli(host, ['--json', '--days', '3']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    result = JSON.parse(run.out) as ReportsResult;
  });

  it('finds the mailbox from the rua address through /etc/aliases', () => {
    expect(result.mailbox).toMatchObject({ address: 'dmarc@example.test', users: ['admin'], paths: [{ path: '/var/mail/admin', format: 'mbox' }] });
  });

  it('sums the plain, gzip and zip reports per source, each report once', () => {
    expect(result.reports).toBe(3);
    expect(result.duplicates).toBe(1);
    const bySource = Object.fromEntries(result.sources.map((s) => [s.sourceIp, s]));
    expect(bySource['127.0.0.1']).toMatchObject({ count: 23, dmarcPass: 23, dmarcFail: 0, kind: 'own', reverseName: 'mail.example.test' });
    expect(bySource['192.0.2.66']).toMatchObject({ count: 7, dmarcFail: 7, kind: 'forger' });
    expect(bySource['203.0.113.10']).toMatchObject({ count: 2, kind: 'own' });
    expect(bySource['198.51.100.20']).toMatchObject({ count: 1, kind: 'forwarder' });
    expect(result.sources.reduce((n, s) => n + s.count, 0)).toBe(33);
    expect(result.reporters.map((r) => [r.orgName, r.messages])).toEqual([
      ['google.com', 10],
      ['Outlook.com', 10],
      ['Yahoo', 13],
    ]);
    expect(result.timeline.map((d) => d.date)).toEqual([0, 1, 2].map((o) => day(o).toISOString().slice(0, 10)));
  });

  it('refuses the XXE report and the zip bomb without harm', () => {
    const reasons = result.skipped.map((s) => `${s.source}: ${s.reason}`).join('\n');
    expect(reasons).toMatch(/XXE report.*DOCTYPE or entities/);
    expect(reasons).toMatch(/Oversized archive.*zip bomb/);
    expect(result.sources.some((s) => s.sourceIp === '192.0.2.99')).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/root:[^:]*:\d+:/);
  });

  it('changes nothing on the server and takes three round trips', async () => {
    expect((await host.readFile('/var/mail/admin')).toString('base64')).toBe(mailboxBefore);
    expect(host.diffSnapshots(configBefore, await host.snapshot())).toEqual([]);
    expect(result.roundTrips).toBe(3);
  });

  it('suggests quarantine: own mail aligned for the whole period, only forgers failed', () => {
    expect(result.recommendation).toMatchObject({ domain: 'example.test', current: 'none', next: 'quarantine', key: 'ready' });
    expect(result.recommendation?.record).toEqual({ name: '_dmarc.example.test', value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test' });
  });

  it('finds the SpamAssassin DKIM warning in the mail log', () => {
    expect(result.knownIssues.map((i) => i.key)).toEqual(['spamassassinDkimVersion']);
    expect(result.knownIssues[0]?.fix).toMatch(/3\.4\.5/);
  });

  it('prints a readable table, and refuses a bad address before connecting', async () => {
    const text = await reportsCli(host, ['--days', '3']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/127\.0\.0\.1\s+23\s/);
    expect(text.out).toContain('Skipped:');
    const bad = await reportsCli(host, ['--address', 'not an address']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--address/);
  });
});

/** The real samples (test/fixtures/dmarc/parsedmarc: parsedmarc, Apache-2.0): report files attached, report messages forwarded as message/rfc822. */
function realSamples(): Array<{ filename: string; contentType: string; data: Uint8Array }> {
  const dir = new URL('../fixtures/dmarc/parsedmarc/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f !== 'LICENSE')
    .sort()
    .map((f) => {
      const data = readFileSync(new URL(encodeURIComponent(f).replaceAll('%21', '!'), dir));
      const name = f.replace(/[^A-Za-z0-9._!-]/g, '_');
      return f.endsWith('.eml') ? { filename: name, contentType: 'message/rfc822', data } : { filename: name, contentType: 'application/octet-stream', data };
    });
}

type Totals = Record<string, { count: number; pass: number; fail: number }>;
// Per domain and source: the samples are reports for several domains (example.com, example.de, …), each summed apart.
const totals = (r: ReportsResult): Totals => Object.fromEntries(r.sources.map((s) => [`${s.domain} ${s.sourceIp}`, { count: s.count, pass: s.dmarcPass, fail: s.dmarcFail }]));

describe.skipIf(skip !== null)(suite('reports: real samples as mbox and Maildir, and a hostile mailbox'), () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await resetHost('fresh');
    await host.setRecords('example.test', ['_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"']);
    const alias = await host.runAsRoot("printf 'dmarc: admin\\n' >> /etc/aliases && newaliases");
    expect(alias.code).toBe(0);
  });

  it('gives identical per-source totals from an mbox and from a Maildir of the same mail', async () => {
    const samples = realSamples();
    for (const [i, sample] of samples.entries()) await deliver(host, `sample ${i} ${sample.filename}`, sample);
    await host.newestMessage('admin', { containing: `sample ${samples.length - 1} `, timeoutMs: 60_000 });
    await waitForMbox(host, '/var/mail/admin', samples.length);
    const fromMbox = await reportsCli(host, ['--json', '--all']);
    expect(fromMbox.code, fromMbox.err).toBe(0);
    const mbox = JSON.parse(fromMbox.out) as ReportsResult;
    expect(mbox.mailbox.paths).toEqual([{ path: '/var/mail/admin', format: 'mbox' }]);
    // Without --domain, no source row mixes two domains' reports: the sums per domain equal its reporters' messages.
    const domains = [...new Set(mbox.reporters.map((r) => r.domain))];
    expect(domains.length).toBeGreaterThan(1);
    for (const domain of domains) {
      const summed = mbox.sources.filter((s) => s.domain === domain).reduce((n, s) => n + s.count, 0);
      expect(summed, domain).toBe(mbox.reporters.filter((r) => r.domain === domain).reduce((n, r) => n + r.messages, 0));
    }
    // With --domain, only that domain's reports are summed (they used to be mixed with every
    // other domain's in this mailbox), and one note says how many were left out.
    const fromOne = await reportsCli(host, ['--json', '--all', '--domain', 'example.com', '--address', 'dmarc@example.test']);
    expect(fromOne.code, fromOne.err).toBe(0);
    const one = JSON.parse(fromOne.out) as ReportsResult;
    expect(one.sources.length).toBeGreaterThan(0);
    expect(new Set(one.sources.map((s) => s.domain))).toEqual(new Set(['example.com']));
    expect(new Set(one.reporters.map((r) => r.domain))).toEqual(new Set(['example.com']));
    const ownMessages = mbox.reporters.filter((r) => r.domain === 'example.com').reduce((n, r) => n + r.messages, 0);
    expect(one.sources.reduce((n, s) => n + s.count, 0)).toBe(ownMessages);
    expect(ownMessages).toBeLessThan(mbox.sources.reduce((n, s) => n + s.count, 0));
    const leftOut = one.notes.filter((n) => n.code === 'otherDomains');
    expect(leftOut).toHaveLength(1);
    expect(leftOut[0]?.params).toMatchObject({ count: mbox.reports - one.reports, domain: 'example.com' });
    expect(String(leftOut[0]?.params?.domains)).toContain('example.de');

    const maildir = await host.runAsRoot('postconf -e home_mailbox=Maildir/ && postfix reload');
    expect(maildir.code, maildir.stderr).toBe(0);
    for (const [i, sample] of samples.entries()) await deliver(host, `sample ${i} ${sample.filename}`, sample);
    let delivered = 0;
    for (let wait = 0; wait < 120 && delivered < samples.length; wait++) {
      delivered = Number((await host.runAsRoot('ls /home/admin/Maildir/new 2>/dev/null | wc -l')).stdout.trim());
      if (delivered < samples.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect(delivered).toBe(samples.length);
    const fromMaildir = await reportsCli(host, ['--json', '--all']);
    expect(fromMaildir.code, fromMaildir.err).toBe(0);
    const dir = JSON.parse(fromMaildir.out) as ReportsResult;
    expect(dir.mailbox.paths).toEqual([{ path: '/home/admin/Maildir', format: 'maildir' }]);
    expect(dir.messagesRead).toBe(samples.length);

    expect(totals(dir)).toEqual(totals(mbox));
    expect(dir.reports).toBe(mbox.reports);
    // The real cases of issue 20 are all read: the empty org_name (2,286 rows), Mimecast's gzip, RFC 9990, TLS reports noted.
    expect(mbox.reporters.map((r) => r.orgName)).toEqual(expect.arrayContaining(['accurateplastics.com', 'Mimecast', 'example.net', 'ikea.com']));
    expect(mbox.sources.reduce((n, s) => n + s.count, 0)).toBeGreaterThan(2286);
    expect(mbox.notes.filter((n) => /TLS report/.test(n.reason)).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps answering other contract calls within 1 s while a hostile mailbox is read', async () => {
    for (let i = 0; i < 3; i++) {
      await host.submitSmtp({ from: 'x@evil.example', to: 'dmarc@example.test', subject: `hostile ${i}`, body: hostileMessage().split('\n\n').slice(1).join('\n\n'), headers: { 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="H"' } });
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const session = await connectAdmin(host);
    const store = new SessionStore();
    const sessionId = store.add(session);
    const deps = { door: 'web' as const, version: 'test', dataDir: mkdtempSync(path.join(tmpdir(), 'hm-data-')), now: () => new Date() };
    const reportsHandlers = createReportsHandlers(deps, store);
    const app = createAppHandlers(deps);
    const controller = new AbortController();
    const answers: number[] = [];
    let reading = true;
    const events: ReportsProgress[] = [];
    const started = performance.now();
    const read = reportsHandlers.readDmarcReports({ sessionId, period: { kind: 'all' } }, { signal: controller.signal, progress: (e: ReportsProgress) => events.push(e) }).finally(() => {
      reading = false;
    });
    while (reading) {
      const t0 = performance.now();
      await app.appInfo({}, { signal: controller.signal, progress: () => undefined });
      await new Promise((r) => setImmediate(r));
      answers.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    const result = await read;
    const seconds = (performance.now() - started) / 1000;
    await session.close();
    expect(answers.length).toBeGreaterThan(3);
    expect(Math.max(...answers)).toBeLessThan(1_000);
    expect(events.some((e) => e.kind === 'read')).toBe(true);
    expect(seconds).toBeLessThan(60);
    // The good reports of the first test are still read; the hostile messages are noted, not fatal.
    expect(result.reporters.map((r) => r.orgName)).toContain('Mimecast');
    expect(result.skipped.some((s) => /^hostile/.test(s.source))).toBe(true);
  });

  it('says where the reports go when the rua is a third party only, and how to add an address here (in Japanese)', async () => {
    // A real administrator's record: reports to a DMARC processing service at another domain.
    await host.setRecords('example.test', ['_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:re+abc123@example.org"']);
    // No dmarc alias either (else Homemail reads the alias it guesses, and says the rua goes elsewhere in a note).
    const unalias = await host.runAsRoot("sed -i '/^dmarc:/d' /etc/aliases && newaliases");
    expect(unalias.code, unalias.stderr).toBe(0);
    const env = { ...process.env, SSH_AUTH_SOCK: '', LANG: 'ja_JP.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-reports-'));
    const ssh = ['--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key'];
    const run = await runCliCaptured(['reports', ...ssh, '--all'], { stdin: `${host.users.admin.password}\n`, env });
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('example.test の DMARC レポートは re+abc123@example.org に送られていて、このサーバーには届きません。');
    expect(run.err).toContain('rua=mailto:re+abc123@example.org,mailto:dmarc@example.test');
    expect(run.err).toContain('--address');
    // The way out it names works: the address this server receives, given directly.
    const given = await runCliCaptured(['reports', ...ssh, '--all', '--json', '--address', 'admin@example.test'], { stdin: `${host.users.admin.password}\n`, env });
    expect(given.code, given.err).toBe(0);
    expect((JSON.parse(given.out) as ReportsResult).mailbox.address).toBe('admin@example.test');
  });
});
