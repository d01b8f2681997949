import { describe, expect, it } from 'vitest';
import { HomemailError } from '../../../shared/errors.js';
import { normalizeDomain, normalizeSelector, orThrow, parseEmailAddress, parseIpAddress, suggestSelector } from '../../../shared/validation/index.js';

function problemKey(result: { ok: boolean; problem?: { key: string } }): string | undefined {
  return result.ok ? undefined : result.problem?.key;
}

describe('normalizeDomain', () => {
  it.each([
    ['example.jp', 'example.jp'],
    ['Example.COM.', 'example.com'],
    ['  mail.example.test  ', 'mail.example.test'],
    ['日本語.jp', 'xn--wgv71a119e.jp'],
    ['ＥＸＡＭＰＬＥ．ｊｐ', 'example.jp'],
    ['例え。テスト', 'xn--r8jz45g.xn--zckzah'],
    ['münchen.DE', 'xn--mnchen-3ya.de'],
    ['xn--wgv71a119e.jp', 'xn--wgv71a119e.jp'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDomain(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'domainEmpty'],
    ['exa mple.com', 'domainChars'],
    ['example.com/x', 'domainChars'],
    ['user@example.com', 'domainChars'],
    ['example.com:25', 'domainChars'],
    ['a..b.com', 'domainEmptyLabel'],
    ['example.com..', 'domainEmptyLabel'],
    ['-a.com', 'domainLabelChars'],
    ['a-.com', 'domainLabelChars'],
    ['a_b.com', 'domainLabelChars'],
    [`${'a'.repeat(64)}.com`, 'domainLabelTooLong'],
    [`${'a.'.repeat(127)}com`, 'domainTooLong'],
    ['localhost', 'domainSingleLabel'],
    ['192.0.2.1', 'domainIsAddress'],
    ['0x7f.1', 'domainIsAddress'],
    ['example.123', 'domainUnparsable'],
  ])('refuses %j (%s)', (input, key) => {
    expect(problemKey(normalizeDomain(input))).toBe(key);
  });

  it('accepts a single label only when asked', () => {
    expect(normalizeDomain('localhost', { allowSingleLabel: true })).toEqual({ ok: true, value: 'localhost' });
  });

  it('gives English text with the value filled in', () => {
    const result = normalizeDomain('exa mple.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.text).toBe('"exa mple.com" is not a domain name: it contains "space".');
  });

  it('orThrow names the field in a bad-input error', () => {
    try {
      orThrow('domain', normalizeDomain('a..b'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HomemailError);
      expect((error as HomemailError).code).toBe('bad-input');
      expect((error as HomemailError).details).toEqual({ field: 'domain' });
      expect((error as HomemailError).message).toBe('"a..b" has an empty part between dots.');
      expect((error as HomemailError).sentence).toEqual({ namespace: 'validation', key: 'domainEmptyLabel', params: { value: 'a..b' } });
    }
  });
});

describe('selectors (RFC 6376 §3.1)', () => {
  it.each([
    ['202611', '202611'],
    ['Postfix', 'postfix'],
    ['mail.2026', 'mail.2026'],
    ['a-b', 'a-b'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSelector(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'selectorEmpty'],
    ['.sel', 'selectorDotEnds'],
    ['sel.', 'selectorDotEnds'],
    ['a/b', 'selectorChars'],
    ['a b', 'selectorChars'],
    ['a_b', 'selectorChars'],
    ['セレクタ', 'selectorChars'],
    ['-a', 'selectorLabel'],
    ['a..b', 'selectorLabel'],
    ['a'.repeat(64), 'selectorLabel'],
  ])('refuses %j (%s)', (input, key) => {
    expect(problemKey(normalizeSelector(input))).toBe(key);
  });

  it('suggests a dated selector that is not taken', () => {
    const date = new Date(2026, 10, 28);
    expect(suggestSelector(date)).toBe('202611');
    expect(suggestSelector(date, ['202611'])).toBe('202611b');
    expect(suggestSelector(date, ['202611', '202611B', '202611c'])).toBe('202611d');
    expect(normalizeSelector(suggestSelector(new Date(2027, 0, 1))).ok).toBe(true);
    expect(suggestSelector(new Date(2027, 0, 1))).toBe('202701');
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['203.0.113.25', 4, '203.0.113.25', 'documentation'],
    ['8.8.8.8', 4, '8.8.8.8', 'public'],
    ['192.168.1.10', 4, '192.168.1.10', 'private'],
    ['100.64.1.1', 4, '100.64.1.1', 'shared'],
    ['127.0.0.1', 4, '127.0.0.1', 'loopback'],
    ['2001:0DB8:0:0:0:0:0:25', 6, '2001:db8::25', 'documentation'],
    ['2400:4050::1', 6, '2400:4050::1', 'public'],
    ['fe80::1', 6, 'fe80::1', 'link-local'],
    ['fd00::1', 6, 'fd00::1', 'private'],
    ['::1', 6, '::1', 'loopback'],
    ['::ffff:198.51.100.7', 4, '198.51.100.7', 'documentation'],
  ])('%s', (input, version, address, scope) => {
    expect(parseIpAddress(input)).toEqual({ ok: true, value: { version, address, scope } });
  });

  it.each([
    ['', 'ipEmpty'],
    ['256.1.1.1', 'ipInvalid'],
    ['1.2.3', 'ipInvalid'],
    ['010.1.1.1', 'ipLeadingZero'],
    ['1::2::3', 'ipInvalid'],
    ['fe80::1%eth0', 'ipZone'],
    ['example.jp', 'ipInvalid'],
    ['192.0.2.0/24', 'ipPrefixNotAllowed'],
  ])('refuses %j (%s)', (input, key) => {
    expect(problemKey(parseIpAddress(input))).toBe(key);
  });

  it('takes networks when allowed', () => {
    expect(parseIpAddress('192.0.2.0/24', { allowPrefix: true })).toEqual({ ok: true, value: { version: 4, address: '192.0.2.0', prefix: 24, scope: 'documentation' } });
    expect(problemKey(parseIpAddress('192.0.2.0/33', { allowPrefix: true }))).toBe('ipPrefix');
    expect(problemKey(parseIpAddress('2001:db8::/129', { allowPrefix: true }))).toBe('ipPrefix');
  });
});

describe('parseEmailAddress', () => {
  it('normalises the domain and keeps the local part', () => {
    expect(parseEmailAddress('mailto:DMARC.Reports@日本語.JP')).toEqual({
      ok: true,
      value: { local: 'DMARC.Reports', domain: 'xn--wgv71a119e.jp', address: 'DMARC.Reports@xn--wgv71a119e.jp' },
    });
  });

  it.each([
    ['', 'emailEmpty'],
    ['no-at-sign', 'emailShape'],
    ['@example.jp', 'emailShape'],
    ['a@', 'emailShape'],
    ['a b@example.jp', 'emailLocalPart'],
    ['a..b@example.jp', 'emailLocalPart'],
    ['ユーザー@example.jp', 'emailLocalPart'],
    [`${'a'.repeat(65)}@example.jp`, 'emailLocalTooLong'],
    ['a@exa mple.jp', 'emailDomain'],
  ])('refuses %j (%s)', (input, key) => {
    expect(problemKey(parseEmailAddress(input))).toBe(key);
  });
});
