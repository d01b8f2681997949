// Publish before sign, against the real test host and its DNS (nsd): apply with a selector
// whose DKIM record is not published yet exits 1 and leaves the server byte for byte as it
// was; plan says the record is not visible; once the record is published, the same apply
// succeeds. The gate module on its own: the zone's authoritative server found via NS answers
// the key's own p=, and a record with another key is "no". Fixtures: keys from `homemail keygen`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDkimKeyFile } from '../../main/services/keys/index.js';
import { checkDkimPublished } from '../../main/services/verify/publishGate.js';
import { cliText } from '../../main/cli/language.js';
import { runCliIn } from './cli.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-gate-host-'));
const keyFile = (selector: string) => path.join(work, 'keys', `${selector}.private`);

const cli = (argv: string[]) => runCliIn(work, argv);

describe.skipIf(skip !== null)(suite('publish before sign'), () => {
  let host: TestHost;
  let resolver: string;
  const change = (command: 'plan' | 'apply', ...extra: string[]) => [
    command, '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', host.users.deploy.keyPath, '--known-hosts', host.knownHostsPath,
    '--domain', 'example.test', '--dkim', `gate1:${keyFile('gate1')}`, '--resolver', resolver, '--json', ...extra,
  ];
  const publish = async (selector: string) => {
    const r = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `${selector}:${keyFile(selector)}`, '--format', 'zone']);
    expect(r.code, r.stderr).toBe(0);
    await host.setRecords('example.test', r.stdout.split('\n').filter((l) => l.includes('_domainkey')));
  };

  beforeAll(async () => {
    host = await resetHost('fresh');
    resolver = `${host.dns.address}:${host.dns.port}`;
    await host.setRecords('example.test', []);
    for (const selector of ['gate1', 'other']) expect((await cli(['keygen', '--domain', 'example.test', '--selector', selector, '--out', 'keys'])).code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await host?.setRecords('example.test', []);
    rmSync(work, { recursive: true, force: true });
  });

  it('the gate asks the zone\'s authoritative server (found via NS) and wants the key\'s own p=', async () => {
    const key = await loadDkimKeyFile('gate1', keyFile('gate1'), 'example.test');
    const ask = () =>
      checkDkimPublished({
        domain: 'example.test',
        keys: [{ selector: 'gate1', publicKey: key.publicKeyBase64 }],
        publicServers: [{ address: host.dns.address, port: host.dns.port, family: 4, role: 'public', label: 'test DNS' }],
        timeoutMs: 1000,
        tries: 1,
      });
    const missing = await ask();
    expect(missing.selectors[0]).toMatchObject({ name: 'gate1._domainkey.example.test', visible: 'no' });
    expect(missing.selectors[0]?.servers[0]).toMatchObject({ server: expect.stringMatching(/^ns1\.example\.test/), answer: { key: 'gateNoRecord', text: 'no record' } });
    // The other key's record under this selector's name: another key is not this one.
    const other = await cli(['records', '--offline', '--domain', 'example.test', '--dkim', `other:${keyFile('other')}`, '--format', 'value']);
    const otherValue = other.stdout.split('\n').find((l) => l.startsWith('other._domainkey'))?.split('\t')[2] ?? '';
    await host.setRecords('example.test', [`gate1._domainkey.example.test. 60 IN TXT ${JSON.stringify(otherValue.slice(0, 250))} ${JSON.stringify(otherValue.slice(250))}`]);
    const wrong = await ask();
    expect(wrong.selectors[0]?.visible).toBe('no');
    expect(wrong.selectors[0]?.servers[0]?.answer).toMatchObject({ key: 'gateOtherKey', text: 'a record with another key' });
    expect(cliText({ LANG: 'ja_JP.UTF-8' }).keyed('checks', wrong.selectors[0]?.servers[0]?.answer)).toBe('別の鍵のレコードあり');
    await publish('gate1');
    expect((await ask()).allVisible).toBe(true);
    await host.setRecords('example.test', []);
  });

  it('apply before the record is published exits 1 and changes nothing; plan says so; after publishing, the same apply succeeds', async () => {
    const before = await host.snapshot();
    const plan = await cli(change('plan'));
    expect(plan.code, plan.stderr).toBe(0);
    const notes = (JSON.parse(plan.stdout) as { plan: { notes: Array<{ key: string; params: { name?: string } }> } }).plan.notes;
    expect(notes).toContainEqual(expect.objectContaining({ key: 'dkimNotVisible', params: { name: 'gate1._domainkey.example.test' } }));

    const refused = await cli(change('apply'));
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/not visible yet at your DNS servers/);
    expect(refused.stderr).toContain('gate1._domainkey.example.test');
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);

    await publish('gate1');
    const applied = await cli(change('apply'));
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect((JSON.parse(applied.stdout) as { changed: boolean }).changed).toBe(true);
    expect((await host.runAsRoot('grep -c gate1 /etc/opendkim/key.table')).stdout.trim()).toBe('1');
  });

  it('--skip-dns-check applies anyway (a second selector, not published)', async () => {
    await host.setRecords('example.test', []);
    const args = change('apply', '--skip-dns-check').map((a) => (a === `gate1:${keyFile('gate1')}` ? `other:${keyFile('other')}` : a));
    const r = await cli(args);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
