// Classification of what outbound-probe.sh finds. Fixtures: fixtures/*.pem made with openssl
// 3 for this test (a test CA "Homemail Test CA", a leaf for mail.example.test signed by it, and a
// self-signed "debian" certificate like the snake-oil one), each valid 100 years; `now` is moved
// to test expiry. Probe output below is in the script's own line format.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { judgeCertificate, type CertificateInput } from '../../../main/services/outbound/certificate.js';
import { cliText } from '../../../main/cli/language.js';
import { checkText } from '../../../shared/checks.js';
import { genericReason, judgeOutbound, judgePolicyList, judgePort25, mxHosts } from '../../../main/services/outbound/classify.js';
import { parseProbeOutput, parseSmtpdListener, type OutboundFacts } from '../../../main/services/outbound/probe.js';

const pem = (name: string) => readFileSync(new URL(`./fixtures/${name}.pem`, import.meta.url), 'utf8');
const b64 = (text: string) => Buffer.from(text).toString('base64');
const leafEnd = new Date(new X509Certificate(pem('leaf')).validTo);

function output(lines: string[], postconf = 'myhostname = mail.example.test\nsmtp_helo_name = mail.example.test\n'): string {
  return `HOMEMAIL-POSTCONF\n${postconf}HOMEMAIL-FACTS\n${lines.join('\n')}\nHOMEMAIL-END\n`;
}

const facts = (lines: string[], postconf?: string): OutboundFacts => parseProbeOutput(output(lines, postconf));

describe('port 25', () => {
  const mx = ['dig yes', 'mx NOERROR 10 mx.example.net. 5 first.example.net.', 'target first.example.net 192.0.2.25'];
  it('open when 25 greets', () => {
    const f = facts([...mx, `port 25 banner ${b64('220 mx ESMTP')}`, 'port 587 refused ']);
    expect(judgePort25(f, 'example.net')).toMatchObject({ status: 'open', host: 'first.example.net', port25: { result: 'banner', banner: '220 mx ESMTP' } });
  });
  it.each(['refused', 'timeout', 'silent', 'closed'])('blocked when 25 is %s and 587 greets', (result) => {
    const f = facts([...mx, `port 25 ${result} `, `port 587 banner ${b64('220 submission')}`]);
    expect(judgePort25(f, 'example.net').status).toBe('blocked');
  });
  it('cannot tell when both fail, when there is no MX, no address, or no dig', () => {
    expect(judgePort25(facts([...mx, 'port 25 timeout ', 'port 587 timeout ']), 'example.net')).toMatchObject({ status: 'unknown', reason: 'unreachable' });
    expect(judgePort25(facts([...mx, 'port 25 unreachable ', `port 587 banner ${b64('220 x')}`]), 'example.net').status).toBe('unknown');
    expect(judgePort25(facts(['dig yes', 'mx REFUSED ']), 'gmail.com')).toMatchObject({ status: 'unknown', reason: 'no-mx:REFUSED' });
    expect(judgePort25(facts(['dig yes', 'mx NOERROR 10 mx.example.net.']), 'example.net')).toMatchObject({ status: 'unknown', reason: 'no-address' });
    expect(judgePort25(facts(['dig no']), 'gmail.com')).toMatchObject({ status: 'unknown', reason: 'no-dig' });
  });
  it('orders MX hosts by preference', () => {
    expect(mxHosts({ status: 'NOERROR', answers: ['20', 'B.example.', '10', 'a.example.'] })).toEqual(['a.example', 'b.example']);
  });
});

