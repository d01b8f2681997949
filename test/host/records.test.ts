// Keys and records against the real test host: the zone output loaded into nsd as is, a
// message signed with the generated keys by signers that are not ours (mailauth, and the
// chroot's OpenDKIM) verifying through the test DNS, mailauth's SPF evaluator giving pass,
// the chroot's dig and openssl agreeing with the key, and opendkim-genkey's files reproduced.
import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authenticate, dkimSign, dkimVerify, type DKIMResult, type DNSResolver } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDkimKeyFile } from '../../main/services/keys/loadKeyFile.js';
import { buildDkimRecord } from '../../shared/records/dkim.js';
import { dkimTxtFile } from '../../shared/records/dkimTxtFile.js';
import { formatRecords } from '../../shared/records/index.js';
import { parseQuotedStrings } from '../../shared/records/txt.js';
import { buildRecordSet } from '../../shared/records/recordSet.js';
import { runCliIn } from './cli.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const work = mkdtempSync(path.join(tmpdir(), 'homemail-records-host-'));

const cli = (...argv: string[]) => runCliIn(work, argv);

function message(subject: string): string {
  return [
    'From: Admin <admin@example.test>',
    'To: someone@example.org',
    `Subject: ${subject}`,
    'Date: Sat, 28 Nov 2026 09:00:00 +0000',
    `Message-ID: <${subject.replace(/\W/g, '')}@example.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello from the Homemail host test.',
    '',
  ].join('\r\n');
}

describe.skipIf(skip !== null)(suite('keys and records on the test host'), () => {
  let host: TestHost;
  let dns: Resolver;
  let resolve: DNSResolver;
  const rsaFile = path.join(work, 'keys', 'hm2048.private');
  const edFile = path.join(work, 'keys', 'hmed.private');
  let rsaPem = '';
  let edPem = '';

  beforeAll(async () => {
    host = await resetHost('fresh');
    dns = new Resolver({ timeout: 2000, tries: 2 });
    dns.setServers([`${host.dns.address}:${host.dns.port}`]);
    resolve = (name, type) => dns.resolve(name, type) as Promise<string[][] | string[]>;
    expect((await cli('keygen', '--domain', 'example.test', '--selector', 'hm2048', '--out', 'keys')).code).toBe(0);
    expect((await cli('keygen', '--domain', 'example.test', '--selector', 'hmed', '--type', 'ed25519', '--out', 'keys')).code).toBe(0);
    rsaPem = readFileSync(rsaFile, 'utf8');
    edPem = readFileSync(edFile, 'utf8');
  });

  afterAll(async () => {
    await host?.setRecords('example.test', []);
    rmSync(work, { recursive: true, force: true });
  });

  it('nsd serves the zone output as is: the joined strings are the record, each string at most 255 bytes', async () => {
    const out = await cli(
      'records', '--resolver', `${host.dns.address}:${host.dns.port}`, '--domain', 'example.test', '--dkim', `hm2048:${rsaFile}`, '--dkim', `hmed:${edFile}`,
      '--ip', host.address, '--dmarc-policy', 'none', '--rua', 'dmarc@example.test', '--format', 'zone',
    );
    expect(out.code).toBe(0);
    await host.setRecords('example.test', out.stdout.split('\n'));

    const p = execFileSync('openssl', ['pkey', '-in', rsaFile, '-pubout', '-outform', 'DER']).toString('base64');
    const dkim = await dns.resolveTxt('hm2048._domainkey.example.test');
    expect(dkim).toHaveLength(1);
    expect(dkim[0]?.join('')).toBe(`v=DKIM1; h=sha256; k=rsa; p=${p}`);
    expect(dkim[0]?.length).toBe(3);
    for (const s of dkim[0] ?? []) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
    const ed = await dns.resolveTxt('hmed._domainkey.example.test');
    expect(ed[0]?.join('')).toMatch(/^v=DKIM1; h=sha256; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
    expect((await dns.resolveTxt('example.test')).map((r) => r.join(''))).toContain(`v=spf1 ip4:${host.address} ~all`);
    expect((await dns.resolveTxt('_dmarc.example.test')).map((r) => r.join(''))).toEqual(['v=DMARC1; p=none; rua=mailto:dmarc@example.test']);
  });

  it('a message signed with both keys by mailauth (not our code) passes DKIM, SPF and DMARC through the test DNS', async () => {
    // mailauth signs once per signatureData entry (its typings also want the first one at the top).
    const signed = await dkimSign(message('mailauth dual signature'), {
      signingDomain: 'example.test',
      selector: 'hm2048',
      privateKey: rsaPem,
      canonicalization: 'relaxed/relaxed',
      signatureData: [
        { signingDomain: 'example.test', selector: 'hm2048', privateKey: rsaPem, algorithm: 'rsa-sha256' },
        { signingDomain: 'example.test', selector: 'hmed', privateKey: edPem, algorithm: 'ed25519-sha256' },
      ],
    });
    expect(signed.errors).toEqual([]);
    const raw = signed.signatures + message('mailauth dual signature');
    const result = await authenticate(raw, { ip: host.address, helo: 'mail.example.test', sender: 'admin@example.test', mta: 'mx.example.org', resolver: resolve });
    expect(outcomes(result.dkim.results)).toEqual(['hm2048 pass', 'hmed pass']);
    expect(result.spf && result.spf.status.result).toBe('pass');
    expect(result.dmarc && result.dmarc.status.result).toBe('pass');
  });

  it('a key that is not the published one fails (the check above can fail)', async () => {
    const other = execFileSync('openssl', ['genrsa', '2048'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const data = { signingDomain: 'example.test', selector: 'hm2048', privateKey: other };
    const signed = await dkimSign(message('wrong key'), { ...data, signatureData: [data] });
    const result = await dkimVerify(signed.signatures + message('wrong key'), { resolver: resolve });
    expect(result.results[0]?.status.result).toBe('fail');
  });

  it('the chroot\'s own tools agree with the key: dig\'s record holds what openssl derives from the key file', async () => {
    // What opendkim-testkey checks, with tools that reach the test DNS: bookworm's
    // opendkim-testkey resolves through libunbound, which would not query the loopback test
    // DNS here (Nameservers and ResolverConfiguration with do-not-query-localhost: no tried).
    // OpenDKIM itself signing with the key is the test below.
    await host.setRecords('example.test', formatRecords(await recordSetFor([['hm2048', rsaFile]]), 'zone').text.split('\n'));
    const put = await host.runAsRoot('umask 077 && cat > /tmp/hm2048.private && openssl genrsa -out /tmp/other.private 2048 2>/dev/null', { stdin: rsaPem });
    expect(put.code).toBe(0);
    const dig = await host.runAsRoot('dig +short TXT hm2048._domainkey.example.test');
    const published = parseQuotedStrings(dig.stdout.trim())?.join('') ?? '';
    expect(published).toMatch(/^v=DKIM1; h=sha256; k=rsa; p=/);
    const derive = (file: string) => host.runAsRoot(`openssl pkey -in ${file} -pubout -outform DER | base64 -w0`);
    expect(published).toBe(`v=DKIM1; h=sha256; k=rsa; p=${(await derive('/tmp/hm2048.private')).stdout}`);
    expect(published).not.toContain((await derive('/tmp/other.private')).stdout);
  });

  it('opendkim-genkey in the chroot: its .txt is what dkimTxtFile writes, and its key loads with the same p=', async () => {
    const gen = await host.runAsRoot('rm -rf /tmp/gk && mkdir -m 700 /tmp/gk && opendkim-genkey -D /tmp/gk -b 2048 -d example.test -s gk && cat /tmp/gk/gk.txt');
    expect(gen.code).toBe(0);
    const keyFile = path.join(work, 'gk.private');
    writeFileSync(keyFile, await host.readFile('/tmp/gk/gk.private'), { mode: 0o600 });
    const key = await loadDkimKeyFile('gk', keyFile, 'example.test');
    const record = buildDkimRecord({ domain: key.domain, selector: key.selector, keyType: key.type, publicKey: key.publicKeyBase64, ttl: 3600 });
    expect(dkimTxtFile(record)).toBe(gen.stdout);
  });

  it('the chroot\'s OpenDKIM signs with the generated RSA and Ed25519 keys, and the signatures verify through the test DNS', async () => {
    await host.setRecords('example.test', formatRecords(await recordSetFor([['hm2048', rsaFile], ['hmed', edFile]]), 'zone').text.split('\n'));
    for (const [selector, pem] of [['hm2048', rsaPem], ['hmed', edPem]] as const) {
      const r = await host.runAsRoot(`umask 077 && cat > /etc/dkimkeys/${selector}.private && chown opendkim:opendkim /etc/dkimkeys/${selector}.private`, { stdin: pem });
      expect(r.code).toBe(0);
    }
    // OpenDKIM 2.11.0~beta2 (bookworm) has one SignatureAlgorithm per instance; per-key
    // algorithms in the KeyTable came later. So the packaged instance signs with the RSA key
    // and a second instance with SignatureAlgorithm ed25519-sha256 signs with the Ed25519 key
    // (the PKCS#8 PEM keygen writes), both milters in a row.
    const setup = [
      'sed -i "s/^Socket/#Socket/" /etc/opendkim.conf',
      'printf "%s\\n" "Socket inet:8893@127.0.0.1" "Domain example.test" "Selector hm2048" "KeyFile /etc/dkimkeys/hm2048.private" "Canonicalization relaxed/simple" >> /etc/opendkim.conf',
      'printf "%s\\n" "Syslog yes" "UserID opendkim" "UMask 007" "PidFile /run/opendkim/opendkim-ed.pid" "Socket inet:8894@127.0.0.1" "Domain example.test" "Selector hmed" "KeyFile /etc/dkimkeys/hmed.private" "SignatureAlgorithm ed25519-sha256" "Canonicalization relaxed/simple" > /etc/opendkim-ed.conf',
      'opendkim -n && opendkim -x /etc/opendkim-ed.conf -n',
      '/etc/init.d/opendkim restart',
      'opendkim -x /etc/opendkim-ed.conf',
      'postconf -e "smtpd_milters = inet:127.0.0.1:8893, inet:127.0.0.1:8894" "non_smtpd_milters = inet:127.0.0.1:8893, inet:127.0.0.1:8894" "milter_default_action = tempfail"',
      'postfix reload',
    ].join(' && ');
    const configured = await host.runAsRoot(setup, { timeoutMs: 60_000 });
    expect(configured.code, configured.stderr + configured.stdout).toBe(0);
    for (let i = 0; i < 50; i += 1) {
      const listening = await host.runAsRoot('ss -ltn | grep -c "127.0.0.1:889[34]"');
      if (listening.stdout.trim() === '2') break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const subject = `OpenDKIM signs ${Date.now()}`;
    await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'Signed by the server.' });
    const received = await host.newestMessage('admin', { containing: subject });
    expect(received.match(/^DKIM-Signature:/gim) ?? []).toHaveLength(2);
    const result = await dkimVerify(received.replace(/^From .*\n/, ''), { resolver: resolve });
    expect(outcomes(result.results)).toEqual(['hm2048 pass', 'hmed pass']);
  });

  it('nsd-checkzone accepts a whole zone made of the output, absolute and relative', async () => {
    const set = buildRecordSet({
      domain: 'example.test',
      dkim: [{ selector: 'hm2048', type: 'rsa', publicKey: (await loadDkimKeyFile('hm2048', rsaFile, 'example.test')).publicKeyBase64 }],
      addresses: [host.address, '2001:db8::25'],
      mxHost: 'mail.example.test',
      dmarc: { policy: 'reject', rua: ['r@reports.example.org'], ruf: ['f@example.test'] },
      existing: [{ name: '_adsp._domainkey.example.test', type: 'TXT', value: 'dkim=unknown' }],
    });
    const head = '$TTL 3600\nexample.test. IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300\nexample.test. IN NS ns.example.test.\nns.example.test. IN A 127.53.0.1\nmail.example.test. IN A 127.0.0.1\n';
    for (const relative of [false, true]) {
      const file = path.join(work, `zone-${relative}.zone`);
      writeFileSync(file, head + formatRecords(set, 'zone', { relative }).text);
      const check = execFileSync('nsd-checkzone', ['example.test', file], { encoding: 'utf8' });
      expect(check).toMatch(/zone example\.test is ok/);
    }
  });
});

function outcomes(results: readonly DKIMResult[]): string[] {
  return results.map((r) => `${r.selector ?? '?'} ${r.status.result}`).sort();
}

async function recordSetFor(keys: [string, string][]) {
  const loaded = await Promise.all(keys.map(([selector, file]) => loadDkimKeyFile(selector, file, 'example.test')));
  return buildRecordSet({ domain: 'example.test', dkim: loaded.map((k) => ({ selector: k.selector, type: k.type, publicKey: k.publicKeyBase64 })), addresses: ['127.0.0.1'] });
}
