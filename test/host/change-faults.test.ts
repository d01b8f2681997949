// Faults injected into apply on the real test host: validation, a service restart and the
// health check fail; the connection drops; the server-side transaction is killed half way.
// After each the server is in its old or its new state, postfix check passes, mail flows.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HomemailError } from '../../shared/errors.js';
import { interruptedApplyText } from '../../shared/i18n/keyedText.js';
import { cliText } from '../../main/cli/language.js';
import type { ApplyStage } from '../../shared/plan.js';
import { applyRequest, rollbackChanges, type ServerCommand, type TestHook } from '../../main/server/engine/index.js';
import { CONFIG_FILES } from '../../main/server/platform/paths.js';
import type { ChangeSettings } from '../../main/services/dkim/desired.js';
import { applyChanges as applyDkim, dkimRequest, planChanges as planDkim } from '../../main/services/dkim/dkim.js';

// These tests are about the transaction, not DNS: publish-before-sign is skipped (--skip-dns-check).
const applyChanges: typeof applyDkim = (session, settings, options = {}) => applyDkim(session, settings, { ...options, dns: { skip: true } });
const planChanges: typeof planDkim = (session, settings, options = {}) => planDkim(session, settings, { ...options, dns: { skip: true } });
import { connectAdmin } from './session.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import { hostSkipReason, resetHost, type Snapshot, type TestHost } from './testHost.js';

// The test-only hook the worker sources: FAULT=KIND:STAGE makes that stage fail, drop the
// connection or kill the worker.
type FaultStage = Exclude<ApplyStage, 'rollback'>;
const faultHook = readFileSync(new URL('./hooks/faults.sh', import.meta.url), 'utf8');
const fault = (kind: 'fail' | 'drop' | 'kill', stage: FaultStage): TestHook => ({ script: `FAULT=${kind}:${stage}\n${faultHook}` });

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const settings: ChangeSettings = { domain: 'example.test', keys: [{ selector: 'hmf', type: 'rsa', privateKeyPem: pem }], rua: [], ruf: [], reportTo: 'admin' };

async function working(host: TestHost): Promise<void> {
  const check = await host.runAsRoot('postfix check && postfix status');
  expect(check.code, check.stderr).toBe(0);
  const subject = `fault check ${Date.now()} ${Math.random()}`;
  await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'mail still flows' });
  await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
}

async function failure(promise: Promise<unknown>): Promise<HomemailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HomemailError) return error;
    throw error;
  }
  throw new Error('expected the apply to fail');
}

