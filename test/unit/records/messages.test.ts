// The record notes, provider guides and validation problems are said only by the catalogs
// (en.json is the English the CLI and --json print): every key a module passes to note(),
// problem()/invalid() or a preset's guide exists in both languages, with the same
// placeholders, and Japanese is a translation, not a copy.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../../renderer/src/locales/ja.json' with { type: 'json' };
import { englishRecordWords } from '../../../shared/records/formats.js';
import { note } from '../../../shared/records/notes.js';
import { problem } from '../../../shared/validation/problem.js';

const root = path.resolve(import.meta.dirname, '../../..');
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) ? [readFileSync(full, 'utf8')] : [];
  });
}

describe('record and validation texts', () => {
  it('ja.json translates every key of en.json with the same placeholders', () => {
    for (const section of ['records', 'validation'] as const) {
      const english = en[section] as Record<string, string>;
      const translated = ja[section] as Record<string, string>;
      expect(Object.keys(translated).sort(), section).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(english)) {
        expect(placeholders(translated[key] ?? ''), `${section}.${key}`).toEqual(placeholders(text));
        expect(translated[key], `${section}.${key}`).not.toBe(text);
      }
    }
  });

  it('has every key the modules use in both catalogs', () => {
    const used = { records: new Set<string>(), validation: new Set<string>() };
    for (const source of [...sources(path.join(root, 'shared')), ...sources(path.join(root, 'main'))]) {
      for (const m of source.matchAll(/\bnote\(\s*'(\w+)'/g)) used.records.add(m[1] ?? '');
      for (const m of source.matchAll(/\bguide:\s*'(\w+)'/g)) used.records.add(m[1] ?? '');
      for (const m of source.matchAll(/\b(?:problem|invalid)\(\s*'(\w+)'/g)) used.validation.add(m[1] ?? '');
    }
    expect(used.records.size).toBeGreaterThan(30);
    expect(used.validation.size).toBeGreaterThan(20);
    const missing = (['records', 'validation'] as const).flatMap((section) =>
      [...used[section]].filter((key) => !Object.hasOwn(en[section], key) || !Object.hasOwn(ja[section], key)).map((key) => `${section}.${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('says the English from en.json, params filled', () => {
    expect(problem('ipInvalid', { value: 'x' }).text).toBe('"x" is not an IPv4 or IPv6 address.');
    expect(note('spfLookups', { count: 3, limit: 10 }, 'info').text).toBe('This SPF record makes 3 DNS lookups of the 10 allowed (RFC 7208 §4.6.4).');
    expect(englishRecordWords('changeDelete')).toBe(en.records.changeDelete);
  });
});
