// The CLI's own words (`cli.*`, and the CLI's refusals under `serviceErrors.cli*`) exist in both
// catalogs with the same placeholders. The sources are scanned, not listed by hand, so a new
// line of CLI text without its Japanese fails here instead of printing a bare key.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/index.js';

type Tree = { [key: string]: string | Tree };
const root = path.resolve(import.meta.dirname, '../../..');
const catalog = (language: string): Tree => JSON.parse(readFileSync(path.join(root, 'renderer/src/locales', `${language}.json`), 'utf8')) as Tree;
const en = catalog('en');
const ja = catalog('ja');

function at(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' && Object.hasOwn(node, part) ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

/** Literal `cli.…` keys and the CLI refusals' `serviceErrors` keys in main/ and shared/. */
function usedKeys(): string[] {
  const keys = new Set<string>();
  for (const file of [...sources(path.join(root, 'main')), ...sources(path.join(root, 'shared'))]) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/'(cli\.[A-Za-z]+(?:\.[A-Za-z-]+)+)'/g)) keys.add(m[1] ?? '');
    for (const m of source.matchAll(/cliError\(\s*'[a-z-]+',\s*(?:[^,]*\?\s*)?'(cli[A-Za-z]+)'(?:\s*:\s*'(cli[A-Za-z]+)')?/g)) {
      keys.add(`serviceErrors.${m[1] ?? ''}`);
      if (m[2]) keys.add(`serviceErrors.${m[2]}`);
    }
  }
  return [...keys].sort();
}

describe('the CLI\'s words in the catalogs', () => {
  const keys = usedKeys();

  it('finds the keys of the frame lines and the refusals', () => {
    expect(keys).toEqual(expect.arrayContaining(['cli.plan.header', 'cli.apply.applied', 'cli.help.usage', 'serviceErrors.cliRequired', 'serviceErrors.cliNoRelayPasswordSecondLine']));
  });

  it('has every key in English and Japanese with the same placeholders', () => {
    const missing = keys.filter((key) => at(en, key) === undefined || at(ja, key) === undefined);
    expect(missing).toEqual([]);
    const differing = keys.filter((key) => placeholders(at(en, key)).join() !== placeholders(at(ja, key)).join());
    expect(differing).toEqual([]);
  });

  it('has a summary for every command in both languages, and the same keys under cli in both', () => {
    for (const command of commands) {
      expect(at(en, `cli.summary.${command.name}`), command.name).toBeDefined();
      expect(at(ja, `cli.summary.${command.name}`), command.name).toBeDefined();
    }
    const leaves = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
    expect(leaves(ja.cli as Tree).sort()).toEqual(leaves(en.cli as Tree).sort());
    for (const key of leaves(en.cli as Tree)) expect(placeholders(at(ja, `cli.${key}`)), key).toEqual(placeholders(at(en, `cli.${key}`)));
  });
});
