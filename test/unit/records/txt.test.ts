import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  joinTxtStrings,
  MAX_TXT_STRING_BYTES,
  parseQuotedStrings,
  quoteTxtString,
  quoteTxtStrings,
  splitDkimValue,
  splitTxtValue,
  utf8Length,
} from '../../../shared/records/txt.js';

const encoder = new TextEncoder();
const bytesOf = (s: string) => Array.from(encoder.encode(s));

// Any text: ASCII, Japanese, emoji (4-byte), control characters, quotes and backslashes.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 1500 }),
  fc.string({ unit: fc.constantFrom('あ', '日', '本', '😀', 'a', '"', '\\', ' ', ';', '\u0000', '\u007f', 'é'), maxLength: 1500 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 1500 }),
);

describe('splitTxtValue', () => {
  it('is lossless: joining the strings gives the value back, byte for byte', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const strings = splitTxtValue(value);
        expect(joinTxtStrings(strings)).toBe(value);
        expect(bytesOf(strings.join(''))).toEqual(bytesOf(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never makes a string over 255 bytes, also for multi-byte text', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        for (const s of splitTxtValue(value)) expect(utf8Length(s)).toBeLessThanOrEqual(MAX_TXT_STRING_BYTES);
      }),
      { numRuns: 500 },
    );
  });

  it('fills strings as far as they go and never tears a character', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 4, max: 300 }), (value, max) => {
        const strings = splitTxtValue(value, max);
        strings.forEach((s, i) => {
          expect(utf8Length(s)).toBeLessThanOrEqual(max);
          // A string ends early only when the next character would not fit.
          const next = strings[i + 1];
          if (next !== undefined) expect(utf8Length(s) + utf8Length(String.fromCodePoint(next.codePointAt(0) as number))).toBeGreaterThan(max);
        });
        // No cut between the two halves of a surrogate pair (an emoji split in two).
        strings.forEach((s, i) => {
          const next = strings[i + 1];
          if (next !== undefined) expect(/[\uD800-\uDBFF]$/.test(s) && /^[\uDC00-\uDFFF]/.test(next)).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('splits a 600-character ASCII value 255 + 255 + 90, and keeps an empty value as one empty string', () => {
    expect(splitTxtValue('x'.repeat(600)).map((s) => s.length)).toEqual([255, 255, 90]);
    expect(splitTxtValue('')).toEqual(['']);
    // 100 three-byte characters = 300 bytes: 85 characters (255 bytes) then 15.
    expect(splitTxtValue('あ'.repeat(100)).map((s) => s.length)).toEqual([85, 15]);
  });
});

describe('splitDkimValue', () => {
  const base64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), minLength: 1, maxLength: 1200 });

  it('is lossless and every string fits 255 bytes', () => {
    fc.assert(
      fc.property(base64, fc.constantFrom('v=DKIM1; h=sha256; k=rsa; ', 'v=DKIM1; k=ed25519; ', `v=DKIM1; n=${'note '.repeat(80)}; k=rsa; `), (key, head) => {
        const value = `${head}p=${key}`;
        const strings = splitDkimValue(value);
        expect(strings.join('')).toBe(value);
        for (const s of strings) expect(utf8Length(s)).toBeLessThanOrEqual(255);
      }),
      { numRuns: 300 },
    );
  });

  it('lays a key out as opendkim-genkey does: tags, then p= and 250 characters, then 250 per string', () => {
    const key = 'A'.repeat(392);
    expect(splitDkimValue(`v=DKIM1; h=sha256; k=rsa; p=${key}`)).toEqual(['v=DKIM1; h=sha256; k=rsa; ', `p=${'A'.repeat(250)}`, 'A'.repeat(142)]);
  });
});

describe('zone-file quoting', () => {
  it('escapes quotes, backslashes and non-ASCII bytes', () => {
    expect(quoteTxtString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteTxtString('あ')).toBe('"\\227\\129\\130"');
    expect(quoteTxtString('tab\there')).toBe('"tab\\009here"');
  });

  it('reads back exactly what it wrote', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { minLength: 1, maxLength: 5 }), (strings) => {
        expect(parseQuotedStrings(quoteTxtStrings(strings))).toEqual(strings);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text that is not quoted strings', () => {
    expect(parseQuotedStrings('"open')).toBeNull();
    expect(parseQuotedStrings('bare')).toBeNull();
    expect(parseQuotedStrings('"a" b')).toBeNull();
    expect(parseQuotedStrings('"\\999"')).toBeNull();
  });
});