describe('generic reverse names', () => {
  it.each([
    ['p1234-ipngn5601souka.saitama.ocn.ne.jp', '203.0.113.5'],
    ['softbank203000113005.bbtec.net', '203.0.113.5'],
    ['203-0-113-5.rev.example.net', '203.0.113.5'],
    ['5.113.0.203.example.net', '203.0.113.5'],
    ['dynamic-host.example.net', '203.0.113.5'],
    ['KD203000113005.ppp-bb.dion.ne.jp', '203.0.113.5'],
  ])('%s looks generic', (name, address) => {
    expect(genericReason(name, address)).not.toBeNull();
  });
  it.each([['mail.example.jp', '203.0.113.5'], ['mx1.example.net', '203.0.113.5'], ['smtp.homemail.example', null]])('%s is a name of its own', (name, address) => {
    expect(genericReason(name, address)).toBeNull();
  });
  it('says why as a code with the word it found, rendered from the catalogs (no English inside the Japanese sentence)', () => {
    expect(genericReason('dynamic-host.example.net', '203.0.113.5')).toEqual({ reason: 'genericWord', word: 'dynamic' });
    expect(genericReason('203-0-113-5.rev.example.net', '203.0.113.5')).toEqual({ reason: 'addressInName' });
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const found = (reason: object) => checkText('outGenericFound', { ...reason });
    expect(found({ reason: 'genericWord', word: 'dynamic' }).text).toBe('looks generic ("dynamic" in the name): receivers read such names as a home connection');
    expect(ja.keyed('checks', found({ reason: 'genericWord', word: 'dynamic' }))).toBe('汎用の名前に見えます(名前に「dynamic」を含む)。受信側はこうした名前を家庭回線とみなします');
    expect(ja.keyed('checks', found({ reason: 'addressInName' }))).toBe('汎用の名前に見えます(アドレスが名前に書き込まれている)。受信側はこうした名前を家庭回線とみなします');
  });
});

describe('policy list', () => {
  const zone = 'zen.spamhaus.org';
  /** The answers for the address's own name (203.0.113.5 by default) and for the list's test entry. */
  const probes = (own: string, test = 'NOERROR 127.0.0.2', reversed = '5.113.0.203') => {
    const [st = '', ...a] = own.split(' ');
    const [tst = '', ...ta] = test.split(' ');
    return new Map([
      [`${reversed}.${zone}`, { status: st, answers: a }],
      [`2.0.0.127.${zone}`, { status: tst, answers: ta }],
    ]);
  };
  it('PBL answers are listings', () => {
    expect(judgePolicyList('203.0.113.5', zone, probes('NOERROR 127.0.0.10'))).toMatchObject({ status: 'listed', answers: ['127.0.0.10'] });
    expect(judgePolicyList('203.0.113.5', zone, probes('NOERROR 127.0.0.11'))).toMatchObject({ status: 'listed' });
  });
  it('not listed only when the test point is listed', () => {
    expect(judgePolicyList('203.0.113.5', zone, probes('NXDOMAIN'))).toMatchObject({ status: 'not-listed' });
    expect(judgePolicyList('203.0.113.5', zone, probes('NXDOMAIN', 'NXDOMAIN'))).toMatchObject({ status: 'unknown' });
  });
  it('a refusal (public resolver) is "cannot tell", never "listed"', () => {
    expect(judgePolicyList('203.0.113.5', zone, probes('NOERROR 127.255.255.254', 'NOERROR 127.255.255.254'))).toMatchObject({ status: 'unknown', reason: 'refused' });
    expect(judgePolicyList('203.0.113.5', zone, probes('NXDOMAIN', 'NOERROR 127.255.255.254'))).toMatchObject({ status: 'unknown', reason: 'refused' });
  });
  it('IPv6: the nibble name\'s answer, judged by the same rules (PBL, refused, not listed with the test entry)', () => {
    const v6 = '5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';
    const probes6 = (own: string, test = 'NOERROR 127.0.0.2') => probes(own, test, v6);
    expect(judgePolicyList('2001:db8::5', zone, probes6('NOERROR 127.0.0.11'))).toMatchObject({ status: 'listed', answers: ['127.0.0.11'] });
    expect(judgePolicyList('2001:db8::5', zone, probes6('NXDOMAIN'))).toMatchObject({ status: 'not-listed' });
    expect(judgePolicyList('2001:db8::5', zone, probes6('NOERROR 127.255.255.254'))).toMatchObject({ status: 'unknown', reason: 'refused' });
    expect(judgePolicyList('2001:db8::5', zone, new Map()).reason).toBe('no-answer:TIMEOUT');
  });
  it('no address, no answer: cannot tell', () => {
    expect(judgePolicyList(null, zone, new Map()).status).toBe('unknown');
    expect(judgePolicyList('203.0.113.5', zone, probes('SERVFAIL')).reason).toBe('no-answer:SERVFAIL');
  });
});

