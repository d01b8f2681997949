import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en.json';
import ja from '../../../renderer/src/locales/ja.json';

type Tree = { [key: string]: string | Tree };

function has(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return false;
    node = node[part];
  }
  return typeof node === 'string';
}

// The screens' source text, read by Vite at test time (this file is typed for the browser, not Node).
const sources = import.meta.glob<string>('../../../renderer/src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });

describe('wizard texts', () => {
  const used = new Set<string>();
  for (const text of Object.values(sources)) {
    for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z0-9.-]+)'/g)) used.add(match[1] as string);
  }

  it('finds the keys the screens use', () => expect(used.size).toBeGreaterThan(150));

  it('has every key the screens use, in both languages', () => {
    const missing = [...used].filter((key) => !has(en as Tree, key) || !has(ja as Tree, key));
    expect(missing).toEqual([]);
  });

  it('translates every error code with a next step', () => {
    for (const code of Object.keys(en.errors)) {
      expect(has(en as Tree, `errorHints.${code}`), code).toBe(true);
      expect(has(ja as Tree, `errorHints.${code}`), code).toBe(true);
    }
  });
});
