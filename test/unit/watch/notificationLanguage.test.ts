// The language of desktop notifications: the one the person chose in the wizard, carried to
// the main process by the contract's setLanguage (validated by dispatch, kept in the data
// folder's preferences.json); the system's locale only until a choice is made. The Electron
// layer stays out: main.ts passes app.getLocale() and shows what notify is given.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WatchRunResult } from '../../../shared/watch.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { createHandlers } from '../../../main/services/index.js';
import { notificationWords, preferencesFile, savePreferredLanguage } from '../../../main/services/preferences.js';
import { keyedError, serializeError } from '../../../shared/errors.js';
import { scheduleTick } from '../../../main/services/watch/schedule.js';
import { openHistoryStore } from '../../../main/services/watch/store.js';

const context = () => ({ signal: new AbortController().signal, progress: () => undefined });
const gone = { kind: 'dkim-gone' as const, severity: 'worse' as const, subject: 'dkim:a', before: 'x', after: null, params: { name: 'a._domainkey.example.jp', before: 'x' }, text: 'The DKIM record a._domainkey.example.jp disappeared (it was "x").' };
const result: WatchRunResult = { at: '2026-11-30T12:00:00.000Z', worse: true, targets: [{ domain: 'example.jp', server: null, skipped: [], failed: null, changes: [gone] }] };

/** One due run of the desktop schedule, as main.ts wires it: what the notification says. */
async function notified(dataDir: string, systemLocale: string): Promise<string[]> {
  const store = openHistoryStore(':memory:');
  store.saveTarget({ domain: 'example.jp', ssh: null, identityFile: null, selectors: [], dkimFiles: [], resolvers: [], addresses: [] }, '2026-11-30T00:00:00Z');
  const notes: string[] = [];
  await scheduleTick({ store, now: () => new Date('2026-11-30T12:00:00Z'), run: async () => result, notify: (title, body) => notes.push(`${title} | ${body}`), words: () => notificationWords(dataDir, systemLocale) });
  return notes;
}

const english = 'Homemail: something got worse for example.jp | The DKIM record a._domainkey.example.jp disappeared (it was "x").';
const japanese = 'Homemail: example.jp で問題が発生しました | DKIM レコード a._domainkey.example.jp がなくなりました(以前は「x」)。';

describe('the language of desktop notifications', () => {
  it('follows the system locale before any choice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hm-lang-'));
    expect(await notified(dataDir, 'en-US')).toEqual([english]);
    expect(await notified(dataDir, 'ja')).toEqual([japanese]);
  });

  it('follows the language chosen in the wizard once it reaches the main process through the contract', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hm-lang-'));
    const handlers = createHandlers({ door: 'desktop', version: '0.0.0-test', dataDir, now: () => new Date(0) });
    expect(await dispatch(handlers, 'setLanguage', { language: 'ja' }, context())).toEqual({ ok: true, result: { language: 'ja' } });
    // an English system, a Japanese choice: Japanese
    expect(await notified(dataDir, 'en-US')).toEqual([japanese]);
    expect(JSON.parse(readFileSync(preferencesFile(dataDir), 'utf8'))).toEqual({ language: 'ja' });
    expect(statSync(preferencesFile(dataDir)).mode & 0o077).toBe(0);
    // changed back while the app runs: the next notification follows
    await dispatch(handlers, 'setLanguage', { language: 'en' }, context());
    expect(await notified(dataDir, 'ja_JP.UTF-8')).toEqual([english]);
  });

  it('refuses a language the wizard has no catalog for, and changes nothing', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hm-lang-'));
    const handlers = createHandlers({ door: 'web', version: '0.0.0-test', dataDir, now: () => new Date(0) });
    await dispatch(handlers, 'setLanguage', { language: 'ja' }, context());
    for (const input of [{ language: 'fr' }, { language: 'ja', extra: 1 }, {}, { language: ['ja'] }]) {
      expect(await dispatch(handlers, 'setLanguage', input, context())).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
    expect(JSON.parse(readFileSync(preferencesFile(dataDir), 'utf8'))).toEqual({ language: 'ja' });
  });

  it('says why a target could not be watched in the chosen language, from the error\'s codes', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hm-lang-'));
    await savePreferredLanguage(dataDir, 'ja');
    const store = openHistoryStore(':memory:');
    store.saveTarget({ domain: 'example.org', ssh: 'admin@mail.example.org', identityFile: null, selectors: [], dkimFiles: [], resolvers: [], addresses: [] }, '2026-11-30T00:00:00Z');
    const error = keyedError('ssh-unreachable', { key: 'connectionClosed', params: { host: 'mail.example.org' } });
    const failing: WatchRunResult = { at: result.at, worse: false, targets: [{ domain: 'example.org', server: 'admin@mail.example.org', skipped: [], changes: [], failed: error.message, failure: serializeError(error) }] };
    const notes: string[] = [];
    await scheduleTick({ store, now: () => new Date('2026-11-30T12:00:00Z'), run: async () => failing, notify: (title, body) => notes.push(`${title} | ${body}`), words: () => notificationWords(dataDir, 'en-US') });
    expect(notes).toEqual(['Homemail: example.org をチェックできませんでした | mail.example.org への接続は閉じられています。']);
  });

  it('takes a damaged preferences file as no choice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hm-lang-'));
    for (const text of ['{not json', '{"language":"fr"}', '[]']) {
      writeFileSync(preferencesFile(dataDir), text);
      expect(await notified(dataDir, 'ja')).toEqual([japanese]);
      expect(await notified(dataDir, 'en')).toEqual([english]);
    }
  });
});
