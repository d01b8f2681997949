import { describe, expect, it } from 'vitest';
import { FIGURE_KEYS, figure, formatTable, hasErrors, meets, missing, ratio, type Results } from '../../../bench/report.js';

function allPassing(): Results {
  const results = {} as Results;
  for (const key of FIGURE_KEYS) results[key] = figure(1, 'ms', { kind: 'limit', op: '<=', limit: 2, judged: 1, text: '<= 2 ms' });
  return results;
}

describe('bench targets', () => {
  it('judges each operator at and around its limit', () => {
    expect(meets(1.2, '<=', 1.2)).toBe(true);
    expect(meets(1.21, '<=', 1.2)).toBe(false);
    expect(meets(2, '<', 2)).toBe(false);
    expect(meets(1.99, '<', 2)).toBe(true);
    expect(meets(1, '=', 1)).toBe(true);
    expect(meets(2, '=', 1)).toBe(false);
    expect(meets(Number.NaN, '<=', 1)).toBe(false);
  });

  it('judges the ratio, not the figure, when the target is relative', () => {
    const slowKeygen = figure(300, 'ms', { kind: 'limit', op: '<=', limit: 1.2, judged: ratio(300, 200), text: 'ratio <= 1.2' });
    expect(slowKeygen).toMatchObject({ value: 300, pass: false, target: 'ratio <= 1.2' });
    const fastKeygen = figure(300, 'ms', { kind: 'limit', op: '<=', limit: 1.2, judged: ratio(300, 290), text: 'ratio <= 1.2' });
    expect(fastKeygen.pass).toBe(true);
  });

  it('gives a reference no mark and keeps the context beside the value', () => {
    const f = figure(180, 'ms', { kind: 'reference', text: 'reference' }, { samples: 30 });
    expect(f).toEqual({ value: 180, unit: 'ms', target: 'reference', pass: null, samples: 30 });
  });

  it('has no ratio without a positive reference', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, null)).toBeNull();
    expect(ratio(3, 2)).toBe(1.5);
  });
});

describe('bench table', () => {
  it('prints every figure in order with PASS, FAIL, ref and ERROR marks', () => {
    const results = allPassing();
    results.inspect_round_trips = figure(2, '', { kind: 'limit', op: '=', limit: 1, judged: 2, text: '= 1' });
    results.openssl_genrsa2048_ms = figure(150.5, 'ms', { kind: 'reference', text: 'reference' });
    results.web_rss_mb = missing('MB', '<= 120 MB', 'web mode did not start');
    const lines = formatTable(results).split('\n');
    expect(lines).toHaveLength(2 + FIGURE_KEYS.length);
    expect(lines.slice(2).map((l) => l.split('|')[1]?.trim())).toEqual([...FIGURE_KEYS]);
    const row = (key: string) => lines.find((l) => l.includes(`| ${key} `)) ?? '';
    expect(row('inspect_round_trips')).toMatch(/\| 2 +\| = 1 +\| FAIL +\|$/);
    expect(row('openssl_genrsa2048_ms')).toMatch(/151 ms .*\| ref +\|$/);
    expect(row('web_rss_mb')).toMatch(/\| n\/a +\| .*\| ERROR \|$/);
    expect(row('keygen_rsa2048_ms')).toMatch(/PASS/);
  });

  it('counts a missing figure as an error, a missed target not', () => {
    const results = allPassing();
    results.first_paint_ms = figure(900, 'ms', { kind: 'limit', op: '<=', limit: 500, judged: 900, text: '<= 500 ms' });
    expect(results.first_paint_ms.pass).toBe(false);
    expect(hasErrors(results)).toBe(false);
    results.verify_wall_ms = missing('ms', '<= 1.5 x slowest query', 'DNS down');
    expect(hasErrors(results)).toBe(true);
  });
});
