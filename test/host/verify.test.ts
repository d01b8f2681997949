// homemail verify against the real test DNS server (nsd): a correct zone passes, and each
// fault is caught by its own check while the others keep passing.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../shared/checks.js';
import type { VerifyReport } from '../../shared/contract/verify.js';
import { runCli } from '../../main/cli/main.js';
import { verifyDns } from '../../main/services/verify/verifyDns.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';
import { runCliCaptured } from '../support/cli.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

function newKey(): { pem: string; p: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), p: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
}

/** A zone-file TXT with every string under 255 bytes. */
function txt(name: string, value: string): string {
  const parts = value.match(/.{1,200}/g) ?? [''];
  return `${name} IN TXT ( ${parts.map((p) => `"${p}"`).join(' ')} )`;
}

const key = newKey();
const otherKey = newKey();
const dkim = (p: string) => txt('sel1._domainkey', `v=DKIM1; h=sha256; k=rsa; p=${p}`);
const spf = txt('@', 'v=spf1 ip4:127.0.0.1 -all');
const dmarc = txt('_dmarc', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test; ruf=mailto:dmarc@example.test');
const good = [dkim(key.p), spf, dmarc];

describe.skipIf(skip !== null)(suite('verify against the test DNS'), () => {
  let host: TestHost;
  let resolver: string;
  const run = async (records: string[], addresses = [host.address]): Promise<VerifyReport> => {
    await host.setRecords('example.test', records);
    return verifyDns({
      domain: 'example.test',
      dkim: [{ selector: 'sel1', publicKey: key.p, keyType: 'rsa' }],
      addresses,
      resolvers: [resolver],
      discoverAddress: false,
      timeoutMs: 1000,
    });
  };
  const statuses = (report: VerifyReport) => Object.fromEntries(report.checks.map((c: Check) => [c.id, c.status]));
  const failing = (report: VerifyReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort();

  beforeAll(async () => {
    host = await resetHost('fresh');
    resolver = `${host.dns.address}:${host.dns.port}`;
  });
  afterAll(async () => {
    await host?.setRecords('example.test', []);
  });

  it('passes a correct zone', async () => {
    const report = await run(good);
    expect(failing(report)).toEqual([]);
    expect(statuses(report)).toMatchObject({
      'dkim:sel1': 'pass',
      spf: 'pass',
      'spf.eval:127.0.0.1': 'pass',
      dmarc: 'pass',
      mx: 'pass',
      'ptr:127.0.0.1': 'pass',
      adsp: 'pass',
    });
    expect(report.ok).toBe(true);
    expect(report.resolvers[0]).toMatchObject({ usable: true, primary: true });
    expect(report.timing.queries).toBeGreaterThan(5);
    expect(report.timing.slowestQueryMs).toBeLessThanOrEqual(report.timing.wallMs);
  });

  it('catches a wrong DKIM key', async () => {
    const report = await run([dkim(otherKey.p), spf, dmarc]);
    expect(failing(report)).toEqual(['dkim:sel1']);
    expect(report.checks.find((c) => c.id === 'dkim:sel1')?.found?.key).toBe('dkimFoundOtherKey');
  });

  it('catches a missing DKIM record', async () => {
    const report = await run([spf, dmarc]);
    expect(failing(report)).toEqual(['dkim:sel1']);
    expect(report.checks.find((c) => c.id === 'dkim:sel1')?.found?.key).toBe('dkimFoundNone');
  });

  it('says DKIM was not checked when no selector is given (in Japanese through the CLI too), instead of leaving it out', async () => {
    await host.setRecords('example.test', good);
    const report = await verifyDns({ domain: 'example.test', dkim: [], addresses: [host.address], resolvers: [resolver], discoverAddress: false, timeoutMs: 1000 });
    expect(report.checks.filter((c) => c.area === 'dkim').map((c) => [c.id, c.status, c.fix?.key])).toEqual([['dkim:none', 'unknown', 'dkimFixNotAsked']]);
    const cli = await runCliCaptured(['verify', '--domain', 'example.test', '--resolver', resolver, '--ip', host.address], { env: { ...process.env, LANG: 'ja_JP.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    expect(cli.out).toContain('[判定不能] example.test の DKIM レコード');
    expect(cli.out).toContain('サーバーが署名に使っているセレクターを指定してください(--selector SELECTOR)。');
  });

  it('catches a revoked DKIM key', async () => {
    const report = await run([txt('sel1._domainkey', 'v=DKIM1; k=rsa; p='), spf, dmarc]);
    expect(report.checks.find((c) => c.id === 'dkim:sel1')?.found?.key).toBe('dkimFoundRevoked');
  });

  it('catches a missing SPF record', async () => {
    const report = await run([dkim(key.p), dmarc]);
    expect(failing(report)).toEqual(['spf']);
    expect(report.checks.find((c) => c.id === 'spf')?.found?.key).toBe('spfFoundNone');
  });

  it('catches two SPF records (permerror)', async () => {
    const report = await run([dkim(key.p), spf, txt('@', 'v=spf1 mx -all'), dmarc]);
    expect(failing(report)).toEqual(['spf']);
    expect(report.checks.find((c) => c.id === 'spf')?.found?.key).toBe('spfFoundMany');
  });

  it('catches an SPF record without the server address', async () => {
    const report = await run([dkim(key.p), txt('@', 'v=spf1 ip4:192.0.2.1 -all'), dmarc]);
    expect(failing(report)).toEqual(['spf.eval:127.0.0.1']);
    expect(report.checks.find((c) => c.id === 'spf.eval:127.0.0.1')?.found?.text).toMatch(/^fail/);
  });

  it('catches too many SPF lookups', async () => {
    const includes = Array.from({ length: 11 }, (_, i) => `include:s${i}.example.test`).join(' ');
    const targets = Array.from({ length: 11 }, (_, i) => txt(`s${i}`, 'v=spf1 -all'));
    const report = await run([dkim(key.p), txt('@', `v=spf1 ip4:127.0.0.1 ${includes} -all`), ...targets, dmarc]);
    expect(report.checks.find((c) => c.id === 'spf')).toMatchObject({ status: 'fail', found: { key: 'spfFoundLookups' } });
  });

  it('catches a missing DMARC record', async () => {
    const report = await run([dkim(key.p), spf]);
    expect(failing(report)).toEqual(['dmarc']);
  });

  it('catches an unauthorised external DMARC report address, and accepts an authorised one', async () => {
    const external = txt('_dmarc', 'v=DMARC1; p=none; rua=mailto:reports@example.org');
    const unauthorised = await run([dkim(key.p), spf, external]);
    expect(failing(unauthorised)).toEqual(['dmarc.report:mailto:reports@example.org']);
    expect(unauthorised.checks.find((c) => c.id === 'dmarc')?.status).toBe('warn');
    await host.setRecords('example.org', [txt('example.test._report._dmarc', 'v=DMARC1')]);
    try {
      const authorised = await run([dkim(key.p), spf, external]);
      expect(failing(authorised)).toEqual([]);
    } finally {
      await host.setRecords('example.org', []);
    }
  });

  it('catches a broken PTR (no forward confirmation)', async () => {
    await host.setRecords('0.0.127.in-addr.arpa', ['3 IN PTR elsewhere.example.test.']);
    try {
      const report = await run([dkim(key.p), txt('@', 'v=spf1 ip4:127.0.0.1 ip4:127.0.0.3 -all'), dmarc, 'elsewhere IN A 127.0.0.9'], ['127.0.0.3']);
      expect(failing(report)).toEqual(['ptr:127.0.0.3']);
      expect(report.checks.find((c) => c.id === 'ptr:127.0.0.3')?.found?.text).toBe('127.0.0.3 → elsewhere.example.test, but elsewhere.example.test resolves to 127.0.0.9');
    } finally {
      await host.setRecords('0.0.127.in-addr.arpa', []);
    }
  });

  it('flags a leftover ADSP record', async () => {
    const report = await run([...good, txt('_adsp._domainkey', 'dkim=unknown')]);
    expect(report.checks.find((c) => c.id === 'adsp')?.status).toBe('warn');
    expect(report.ok).toBe(true);
  });

  it('says "cannot tell" for a resolver that does not answer, without hanging', async () => {
    await host.setRecords('example.test', good);
    const started = performance.now();
    const report = await verifyDns({
      domain: 'example.test',
      dkim: [{ selector: 'sel1', publicKey: key.p, keyType: 'rsa' }],
      addresses: [host.address],
      resolvers: [resolver, '127.53.0.254:5399'],
      discoverAddress: false,
      timeoutMs: 500,
      tries: 2,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(report.resolvers.map((r) => [r.address, r.usable])).toEqual([[resolver.replace(/:53$/, ''), true], ['127.53.0.254:5399', false]]);
    expect(report.checks.find((c) => c.id === 'resolver:127.53.0.254:5399')?.status).toBe('unknown');
    expect(failing(report)).toEqual([]);
  });

  it('CLI: exit 0 on a correct zone, 1 on a fault, 2 on bad input; --json parses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'homemail-verify-'));
    const keyFile = path.join(dir, 'sel1.private');
    writeFileSync(keyFile, key.pem, { mode: 0o600 });
    const cli = async (args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: dir });
      return { code, out };
    };
    const args = ['verify', '--domain', 'example.test', '--dkim', `sel1:${keyFile}`, '--ip', host.address, '--resolver', resolver, '--json'];
    await host.setRecords('example.test', good);
    const ok = await cli(args);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, domain: 'example.test' });
    await host.setRecords('example.test', [dkim(otherKey.p), spf, dmarc]);
    const bad = await cli(args);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.out) as VerifyReport).checks.find((c) => c.id === 'dkim:sel1')?.status).toBe('fail');
    expect((await cli(['verify', '--domain', 'example.test', '--resolver', 'not-an-address'])).code).toBe(2);
    expect((await cli(['verify', '--domain', 'example.test', '--dkim', 'sel1:/nonexistent/key'])).code).toBe(2);
  });
});
