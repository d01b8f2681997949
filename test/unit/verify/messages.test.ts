import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkText, renderCheckEnglish, summarize, worstStatus } from '../../../shared/checks.js';
import { checkMessagesEn } from '../../../shared/verify/messages.en.js';

const locale = (lang: string) => JSON.parse(readFileSync(new URL(`../../../renderer/src/locales/${lang}.json`, import.meta.url), 'utf8')) as { checks: Record<string, string>; verify: Record<string, unknown> };
const params = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('check sentences', () => {
  it('en.json holds exactly the English catalogue', () => {
    expect(locale('en').checks).toEqual(checkMessagesEn);
  });
  it('ja.json translates every sentence with the same parameters', () => {
    const ja = locale('ja').checks;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(checkMessagesEn).sort());
    for (const [key, en] of Object.entries(checkMessagesEn)) expect([key, params(ja[key] ?? '')]).toEqual([key, params(en)]);
  });
  it('the verify step strings exist in both languages', () => {
    const keys = (o: Record<string, unknown>): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as Record<string, unknown>).map((s) => `${k}.${s}`) : [k]));
    expect(keys(locale('ja').verify).sort()).toEqual(keys(locale('en').verify).sort());
  });
  it('renders English for the CLI', () => {
    const text = checkText('dkimFoundNone', { name: 's._domainkey.example.jp' });
    expect(text.text).toBe('no TXT record at s._domainkey.example.jp');
    const lines = renderCheckEnglish({ id: 'x', area: 'dkim', status: 'fail', title: checkText('dkimTitle', { name: 'n' }), expected: checkText('dkimExpectedAny'), found: text, fix: checkText('dkimFixPublish', { name: 'n' }) });
    expect(lines[0]).toBe('[FAIL] DKIM record n');
    expect(lines).toHaveLength(4);
  });
  it('summarises and ranks statuses', () => {
    expect(summarize([{ status: 'pass' }, { status: 'fail' }, { status: 'unknown' }, { status: 'pass' }])).toEqual({ pass: 2, warn: 0, fail: 1, unknown: 1 });
    expect(worstStatus(['pass', 'unknown', 'warn'])).toBe('warn');
    expect(worstStatus([])).toBe('pass');
  });
});
