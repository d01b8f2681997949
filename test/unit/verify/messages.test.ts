import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLines, summaryLine } from '../../../shared/i18n/checkLines.js';
import { cliText } from '../../../main/cli/language.js';
import { spfVerdictText } from '../../../main/services/verify/recordChecks.js';
import { checkText, summarize, worstStatus } from '../../../shared/checks.js';
import { parseDmarcRecord, parseSpfRecord } from '../../../shared/verify/tags.js';

type Tree = { [key: string]: string | Tree };
const locale = (lang: string) => JSON.parse(readFileSync(new URL(`../../../renderer/src/locales/${lang}.json`, import.meta.url), 'utf8')) as { checks: Record<string, string>; verify: Tree; words: Tree };
const params = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const ja = cliText({ LANG: 'ja_JP.UTF-8' });
const en = cliText({ LANG: 'C.UTF-8' });

describe('check sentences', () => {
  it('ja.json translates every sentence with the same parameters', () => {
    const jaChecks = locale('ja').checks;
    const enChecks = locale('en').checks;
    expect(Object.keys(jaChecks).sort()).toEqual(Object.keys(enChecks).sort());
    for (const [key, text] of Object.entries(enChecks)) expect([key, params(jaChecks[key] ?? '')]).toEqual([key, params(text)]);
  });
  it('the verify step strings exist in both languages', () => {
    const keys = (o: Tree): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((s) => `${k}.${s}`) : [k]));
    expect(keys(locale('ja').verify).sort()).toEqual(keys(locale('en').verify).sort());
    expect(keys(locale('ja').words).sort()).toEqual(keys(locale('en').words).sort());
  });
  it('takes its English from the catalog', () => {
    expect(checkText('dkimFoundNone', { name: 's._domainkey.example.jp' }).text).toBe('no TXT record at s._domainkey.example.jp');
  });
  it('renders a check for the CLI in English and in Japanese', () => {
    const check = { id: 'x', area: 'dkim' as const, status: 'fail' as const, title: checkText('dkimTitle', { name: 'n' }), expected: checkText('dkimExpectedAny'), found: checkText('dkimFoundNone', { name: 'n' }), fix: checkText('dkimFixPublish', { name: 'n' }) };
    expect(checkLines(check, en)[0]).toBe('[FAIL] DKIM record n');
    expect(checkLines(check, en)).toHaveLength(4);
    expect(checkLines(check, ja)).toEqual([
      '[問題] DKIM レコード n',
      `       現在の状態:   ${ja.keyed('checks', check.found)}`,
      `       あるべき状態: ${ja.keyed('checks', check.expected)}`,
      `       直し方:       ${ja.keyed('checks', check.fix)}`,
    ]);
    expect(summaryLine({ pass: 3, warn: 1, fail: 0, unknown: 2 }, ja)).toBe('合格 3、警告 1、問題 0、判定不能 2');
  });
  it('says why a record does not parse in the reader\'s language, not the parser\'s English', () => {
    const dmarc = parseDmarcRecord('v=DMARC1; p=block');
    const spf = parseSpfRecord('v=spf1 ip4:999.1 -all');
    if (dmarc.ok || spf.ok) throw new Error('expected both to fail');
    const dmarcFound = checkText('dmarcFoundSyntax', { record: 'v=DMARC1; p=block', ...dmarc.problem.params, problem: dmarc.problem.code });
    expect(dmarcFound.text).toBe('"v=DMARC1; p=block": p=block (must be none, quarantine or reject)');
    expect(ja.keyed('checks', dmarcFound)).toBe('"v=DMARC1; p=block": p=block(none、quarantine、reject のどれかでなければなりません)');
    const spfFound = checkText('spfFoundSyntax', { record: 'v=spf1 ip4:999.1 -all', ...spf.problem.params, problem: spf.problem.code });
    expect(spfFound.text).toContain('"ip4:999.1" is not an IPv4 address');
    expect(ja.keyed('checks', spfFound)).toContain('「ip4:999.1」は IPv4 アドレスではありません');
  });
  it('explains an SPF verdict in its own words (no evaluator comment)', () => {
    const found = spfVerdictText('softfail', 'example.jp', '192.0.2.1');
    expect(found.text).toBe('softfail: the SPF record of example.jp does not list 192.0.2.1 and asks receivers to be suspicious (~all)');
    expect(ja.keyed('checks', found)).toBe('softfail: example.jp の SPF レコードに 192.0.2.1 がなく、受信側に疑うよう求めています(~all)');
  });
  it('names a DNS failure from its code in both languages', () => {
    const found = checkText('resolverNoAnswer', { reason: 'ETIMEOUT' });
    expect(found.text).toBe('no usable answer (timed out)');
    expect(ja.keyed('checks', found)).toBe('使える応答なし(時間切れ)');
  });
  it('names the field a fix points at as each door does: the option in the CLI, the label in the wizard', () => {
    const fix = checkText('addressFixNotGiven', { field: 'ip' });
    expect(en.keyed('checks', fix)).toContain('(--ip ADDR)');
    expect(ja.keyed('checks', fix)).toBe('SPF と逆引きを確認するため、サーバーのグローバル IP アドレスを指定してください(--ip ADDR)。');
    // The wizard's own rendering (and the English `text`) use the field's label.
    expect(fix.text).toContain("(Server's public address)");
  });
  it('summarises and ranks statuses', () => {
    expect(summarize([{ status: 'pass' }, { status: 'fail' }, { status: 'unknown' }, { status: 'pass' }])).toEqual({ pass: 2, warn: 0, fail: 1, unknown: 1 });
    expect(worstStatus(['pass', 'unknown', 'warn'])).toBe('warn');
    expect(worstStatus([])).toBe('pass');
  });
});
