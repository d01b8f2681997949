import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, shellQuote } from '../../../main/services/ssh/quote.js';

export const hostileStrings = [
  '',
  ' ',
  "it's",
  '"double"',
  'a;rm -rf /',
  '$(id)',
  '`id`',
  '${HOME}',
  'line1\nline2',
  'tab\there',
  '*',
  '~root',
  '-n',
  '\\',
  "'; echo pwned; '",
  '日本語のメール',
  'é\u00a0\u200b',
  '!history',
  '#comment',
  'a|b&c>d<e',
];

/** Runs the quoted line through a real sh and returns the argv it received. */
function argvThroughSh(args: readonly string[]): string[] {
  const out = execFileSync('sh', ['-c', `${commandLine(['printf', '%s\\0', 'begin', ...args])}`], { encoding: 'utf8' });
  return out.split('\0').slice(1, -1);
}

describe('shellQuote', () => {
  it('passes hostile strings to sh as exactly one argument each', () => {
    expect(argvThroughSh(hostileStrings)).toEqual(hostileStrings);
  });

  it('keeps plain words readable and quotes everything else', () => {
    expect(shellQuote('/etc/postfix/main.cf')).toBe('/etc/postfix/main.cf');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('refuses NUL bytes with a bad-input error', () => {
    expect(() => shellQuote('a\0b')).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });

  it('round-trips arbitrary strings through sh (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')), { maxLength: 5 }), (args) => {
        expect(argvThroughSh(args)).toEqual(args);
      }),
      { numRuns: 60 },
    );
    // Sixty runs of sh: seconds on a loaded machine.
  }, 30_000);
});
