// The desktop app's schedule: when a run is due, and what it notifies.
import { describe, expect, it } from 'vitest';
import type { WatchRunResult } from '../../../shared/watch.js';
import { runDue, scheduleTick } from '../../../main/services/watch/schedule.js';
import { openHistoryStore } from '../../../main/services/watch/store.js';
import { catalogText } from '../../../main/services/catalogText.js';

describe('watch schedule', () => {
  it('is due when never run or when the interval has passed, and never when off', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(runDue({ enabled: true, intervalHours: 24, lastRunAt: null }, now)).toBe(true);
    expect(runDue({ enabled: true, intervalHours: 24, lastRunAt: '2026-11-29T12:00:01Z' }, now)).toBe(false);
    expect(runDue({ enabled: true, intervalHours: 24, lastRunAt: '2026-11-29T12:00:00Z' }, now)).toBe(true);
    expect(runDue({ enabled: false, intervalHours: 1, lastRunAt: null }, now)).toBe(false);
  });

  it('runs when due, remembers it, and notifies only a change for the worse', async () => {
    const store = openHistoryStore(':memory:');
    store.saveTarget({ domain: 'example.test', ssh: null, identityFile: null, selectors: [], dkimFiles: [], resolvers: [], addresses: [] }, '2026-11-30T00:00:00Z');
    const notes: string[] = [];
    let runs = 0;
    const result: WatchRunResult = {
      at: '2026-11-30T12:00:00.000Z',
      worse: true,
      targets: [
        { domain: 'example.test', server: null, skipped: [], failed: null, changes: [{ kind: 'dkim-gone', severity: 'worse', subject: 'dkim:a', before: 'x', after: null, params: { name: 'a._domainkey.example.test', before: 'x' }, text: 'The DKIM record a._domainkey.example.test disappeared.' }] },
        { domain: 'example.org', server: null, skipped: [], failed: null, changes: [{ kind: 'check-better', severity: 'better', subject: 'mx', before: null, after: null, params: {}, text: 'better' }] },
      ],
    };
    const deps = {
      store,
      now: () => new Date('2026-11-30T12:00:00Z'),
      run: async () => {
        runs += 1;
        return result;
      },
      notify: (title: string, body: string) => notes.push(`${title} | ${body}`),
      words: () => catalogText('en'),
    };
    expect(await scheduleTick(deps)).toBe(result);
    expect(notes).toEqual(['Homemail: something got worse for example.test | The DKIM record a._domainkey.example.test disappeared (it was "x").']);
    expect(store.schedule().lastRunAt).toBe('2026-11-30T12:00:00.000Z');
    expect(await scheduleTick(deps)).toBeNull();
    expect(runs).toBe(1);
    store.setSchedule({ enabled: false, intervalHours: 24, lastRunAt: null });
    expect(await scheduleTick(deps)).toBeNull();
  });

  it('notifies in the person\'s language, from the catalogs', async () => {
    const store = openHistoryStore(':memory:');
    store.saveTarget({ domain: 'example.jp', ssh: 'admin@mail.example.jp', identityFile: null, selectors: [], dkimFiles: [], resolvers: [], addresses: [] }, '2026-11-30T00:00:00Z');
    const notes: string[] = [];
    const gone = { kind: 'dkim-gone' as const, severity: 'worse' as const, subject: 'dkim:a', before: 'x', after: null, params: { name: 'a._domainkey.example.jp', before: 'x' }, text: 'The DKIM record a._domainkey.example.jp disappeared (it was "x").' };
    const result: WatchRunResult = {
      at: '2026-11-30T12:00:00.000Z',
      worse: true,
      targets: [
        { domain: 'example.jp', server: null, skipped: [], failed: null, changes: [gone] },
        { domain: 'example.org', server: null, skipped: [], failed: 'connect ECONNREFUSED 192.0.2.1:22', changes: [] },
      ],
    };
    await scheduleTick({ store, now: () => new Date('2026-11-30T12:00:00Z'), run: async () => result, notify: (title, body) => notes.push(`${title} | ${body}`), words: () => catalogText('ja') });
    expect(notes).toEqual([
      'Homemail: example.jp で問題が発生しました | DKIM レコード a._domainkey.example.jp がなくなりました(以前は「x」)。',
      'Homemail: example.org をチェックできませんでした | connect ECONNREFUSED 192.0.2.1:22',
    ]);
  });
});
