import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json';
import ja from '../../../renderer/src/locales/ja.json';
import { errorCodes } from '../../../shared/errors.js';
import { initialLanguage } from '../../../renderer/src/i18n.js';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [k, v] of leaves(value, path)) found.set(k, v);
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const english = leaves(en as Tree);
  const japanese = leaves(ja as Tree);

  it('have the same keys in Japanese and English', () => {
    expect([...japanese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('have no empty texts', () => {
    for (const [key, text] of [...english, ...japanese]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of english) expect(placeholders(japanese.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('translate every error code', () => {
    for (const code of Object.keys(errorCodes)) {
      expect(english.has(`errors.${code}`), code).toBe(true);
      expect(japanese.has(`errors.${code}`), code).toBe(true);
    }
  });
});

describe('initial language', () => {
  it('keeps a saved choice', () => expect(initialLanguage(['en-US'], 'ja')).toBe('ja'));
  it('follows a Japanese system', () => expect(initialLanguage(['ja-JP', 'en-US'], null)).toBe('ja'));
  it('takes the first supported language the system prefers', () => expect(initialLanguage(['fr-FR', 'en-GB', 'ja'], null)).toBe('en'));
  it('falls back to English', () => expect(initialLanguage(['de-DE'], 'klingon')).toBe('en'));
});