describe.skipIf(skip !== null)(suite('apply with injected faults (fresh variant)'), () => {
  let host: TestHost;
  let session: SshSession;
  let before: Snapshot;
  const previous = process.env.HOMEMAIL_TEST_FAULTS;

  beforeAll(async () => {
    process.env.HOMEMAIL_TEST_FAULTS = '1';
    host = await resetHost('fresh');
    before = await host.snapshot(CONFIG_FILES);
    session = await connectAdmin(host);
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    if (previous === undefined) delete process.env.HOMEMAIL_TEST_FAULTS;
    else process.env.HOMEMAIL_TEST_FAULTS = previous;
  });

  it('reports each stage while the server runs it, not all at the end, and never twice', async () => {
    const seen: { stage: string; status: string; at: number }[] = [];
    const result = await applyChanges(session, settings, { progress: (event) => seen.push({ stage: event.stage, status: event.status, at: Date.now() }) });
    const starts = (stage: string) => seen.filter((event) => event.stage === stage && event.status === 'start');
    expect(starts('write')).toHaveLength(1);
    expect(starts('health')).toHaveLength(1);
    // Between "write" and "health" the server validates and reloads (over half a second in every
    // run measured): a live log receives them that far apart; a replayed one at the same moment.
    expect((starts('health')[0]?.at ?? 0) - (starts('write')[0]?.at ?? 0)).toBeGreaterThan(300);
    await rollbackChanges(session, result.backupId);
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
  });

  it('refuses fault injection without HOMEMAIL_TEST_FAULTS=1, before touching anything', async () => {
    process.env.HOMEMAIL_TEST_FAULTS = '0';
    const error = await failure(applyChanges(session, settings, { testHook: fault('fail', 'validate') }));
    process.env.HOMEMAIL_TEST_FAULTS = '1';
    expect(error.code).toBe('bad-input');
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
  });

  for (const stage of ['packages', 'backup', 'write', 'validate', 'restart', 'health'] as const satisfies readonly FaultStage[]) {
    it(`a failure at ${stage} is rolled back (exit-4 error naming the stage) and leaves the old state`, async () => {
      const error = await failure(applyChanges(session, settings, { testHook: fault('fail', stage) }));
      expect(error.code).toBe('apply-failed');
      expect(error.details?.stage).toBe(stage);
      expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
      await working(host);
    });
  }

  it('a validation command whose answer differs from the expected one fails validate and is rolled back; the right answer passes', async () => {
    const myhostname = (await host.runAsRoot('postconf -h myhostname')).stdout.trim();
    const expecting = (expect: string): Parameters<typeof applyRequest>[1] => {
      const dkim = dkimRequest(settings);
      const check: ServerCommand = { label: 'Postfix host name', argv: ['postconf', '-h', 'myhostname'], words: { key: 'k', params: {}, text: 'postconf -h myhostname' }, expect };
      return { ...dkim, compute: (state) => { const changes = dkim.compute(state); return { ...changes, validate: [...changes.validate, check] }; } };
    };
    const error = await failure(applyRequest(session, expecting('not-this-host.example')));
    expect(error.code).toBe('apply-failed');
    expect(error.details?.stage).toBe('validate');
    expect(error.message).toContain(`expected "not-this-host.example", the server answered "${myhostname}"`);
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
    const result = await applyRequest(session, expecting(myhostname));
    expect(result.changed).toBe(true);
    await rollbackChanges(session, result.backupId);
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
  });

  it('a transaction killed half way is undone by the next run, which says so, then applies', async () => {
    const error = await failure(applyChanges(session, settings, { testHook: fault('kill', 'validate') }));
    expect(error.message).toMatch(/stopped/);
    const { plan } = await planChanges(session, settings);
    expect(plan.interrupted.map((i) => i.outcome)).toEqual(['pending']);
    const result = await applyChanges(session, settings);
    expect(result.interrupted.map((i) => i.outcome)).toEqual(['undone']);
    // what the server's recover step did, in the person's language from its outcome code
    expect(interruptedApplyText(cliText({ LANG: 'ja_JP.UTF-8' }), result.interrupted[0]!)).toMatch(/^前回の適用\(\d{8}-\d{6}-[0-9a-f]{6}\)は完了前に中断していました。その変更は取り消しました。$/);
    expect(result.changed).toBe(true);
    await working(host);
    await rollbackChanges(session, result.backupId);
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
  });

  it('a connection lost during the restart: the server finishes alone and the next run reports it', async () => {
    const error = await failure(applyChanges(session, settings, { testHook: fault('drop', 'restart') }));
    expect(['ssh-unreachable', 'ssh-timeout', 'command-failed']).toContain(error.code);
    await session.close();
    session = await connectAdmin(host);
    // Right after the drop the server may still be restarting services: the next run is told
    // so (and changes nothing) until the transaction has finished on its own.
    let result: Awaited<ReturnType<typeof applyChanges>> | null = null;
    let busyAnswers = 0;
    for (let attempt = 0; attempt < 60 && result === null; attempt += 1) {
      try {
        result = await applyChanges(session, settings);
      } catch (error) {
        if (!(error instanceof HomemailError) || !/still running/.test(error.message)) throw error;
        busyAnswers += 1;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    if (result === null) throw new Error('the server-side transaction never finished');
    expect(busyAnswers).toBeLessThan(60);
    expect(result.interrupted.map((i) => i.outcome)).toEqual(['reported-done']);
    expect(result.changed).toBe(false);
    expect(result.roundTrips).toBe(1);
    await working(host);
    await rollbackChanges(session, null);
    expect(await host.snapshot(CONFIG_FILES)).toEqual(before);
  });

  it('a hostile report user never reaches a shell: refused before anything runs', async () => {
    const { checkChangeSettings } = await import('../../main/services/dkim/settings.js');
    expect(() => checkChangeSettings({ ...settings, reportTo: "x'; touch /tmp/pwned; '" }, 'admin')).toThrow(/not a local user name/);
    expect((await host.runAsRoot('test -e /tmp/pwned')).code).not.toBe(0);
  });
});