describe('certificate rules', () => {
  const base: CertificateInput = {
    chain: [pem('leaf')],
    verifyCode: 0,
    verifyText: 'Verify return code: 0 (ok)',
    expectedName: 'mail.example.test',
    configuredFile: '/etc/ssl/certs/mail.pem',
    snakeoil: new Map(),
    snakeoilPath: '/etc/ssl/certs/ssl-cert-snakeoil.pem',
    letsEncrypt: [],
    now: new Date(),
  };
  it('the right name from a trusted CA passes', () => {
    expect(judgeCertificate(base)).toMatchObject({ status: 'pass', problems: [], presented: { names: ['mail.example.test'] } });
  });
  it('snake-oil (by fingerprint or by path) warns, and only that', () => {
    expect(judgeCertificate({ ...base, chain: [pem('self')], verifyCode: 18, snakeoil: new Map([['/etc/ssl/certs/ssl-cert-snakeoil.pem', pem('self')]]) })).toMatchObject({ status: 'warn', problems: ['snakeoil'] });
    expect(judgeCertificate({ ...base, configuredFile: '/etc/ssl/certs/ssl-cert-snakeoil.pem' }).problems).toEqual(['snakeoil']);
  });
  it('another self-signed certificate warns, and its name still counts', () => {
    expect(judgeCertificate({ ...base, chain: [pem('self')], verifyCode: 18 })).toMatchObject({ status: 'fail', problems: ['self-signed', 'name-mismatch'] });
    expect(judgeCertificate({ ...base, chain: [pem('self')], verifyCode: 18, expectedName: 'debian' })).toMatchObject({ status: 'warn', problems: ['self-signed'] });
  });
  it('a wrong name fails', () => {
    expect(judgeCertificate({ ...base, expectedName: 'wrong.example.test' })).toMatchObject({ status: 'fail', problems: ['name-mismatch'] });
  });
  it('fails 20 days before the end (within 21), passes 22 days before; expired fails', () => {
    const at = (days: number) => new Date(leafEnd.getTime() - days * 86_400_000);
    expect(judgeCertificate({ ...base, now: at(20) })).toMatchObject({ status: 'fail', problems: ['expiring'] });
    expect(judgeCertificate({ ...base, now: at(22) })).toMatchObject({ status: 'pass' });
    expect(judgeCertificate({ ...base, now: at(-1) }).problems).toEqual(['expired']);
  });
  it('a chain that stops short of a trusted root fails', () => {
    expect(judgeCertificate({ ...base, verifyCode: 21 })).toMatchObject({ status: 'fail', problems: ['chain-incomplete'] });
    expect(judgeCertificate({ ...base, verifyCode: 20 }).problems).toEqual(['chain-incomplete']);
  });
  it('no certificate: cannot tell', () => {
    expect(judgeCertificate({ ...base, chain: [] })).toMatchObject({ status: 'unknown', presented: null });
  });
  it('offers a Let\'s Encrypt certificate for the expected name', () => {
    const found = judgeCertificate({ ...base, chain: [pem('self')], letsEncrypt: [{ directory: '/etc/letsencrypt/live', name: 'mail.example.test', pem: pem('leaf') }] });
    expect(found.letsEncrypt).toMatchObject({ name: 'mail.example.test', fullchain: '/etc/letsencrypt/live/mail.example.test/fullchain.pem', privkey: '/etc/letsencrypt/live/mail.example.test/privkey.pem' });
    expect(judgeCertificate({ ...base, expectedName: 'other.example', letsEncrypt: [{ directory: '/etc/letsencrypt/live', name: 'x', pem: pem('leaf') }] }).letsEncrypt).toBeNull();
  });
});

