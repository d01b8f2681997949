// homemail outbound against the real test host: port 25 open (the host's own smtpd), blocked
// (a reset or a silent 25 while 587 greets, listeners in outboundWorld.ts) and cannot tell (the
// test DNS refuses gmail.com); the public address from a DNS echo stand-in, the stand-in zen
// zone's PBL answer and refusal, reverse names; smtpd's certificate: Debian's snake-oil, and
// test-CA certificates for the right name, a wrong name, 5 days left, and a missing intermediate.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundReport } from '../../shared/outbound.js';
import { checkRequirements } from '../../main/services/outbound/checkRequirements.js';
import { checkOutbound } from '../../main/services/outbound/outbound.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import { runCliCaptured } from '../support/cli.js';
import { echoFor, PBL_IPV6, smtpdListenVariant, startOutboundWorld, type OutboundWorld } from './outboundWorld.js';
import { connectAdmin } from './session.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

describe.skipIf(skip !== null)(suite('homemail outbound on the test host'), () => {
  let host: TestHost;
  let world: OutboundWorld;
  let session: SshSession;

  beforeAll(async () => {
    host = await resetHost('fresh');
    world = await startOutboundWorld(host, ['example.test. 60 IN TXT "v=spf1 mx -all"']);
    session = await connectAdmin(host);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await world?.close();
  });

  const check = (probeDomain: string, echo: Parameters<typeof echoFor>[1] = 'whoami-own') =>
    checkOutbound(session, { probeDomain, echoes: echoFor(host, echo), seconds: 3, mailDomain: 'example.test' });
  const status = (report: OutboundReport, id: string) => report.checks.find((c) => c.id === id)?.status;

  it('open: the host\'s own smtpd greets on 25; names agree with the public address; one round trip', async () => {
    const before = await host.snapshot();
    const report = await check('open.example.test');
    expect(report.port25Probe).toMatchObject({ status: 'open', host: 'mail.example.test', address: '127.0.0.1' });
    expect(report.port25Probe.port25.banner).toMatch(/^220 /);
    expect(report.publicAddress).toBe('127.0.0.1');
    expect(report.reverseName).toMatchObject({ names: ['mail.example.test'], generic: false, forwardConfirmed: true, myhostname: 'mail.example.test', myhostnameMatches: true, heloMatches: true });
    expect(status(report, 'names.myhostname')).toBe('pass');
    expect(status(report, 'ptr:127.0.0.1')).toBe('pass');
    // The stand-in zen lists its test entry and not 127.0.0.1.
    expect(report.policyListed).toMatchObject({ status: 'not-listed', zone: 'zen.spamhaus.org' });
    // postconf -x names every setting, so Postfix's defaults show (smtp_sasl_security_options).
    expect(report.relay).toEqual({ relayhost: null, saslEnabled: false, saslPasswordMaps: null, saslSecurityOptions: 'noplaintext, noanonymous', senderDependentRelayhostMaps: null });
    expect(report.roundTrips).toBe(1);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('blocked: 25 is reset while 587 on the same host greets', async () => {
    const report = await check('blocked.example.test');
    expect(report.port25Probe).toMatchObject({ status: 'blocked', host: 'mx.blocked.example.test', address: '127.0.0.66' });
    expect(report.port25Probe.port25.result).toBe('refused');
    expect(report.port25Probe.port587.result).toBe('banner');
    expect(status(report, 'port25')).toBe('fail');
    expect(status(report, 'relay')).toBe('fail');
    expect(report.ok).toBe(false);
  });

  it('blocked: 25 accepts and never greets while 587 greets', async () => {
    const report = await check('silent.example.test');
    expect(report.port25).toBe('blocked');
    expect(['silent', 'timeout']).toContain(report.port25Probe.port25.result);
  });

  it('cannot tell: the server\'s resolver has no answer for gmail.com (no DNS)', async () => {
    const report = await checkOutbound(session, { echoes: echoFor(host, 'whoami-own'), seconds: 3 });
    expect(report.port25).toBe('unknown');
    expect(report.port25Probe.probeDomain).toBe('gmail.com');
    expect(report.port25Probe.reason).toBe('no-mx:REFUSED');
    expect(status(report, 'port25')).toBe('unknown');
  });

  it('a PBL-listed address with a generic reverse name, and a refusal read as "cannot tell"', async () => {
    const listed = await check('open.example.test', 'whoami-pbl');
    expect(listed.publicAddress).toBe('127.0.0.44');
    expect(listed.policyListed).toMatchObject({ status: 'listed', answers: ['127.0.0.10'] });
    expect(status(listed, 'policy')).toBe('fail');
    expect(listed.reverseName).toMatchObject({ names: ['p44-ipngn0101.dynamic.example.test'], generic: true, forwardConfirmed: true, myhostnameMatches: false });
    expect(status(listed, 'reverse.generic:p44-ipngn0101.dynamic.example.test')).toBe('warn');
    expect(status(listed, 'names.myhostname')).toBe('fail');

    const refused = await check('open.example.test', 'whoami-refused');
    expect(refused.policyListed).toMatchObject({ status: 'unknown', reason: 'refused' });
    expect(status(refused, 'policy')).toBe('unknown');
  });

  it('an IPv6 public address is looked up by its nibble name through the server\'s resolver (PBL 127.0.0.11)', async () => {
    const v6 = await check('open.example.test', 'whoami-v6');
    expect(v6.publicAddress).toBe(PBL_IPV6);
    expect(v6.policyListed).toMatchObject({ status: 'listed', address: PBL_IPV6, answers: ['127.0.0.11'] });
    expect(status(v6, 'policy')).toBe('fail');
  });

  it('certificates: snake-oil warns; right name passes; wrong name, 5 days left and a missing intermediate fail', async () => {
    const snakeoil = await check('open.example.test');
    expect(snakeoil.tls.inboundStarttls).toBe(true);
    expect(snakeoil.certificate.problems).toEqual(['snakeoil']);
    expect(snakeoil.certificate.status).toBe('warn');

    const dir = await host.makeTestCertificates();
    const use = async (name: string, extra = '') => {
      const r = await host.runAsRoot(`postconf -e 'smtpd_tls_chain_files =' 'smtpd_tls_cert_file = ${dir}/${name}.pem${extra}' 'smtpd_tls_key_file = ${dir}/${name}.key' && postfix reload`);
      expect(r.code, r.stderr).toBe(0);
      return check('open.example.test');
    };
    const right = await use('right');
    expect(right.certificate).toMatchObject({ status: 'pass', problems: [], expectedName: 'mail.example.test', verifyCode: 0 });
    expect(right.certificate.presented?.names).toEqual(['mail.example.test']);

    const wrong = await use('wrong');
    expect(wrong.certificate).toMatchObject({ status: 'fail', problems: ['name-mismatch'] });

    const expiring = await use('expiring');
    expect(expiring.certificate.status).toBe('fail');
    expect(expiring.certificate.problems).toEqual(['expiring']);
    expect(expiring.certificate.presented?.daysLeft).toBeLessThanOrEqual(5);

    const chain = await use('chain-leaf');
    expect(chain.certificate).toMatchObject({ status: 'fail', problems: ['chain-incomplete'] });

    // A Let's Encrypt certificate for the MX name is found and offered.
    const le = await host.runAsRoot(`mkdir -p /etc/letsencrypt/live/mail.example.test && cp ${dir}/right.pem /etc/letsencrypt/live/mail.example.test/cert.pem && chmod -R go-rwx /etc/letsencrypt`);
    expect(le.code).toBe(0);
    const offered = await use('wrong');
    expect(offered.certificate.letsEncrypt).toMatchObject({ name: 'mail.example.test', fullchain: '/etc/letsencrypt/live/mail.example.test/fullchain.pem' });
    expect(offered.checks.find((c) => c.id === 'certificate.name-mismatch')?.fix?.key).toBe('outCertFixLetsEncrypt');
  });

  it('homemail outbound --json: the contract fields, exit 1 when blocked, nothing changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-outbound-'));
    const before = await host.snapshot();
    const run = await runCliCaptured(
      ['outbound', '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', '--probe-domain', 'blocked.example.test', '--json'],
      { stdin: `${host.users.admin.password}\n` },
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    const json = JSON.parse(run.out) as Record<string, unknown> & { port25: string };
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['port25', 'publicAddress', 'policyListed', 'reverseName', 'tls', 'certificate', 'relay']));
    expect(json.port25).toBe('blocked');
    expect(json.publicAddress).toBe('unknown');
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('homemail requirements --ssh: rows {receiver, requirement, status, source} from the DNS and server checks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-requirements-'));
    const run = await runCliCaptured(
      ['requirements', '--domain', host.domain, '--resolver', `${host.dns.address}:${host.dns.port}`, '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', '--json'],
      { stdin: `${host.users.admin.password}\n` },
    );
    expect(run.err).toBe('');
    const json = JSON.parse(run.out) as { serverChecked: boolean; rows: Array<{ receiver: string; id: string; requirement: string; status: string; source: string }> };
    expect(json.serverChecked).toBe(true);
    const status = (id: string) => json.rows.find((r) => r.id === id)?.status;
    expect(status('gmail.auth')).toBe('pass'); // SPF "v=spf1 mx -all"
    expect(status('gmail.tls')).toBe('pass'); // smtp_tls_security_level = may, read from the server
    expect(status('gmail.bulk.dmarc')).toBe('fail'); // no DMARC record
    expect(status('outlook.dkim')).toBe('unknown'); // no selector given, and the fresh host signs with none
    expect(json.rows.every((r) => r.source.startsWith('https://') && r.requirement !== '')).toBe(true);
    expect(run.code).toBe(1);
  });

  it('smtpd where master.cf says: 127.0.0.3:smtp is asked for STARTTLS there; no smtpd on port 25 is a coded "cannot tell"', async () => {
    const undoMoved = await smtpdListenVariant(host, '127.0.0.3:smtp');
    try {
      const moved = await check('open.example.test');
      expect(moved.tls.inboundStarttls).toBe(true);
      expect(moved.certificate.presented).not.toBeNull();
      expect(status(moved, 'tls.inbound')).toBe('pass');
    } finally {
      await undoMoved();
    }
    const undoNone = await smtpdListenVariant(host, '2525');
    try {
      const none = await check('open.example.test');
      expect(none.tls.inboundStarttls).toBeNull();
      expect(none.checks.find((c) => c.id === 'tls.inbound')).toMatchObject({ status: 'unknown', found: { key: 'outTlsInNotOnPort25', params: { services: '2525' } } });
      expect(none.certificate).toMatchObject({ status: 'unknown', presented: null });
    } finally {
      await undoNone();
    }
  });

  // Last: these replace example.test's test records with the SPF under test.
  it('relay.spf: the relay stand-in (no documented include) is cannot tell, then pass once its address is in the SPF', async () => {
    const relay = await host.startRelay();
    await host.setRecords('example.org', [`relay IN A ${relay.address}`]);
    const resolvers = [`${host.dns.address}:${host.dns.port}`];
    try {
      expect((await host.runAsRoot(`postconf -e 'relayhost = [${relay.name}]:${relay.port}'`)).code).toBe(0);
      await host.setRecords('example.test', ['@ IN TXT "v=spf1 mx -all"']);
      const without = await checkOutbound(session, { echoes: echoFor(host, 'whoami-own'), seconds: 3, mailDomain: 'example.test', resolvers });
      expect(without.relaySpf).toMatchObject({ relayHost: relay.name, include: 'unknown', status: 'unknown', reason: 'addresses-not-passing', addresses: [{ address: relay.address, verdict: 'fail' }] });
      expect(status(without, 'relay.spf')).toBe('unknown');
      // The checklist judges SPF for the relay: the server's own 127.0.0.1 passes ("mx"), yet mail leaves through the relay.
      const requirements = () => checkRequirements({ domain: 'example.test', dkim: [], addresses: [], resolvers, session, outbound: { echoes: echoFor(host, 'whoami-own'), seconds: 3 } });
      const spfRow = (report: Awaited<ReturnType<typeof requirements>>) => report.rows.find((r) => r.id === 'outlook.spf');
      const unknownRow = spfRow(await requirements());
      expect(unknownRow).toMatchObject({ status: 'unknown', basis: ['spf', 'relay.spf'] });
      expect(unknownRow?.reasons.map((r) => r.key)).toEqual(['reqSpfViaRelay', 'outRelaySpfCannotTell']);
      await host.setRecords('example.test', [`@ IN TXT "v=spf1 mx ip4:${relay.address} -all"`]);
      // No mail domain given: the server's mydomain (Postfix's default from myhostname mail.example.test).
      const withAddress = await checkOutbound(session, { echoes: echoFor(host, 'whoami-own'), seconds: 3, resolvers });
      expect(withAddress.relaySpf).toMatchObject({ domain: 'example.test', status: 'pass', reason: 'addresses-pass', addresses: [{ address: relay.address, verdict: 'pass' }] });
      expect(status(withAddress, 'relay.spf')).toBe('pass');
      expect(spfRow(await requirements())).toMatchObject({ status: 'pass', basis: ['spf', 'relay.spf'] });
    } finally {
      await host.runAsRoot("postconf -e 'relayhost ='");
    }
  });

  it('sender_dependent_relayhost_maps: each relay its tables name is SPF-checked like relayhost (JSON senderDependentRelays, requirements)', async () => {
    const resolvers = [`${host.dns.address}:${host.dns.port}`];
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-dependent-'));
    try {
      await host.setRecords('example.org', ['relay IN A 127.0.0.2']);
      await host.setRecords('example.test', ['@ IN TXT "v=spf1 mx ip4:127.0.0.2 -all"']);
      const set = await host.runAsRoot(
        "printf '%s\\n' '@example.test [relay.example.org]:587' 'shop@example.test [smtp.sendgrid.net]:587' > /etc/postfix/sender_relay && postmap /etc/postfix/sender_relay && postconf -e 'sender_dependent_relayhost_maps = hash:/etc/postfix/sender_relay, texthash:/etc/postfix/no_such_table'",
      );
      expect(set.code, set.stderr).toBe(0);
      const report = await checkOutbound(session, { echoes: echoFor(host, 'whoami-own'), seconds: 3, mailDomain: 'example.test', resolvers });
      expect(report.relaySpf).toBeNull();
      expect(report.senderDependentRelays?.maps).toEqual([
        { map: 'hash:/etc/postfix/sender_relay', read: 'read' },
        { map: 'texthash:/etc/postfix/no_such_table', read: 'unreadable' },
      ]);
      expect(report.senderDependentRelays?.relays).toMatchObject([
        { sender: '@example.test', relayhost: '[relay.example.org]:587', domain: 'example.test', spf: { status: 'pass', reason: 'addresses-pass', addresses: [{ address: '127.0.0.2', verdict: 'pass' }] } },
        { sender: 'shop@example.test', relayhost: '[smtp.sendgrid.net]:587', domain: 'example.test', spf: { status: 'fail', reason: 'include-missing', include: 'sendgrid.net' } },
      ]);
      expect(status(report, 'relay.spf:@example.test')).toBe('pass');
      expect(status(report, 'relay.spf:shop@example.test')).toBe('fail');
      expect(status(report, 'relay.map:texthash:/etc/postfix/no_such_table')).toBe('unknown');
      expect(report.ok).toBe(false);

      const requirements = await checkRequirements({ domain: 'example.test', dkim: [], addresses: [], resolvers, session, outbound: { echoes: echoFor(host, 'whoami-own'), seconds: 3 } });
      expect(requirements.rows.find((r) => r.id === 'outlook.spf')).toMatchObject({ status: 'fail', basis: ['spf', 'relay.spf:@example.test', 'relay.spf:shop@example.test'] });

      const run = await runCliCaptured(
        ['outbound', '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', '--domain', 'example.test', '--resolver', resolvers[0] ?? '', '--json'],
        { stdin: `${host.users.admin.password}\n` },
      );
      const json = JSON.parse(run.out) as { senderDependentRelays: { relays: Array<{ sender: string; spf: { status: string } }> } };
      expect(json.senderDependentRelays.relays.map((r) => [r.sender, r.spf.status])).toEqual([
        ['@example.test', 'pass'],
        ['shop@example.test', 'fail'],
      ]);
    } finally {
      await host.runAsRoot("postconf -e 'sender_dependent_relayhost_maps =' && rm -f /etc/postfix/sender_relay /etc/postfix/sender_relay.db");
    }
  });

  it('relay.spf: a preset relay fails without its documented include and passes with it (CLI text and JSON)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-relay-spf-'));
    const run = (json: boolean) =>
      runCliCaptured(
        ['outbound', '--ssh', `admin@${host.sshHost}:${host.sshPort}`, '-i', host.users.admin.keyPath, '--password-stdin', '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', '--domain', 'example.test', '--resolver', `${host.dns.address}:${host.dns.port}`, ...(json ? ['--json'] : [])],
        { stdin: `${host.users.admin.password}\n` },
      );
    try {
      expect((await host.runAsRoot("postconf -e 'relayhost = [smtp.sendgrid.net]:587'")).code).toBe(0);
      await host.setRecords('example.test', ['@ IN TXT "v=spf1 mx -all"']);
      const failing = await run(false);
      expect(failing.err).toBe('');
      expect(failing.code).toBe(1);
      expect(failing.out).toContain('SPF of example.test for the relay smtp.sendgrid.net');
      expect(failing.out).toContain('homemail records --domain example.test --include sendgrid.net');
      await host.setRecords('example.test', ['@ IN TXT "v=spf1 mx include:sendgrid.net -all"']);
      const passing = await run(true);
      const json = JSON.parse(passing.out) as { relaySpf: { status: string; include: string; includeListed: boolean }; checks: Array<{ id: string; status: string }> };
      expect(json.relaySpf).toMatchObject({ status: 'pass', include: 'sendgrid.net', includeListed: true });
      expect(json.checks.find((c) => c.id === 'relay.spf')?.status).toBe('pass');
    } finally {
      await host.runAsRoot("postconf -e 'relayhost ='");
    }
  });
});
