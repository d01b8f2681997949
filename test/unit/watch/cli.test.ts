// homemail watch and status: usage errors exit 2 before anything runs; status on an empty store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli.js';

const env = () => ({ ...process.env, SSH_AUTH_SOCK: '', HOMEMAIL_HISTORY_DIR: mkdtempSync(path.join(tmpdir(), 'hm-watch-cli-')) });

describe('homemail watch / status', () => {
  it('needs --once', async () => {
    const run = await runCliCaptured(['watch'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.err).toContain('--once');
  });

  it('needs a target the first time', async () => {
    const run = await runCliCaptured(['watch', '--once'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.err).toContain('no saved target yet');
  });

  it('refuses target options without --domain, and a bad domain or resolver', async () => {
    expect((await runCliCaptured(['watch', '--once', '--ssh', 'deploy@192.0.2.1'], { env: env() })).code).toBe(2);
    expect((await runCliCaptured(['watch', '--once', '--domain', 'exa mple.jp'], { env: env() })).code).toBe(2);
    expect((await runCliCaptured(['watch', '--once', '--domain', 'example.jp', '--resolver', 'nope'], { env: env() })).code).toBe(2);
    expect((await runCliCaptured(['watch', '--once', '--domain', 'example.jp', '-i', '/k'], { env: env() })).code).toBe(2);
  });

  it('status on an empty store says how to start, and --json gives the schema version', async () => {
    const e = env();
    const text = await runCliCaptured(['status'], { env: e });
    expect(text.code).toBe(0);
    expect(text.out).toContain('Nothing watched yet');
    const json = JSON.parse((await runCliCaptured(['status', '--json'], { env: e })).out) as { schemaVersion: number; targets: unknown[]; storePath: string };
    expect(json).toMatchObject({ schemaVersion: 5, targets: [] });
    expect(json.storePath).toBe(path.join(e.HOMEMAIL_HISTORY_DIR, 'history.sqlite'));
  });
});
