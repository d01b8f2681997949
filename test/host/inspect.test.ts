// homemail inspect against each test-host variant: the picture is right, and it takes one
// round trip after login (counted by the SSH layer, not timed).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/cli.js';
import type { Inspection } from '../../shared/inspection.js';
import { hostSkipReason, resetHost, type TestHost, type Variant } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

async function inspect(host: TestHost, user: 'admin' | 'deploy' | 'root' = 'admin'): Promise<{ code: number; inspection: Inspection; roundTrips: number; text: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-inspect-'));
  const run = async (extra: string[]) => {
    const keyPath = host.users[user].keyPath;
    const { code, out, err } = await runCliCaptured(
      ['inspect', '--ssh', `${user}@${host.sshHost}:${host.sshPort}`, '-i', keyPath, ...(user === 'admin' ? ['--password-stdin'] : []), '--known-hosts', path.join(dir, 'kh'), '--accept-new-host-key', ...extra],
      { stdin: `${host.users.admin.password}\n` },
    );
    return { code, out, all: out + err };
  };
  const json = await run(['--json']);
  const text = await run([]);
  const parsed = JSON.parse(json.out) as { inspection: Inspection; roundTrips: number };
  expect(text.code).toBe(0);
  return { code: json.code, inspection: parsed.inspection, roundTrips: parsed.roundTrips, text: text.all };
}

const keys = (i: Inspection) => i.findings.map((f) => f.key);

describe.skipIf(skip !== null)(suite('homemail inspect on every variant'), () => {
  const hosts: Partial<Record<Variant, TestHost>> = {};
  const use = async (variant: Variant) => (hosts[variant] = await resetHost(variant));

  it('fresh: Debian defaults, OpenDKIM on a local socket not wired into Postfix; one round trip', async () => {
    const host = await use('fresh');
    const { code, inspection, roundTrips, text } = await inspect(host);
    expect(code).toBe(0);
    expect(roundTrips).toBe(1);
    expect(inspection).toMatchObject({ os: { id: 'debian', versionCodename: host.platform }, packageManager: 'apt', privilege: 'sudo-password', hostname: host.hostname });
    expect(inspection.postfix).toMatchObject({ running: true, smtpdChroot: true, myhostname: host.hostname, hasNewaliases: true, hasPostmap: true, milters: [] });
    expect(inspection.opendkim).toMatchObject({ installed: true, running: true, mode: 'none', socket: 'local:/run/opendkim/opendkim.sock', canSignEd25519: false }); // 2.11.0 Beta2: one algorithm for every key
    expect(inspection.aliases).toEqual(expect.arrayContaining([{ name: 'postmaster', targets: 'root' }]));
    expect(keys(inspection)).toContain('opendkimUnconfigured');
    expect(text).toContain('OpenDKIM');
  });

  it('fresh, as root and as deploy: same picture, no sudo password needed', async () => {
    const host = hosts.fresh ?? (await use('fresh'));
    const root = await inspect(host, 'root');
    expect([root.inspection.privilege, root.roundTrips]).toEqual(['root', 1]);
    const deploy = await inspect(host, 'deploy');
    expect([deploy.inspection.privilege, deploy.roundTrips]).toEqual(['sudo-nopasswd', 1]);
    expect(deploy.inspection.opendkim.mode).toBe(root.inspection.opendkim.mode);
  });

  it('single-key: one domain on inet:8892, 1024-bit key, sendmail unsigned, RBLs listed', async () => {
    const host = await use('single-key');
    const { inspection, roundTrips } = await inspect(host);
    expect(roundTrips).toBe(1);
    expect(inspection.opendkim).toMatchObject({ mode: 'single-key', domains: ['example.test'], socketAsMilter: 'inet:localhost:8892' });
    expect(inspection.opendkim.keys).toEqual([expect.objectContaining({ exists: true, keyType: 'rsa', bits: 1024, owner: 'opendkim', domain: 'example.test', selector: 'postfix', safetyProblems: [], safety: [] })]);
    expect(inspection.postfix?.milters).toEqual([{ source: 'smtpd_milters', service: null, value: 'inet:127.0.0.1:8892' }]);
    expect(inspection.postfix?.rblClients.length).toBeGreaterThan(0);
    const found = inspection.findings.find((f) => f.key === 'opendkimSingleKey');
    expect(found?.text).toBe('OpenDKIM is configured for one domain (example.test, selector postfix) on inet:localhost:8892.');
    expect(keys(inspection)).toEqual(expect.arrayContaining(['sendmailUnsigned', 'keyWeak', 'rblList', 'milterTempfail']));
  });

  it('other-filters: the milter and amavis are seen and reported as kept', async () => {
    const host = await use('other-filters');
    const { inspection } = await inspect(host);
    expect(inspection.postfix?.milters).toEqual(
      expect.arrayContaining([
        { source: 'smtpd_milters', service: null, value: 'inet:127.0.0.1:11332' },
        { source: 'non_smtpd_milters', service: null, value: 'inet:127.0.0.1:11332' },
      ]),
    );
    expect(inspection.postfix?.milterDefaultAction).toBe('accept');
    expect(inspection.postfix?.contentFilters).toEqual(expect.arrayContaining([{ source: 'main.cf', service: null, value: 'smtp-amavis:[127.0.0.1]:10024' }]));
    expect(keys(inspection)).toEqual(expect.arrayContaining(['otherMilters', 'contentFilter']));
    expect(keys(inspection)).not.toContain('milterTempfail');
  });

  it('no-opendkim: OpenDKIM absent is a problem, the rest still inspected', async () => {
    const host = await use('no-opendkim');
    const { inspection, roundTrips } = await inspect(host);
    expect(roundTrips).toBe(1);
    expect(inspection.opendkim).toMatchObject({ installed: false, running: false, canSignEd25519: null });
    expect(inspection.postfix?.running).toBe(true);
    expect(inspection.findings.find((f) => f.key === 'opendkimMissing')?.severity).toBe('problem');
  });
});