describe('the whole report', () => {
  it('reads every line kind and judges it; ok only when nothing warns or fails', async () => {
    const chain = `${pem('leaf')}\n${pem('ca')}`;
    const f = facts(
      [
        'dig yes',
        'mx NOERROR 10 mx.example.net.',
        'target mx.example.net 192.0.2.25',
        `port 25 banner ${b64('220 mx.example.net ESMTP')}`,
        `port 587 banner ${b64('220 mx.example.net ESMTP')}`,
        'echo 192.0.2.53 NOERROR 203.0.113.5',
        'ptr 203.0.113.5 NOERROR mail.example.test.',
        'probe 5.113.0.203.zen.spamhaus.org NXDOMAIN ',
        'probe 2.0.0.127.zen.spamhaus.org NOERROR 127.0.0.2 ',
        'fwd mail.example.test NOERROR 203.0.113.5 ',
        'starttls offered',
        `verify 0 ${b64('Verify return code: 0 (ok)')}`,
        `chain ${b64(chain)}`,
        `osrelease ${b64('ID=debian\nVERSION_ID="12"\n')}`,
      ],
      'myhostname = mail.example.test\nsmtp_helo_name = mail.example.test\nsmtp_tls_security_level = may\nrelayhost =\n',
    );
    expect(f.platform?.id).toBe('debian-12');
    const report = await judgeOutbound(f, { probeDomain: 'example.net', policyZone: 'zen.spamhaus.org', echoes: [{ server: '192.0.2.53', name: 'me', type: 'A', label: 'echo' }], now: new Date(), roundTrips: 1 });
    expect(report).toMatchObject({ port25: 'open', publicAddress: '203.0.113.5', policyListed: { status: 'not-listed' }, tls: { outboundLevel: 'may', inboundStarttls: true }, relay: { relayhost: null } });
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual([]);
    expect(report.ok).toBe(true);

    const noTls = await judgeOutbound(facts(['dig yes', 'mx REFUSED ', 'starttls not-offered']), { probeDomain: 'gmail.com', policyZone: 'zen.spamhaus.org', echoes: [], now: new Date(), roundTrips: 1 });
    expect(noTls.publicAddress).toBe('unknown');
    expect(noTls.checks.find((c) => c.id === 'tls.outbound')).toMatchObject({ status: 'fail', found: { key: 'outTlsOutUnset' } });
    expect(noTls.checks.find((c) => c.id === 'tls.inbound')?.status).toBe('fail');
    expect(noTls.ok).toBe(false);
  });

  it('smtpd\'s port-25 listener: the address asked, or none on port 25 with the services found (a coded cannot tell)', async () => {
    expect(parseSmtpdListener('listener [::1]:25 [::1]:25')).toEqual({ connect: '[::1]:25', service: '[::1]:25' });
    expect(parseSmtpdListener('none 2525,submission')).toEqual({ connect: null, services: ['2525', 'submission'] });
    expect(parseSmtpdListener('none -')).toEqual({ connect: null, services: [] });
    expect(parseSmtpdListener('garbage')).toBeNull();
    const judge = (lines: string[]) => judgeOutbound(facts(['dig yes', 'mx REFUSED ', ...lines]), { probeDomain: 'gmail.com', policyZone: 'zen.spamhaus.org', echoes: [], now: new Date(), roundTrips: 1 });
    const none = await judge(['smtpd none 2525', 'starttls not-listening']);
    expect(none.tls.inboundStarttls).toBeNull();
    expect(none.checks.find((c) => c.id === 'tls.inbound')).toMatchObject({ status: 'unknown', found: { key: 'outTlsInNotOnPort25', params: { services: '2525' } } });
    expect(none.checks.find((c) => c.id === 'certificate')?.status).toBe('unknown');
    const silent = await judge(['smtpd listener 192.0.2.10:25 smtp', 'starttls unreachable']);
    expect(silent.checks.find((c) => c.id === 'tls.inbound')).toMatchObject({ status: 'unknown', found: { key: 'outTlsInUnreachable', params: { address: '192.0.2.10:25' } } });
  });

  it('port 25 blocked is a problem only without a relay: with a relayhost the mail leaves on the relay\'s port, and the check says so', async () => {
    const blocked = ['dig yes', 'mx NOERROR 10 mx.example.net.', 'target mx.example.net 192.0.2.25', 'port 25 closed ', `port 587 banner ${b64('220 mx.example.net ESMTP')}`];
    const judge = (postconf: string) => judgeOutbound(facts(blocked, postconf), { probeDomain: 'example.net', policyZone: 'zen.spamhaus.org', echoes: [], now: new Date(), roundTrips: 1 });
    const direct = await judge('myhostname = mail.example.test\nrelayhost =\n');
    expect(direct.port25).toBe('blocked');
    expect(direct.checks.find((c) => c.id === 'port25')).toMatchObject({ status: 'fail', found: { key: 'outPort25Blocked' }, fix: { key: 'outPort25FixBlocked' } });
    const relayed = await judge('myhostname = mail.example.test\nrelayhost = [smtp.isp.example.jp]:587\n');
    expect(relayed.port25).toBe('blocked');
    expect(relayed.checks.find((c) => c.id === 'port25')).toMatchObject({ status: 'pass', found: { key: 'outPort25BlockedRelayed', params: { relay: '[smtp.isp.example.jp]:587', host: 'mx.example.net' } }, fix: null });
  });

  it('refuses output that did not finish', () => {
    expect(() => parseProbeOutput('HOMEMAIL-POSTCONF\n')).toThrow(/did not finish/);
  });
});
