// Published records first, against the real test DNS (nsd): a domain that already publishes
// an SPF record with an include: of a second zone, DMARC p=quarantine with rua, and an old
// ADSP record (the manual procedure's situation). `homemail records` reads them and proposes
// one merged SPF record, DMARC still quarantine, ADSP deleted. Judges that are not our code:
// nsd loads the zone output, and mailauth's SPF evaluator passes the server's address and
// still passes the include's addresses. Fixtures: keys made by `homemail keygen` here.
import { mkdtempSync, rmSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spf as evaluateSpf } from 'mailauth/lib/spf/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublishedRecords } from '../../main/services/verify/published.js';
import type { JsonRecordSet } from '../../shared/records/formats.js';
import { runCliIn } from './cli.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-records-published-'));

const cli = (...argv: string[]) => runCliIn(work, argv);

const PUBLISHED_SPF = 'v=spf1 include:_spf.example.org -all';
const INCLUDED_SPF = 'v=spf1 ip4:192.0.2.0/24 -all';
const PUBLISHED_DMARC = 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test';

describe.skipIf(skip !== null)(suite('records start from what the domain publishes'), () => {
  let host: TestHost;
  let resolver: string;
  let dns: Resolver;
  const keyFile = path.join(work, 'keys', 'hm202611.private');

  const spfVerdict = async (ip: string): Promise<string> => {
    const result = await evaluateSpf({ sender: 'admin@example.test', ip, helo: 'mail.example.test', mta: 'mx.example.org', resolver: (name: string, type: string) => dns.resolve(name, type) as Promise<string[] | string[][]> });
    return result.status.result;
  };

  beforeAll(async () => {
    host = await resetHost('fresh');
    resolver = `${host.dns.address}:${host.dns.port}`;
    dns = new Resolver({ timeout: 2000, tries: 2 });
    dns.setServers([resolver]);
    expect((await cli('keygen', '--domain', 'example.test', '--selector', 'hm202611', '--out', 'keys')).code).toBe(0);
    await host.setRecords('example.org', [`_spf.example.org. 60 IN TXT "${INCLUDED_SPF}"`]);
    await host.setRecords('example.test', [
      `example.test. 60 IN TXT "${PUBLISHED_SPF}"`,
      'example.test. 60 IN TXT "site-verification=abc"',
      `_dmarc.example.test. 60 IN TXT "${PUBLISHED_DMARC}"`,
      '_adsp._domainkey.example.test. 60 IN TXT "dkim=unknown"',
    ]);
  });

  afterAll(async () => {
    await host?.setRecords('example.test', []);
    await host?.setRecords('example.org', []);
    rmSync(work, { recursive: true, force: true });
  });

  it('reads the published records from the zone\'s authoritative server found via NS', async () => {
    const published = await readPublishedRecords({
      domain: 'example.test',
      selectors: ['hm202611'],
      publicServers: [{ address: host.dns.address, port: host.dns.port, family: 4, role: 'public', label: 'test DNS' }],
      timeoutMs: 1000,
      tries: 1,
    });
    expect(published.zone).toBe('example.test');
    expect(published.servers[0]).toMatch(/^ns1\.example\.test/);
    expect(published.existing).toEqual(
      expect.arrayContaining([
        { name: 'example.test', type: 'TXT', value: PUBLISHED_SPF },
        { name: '_dmarc.example.test', type: 'TXT', value: PUBLISHED_DMARC },
        { name: '_adsp._domainkey.example.test', type: 'TXT', value: 'dkim=unknown' },
        { name: 'example.test', type: 'MX', value: '10 mail.example.test.' },
      ]),
    );
    expect(published.existing.some((r) => r.name === 'hm202611._domainkey.example.test')).toBe(false);
    expect(published.spfAnswers['TXT _spf.example.org']).toEqual([INCLUDED_SPF]);
  });

  it('proposes one merged SPF (replace), DMARC still quarantine with its rua (keep), ADSP delete, DKIM add, MX keep', async () => {
    const out = await cli('records', '--domain', 'example.test', '--dkim', `hm202611:${keyFile}`, '--ip', host.address, '--mx', 'mail.example.test', '--resolver', resolver, '--format', 'json');
    expect(out.code, out.stderr).toBe(0);
    const set = JSON.parse(out.stdout) as JsonRecordSet;
    const row = (purpose: string) => set.records.filter((r) => r.purpose === purpose).map((r) => ({ value: r.value, change: r.change, published: r.published }));
    expect(row('spf')).toEqual([{ value: `v=spf1 include:_spf.example.org ip4:${host.address} -all`, change: 'replace', published: [PUBLISHED_SPF] }]);
    expect(row('dmarc')).toEqual([{ value: PUBLISHED_DMARC, change: 'keep', published: [PUBLISHED_DMARC] }]);
    expect(row('adsp')).toEqual([{ value: 'dkim=unknown', change: 'delete', published: ['dkim=unknown'] }]);
    expect(row('dkim')[0]?.change).toBe('add');
    expect(row('mx')).toEqual([{ value: '10 mail.example.test.', change: 'keep', published: ['10 mail.example.test.'] }]);
    // The include's lookups were resolved: include + its record's 0 = 1.
    expect(set.spfLookups).toBe(1);

    // A lower policy asked for is not taken: the published quarantine stays.
    const weaker = await cli('records', '--domain', 'example.test', '--ip', host.address, '--dmarc-policy', 'none', '--resolver', resolver, '--format', 'value');
    expect(weaker.stdout).toContain(`_dmarc.example.test\tTXT\t${PUBLISHED_DMARC}`);
    expect(weaker.stderr).toMatch(/p=none would weaken it/);
  });

  it('every format says replace / keep / delete, and marks what belongs in another domain\'s DNS', async () => {
    const args = ['records', '--domain', 'example.test', '--ip', host.address, '--rua', 'reports@example.org', '--resolver', resolver];
    const zone = await cli(...args, '--format', 'zone');
    expect(zone.stdout).toContain(`; replace the published "${PUBLISHED_SPF}" with this:`);
    expect(zone.stdout).toMatch(/; Delete these records:\n; _adsp\._domainkey\.example\.test\./);
    const value = await cli(...args, '--format', 'value');
    expect(value.stdout).toContain('# in the DNS of example.org, not example.test (ask its owner):');
    expect(value.stdout).toContain('# delete: _adsp._domainkey.example.test\tTXT\tdkim=unknown');
    for (const preset of ['cloudflare', 'mydns-jp', 'generic-relative']) {
      const text = (await cli(...args, '--format', preset)).stdout;
      expect(text, preset).toContain('# replace the published');
      expect(text, preset).toMatch(/In the DNS of example\.org, not example\.test \(ask its owner\)/);
      expect(text, preset).toContain('Delete: _adsp._domainkey.example.test');
    }
    // --offline reads nothing, so it cannot say what to replace.
    const offline = await cli('records', '--domain', 'example.test', '--ip', host.address, '--offline', '--format', 'value');
    expect(offline.stdout).not.toMatch(/# (replace|keep|add)/);
  });

  it('nsd loads the zone output, the domain then has exactly one SPF record, and mailauth passes the server and the include', async () => {
    const out = await cli('records', '--domain', 'example.test', '--dkim', `hm202611:${keyFile}`, '--ip', host.address, '--resolver', resolver, '--format', 'zone');
    expect(out.code).toBe(0);
    // What the person publishes: the zone lines (deletions are comments) plus the other TXT kept at the apex.
    await host.setRecords('example.test', [...out.stdout.split('\n'), 'example.test. 60 IN TXT "site-verification=abc"']);
    const apex = (await dns.resolveTxt('example.test')).map((r) => r.join(''));
    expect(apex.filter((v) => v.startsWith('v=spf1'))).toEqual([`v=spf1 include:_spf.example.org ip4:${host.address} -all`]);
    await expect(dns.resolveTxt('_adsp._domainkey.example.test')).rejects.toThrow();
    expect((await dns.resolveTxt('_dmarc.example.test')).map((r) => r.join(''))).toEqual([PUBLISHED_DMARC]);
    expect(await spfVerdict(host.address)).toBe('pass');
    expect(await spfVerdict('192.0.2.77')).toBe('pass');
    expect(await spfVerdict('198.51.100.1')).toBe('fail');

    const verify = await cli('verify', '--domain', 'example.test', '--dkim', `hm202611:${keyFile}`, '--ip', host.address, '--resolver', resolver, '--json');
    const report = JSON.parse(verify.stdout) as { checks: { id: string; area: string; status: string }[] };
    const spfChecks = report.checks.filter((c) => c.area === 'spf');
    expect(spfChecks.length).toBeGreaterThan(0);
    expect(spfChecks.map((c) => `${c.id} ${c.status}`)).toEqual(spfChecks.map((c) => `${c.id} pass`));
    expect(report.checks.find((c) => c.area === 'dmarc' && c.status === 'fail')).toBeUndefined();
    expect(report.checks.find((c) => c.id.startsWith('dkim') && c.status !== 'pass')).toBeUndefined();
  });
});
