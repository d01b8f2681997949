// Every plan sentence a service can emit (a PlanText key with its params) exists in both
// catalogs with placeholders the params fill. The services are scanned, not listed by hand,
// so a new key without a translation fails here instead of falling back to English silently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };
const root = path.resolve(import.meta.dirname, '../../..');
const catalog = (language: string): Tree => JSON.parse(readFileSync(path.join(root, 'renderer/src/locales', `${language}.json`), 'utf8')) as Tree;
const en = catalog('en');
const ja = catalog('ja');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Keys built from a template: each expansion the code can produce. */
const TEMPLATE_KEYS: Record<string, readonly string[]> = {
  '${action}Service': ['reloadService', 'startService', 'restartService'],
  '${postfixAction}Service': ['reloadService', 'startService', 'restartService'],
  '${opendkimAction}Service': ['reloadService', 'startService', 'restartService'],
  'inboundMainCf${removed.length > 0 ? \'Lists\' : \'\'}${ruleKey}': [
    'inboundMainCfLists',
    'inboundMainCfListsStrict',
    'inboundMainCfListsReverse',
    'inboundMainCfStrict',
    'inboundMainCfReverse',
  ],
};

interface Emitted {
  key: string;
  file: string;
  /** Param names given at the call, when they could be read (a literal object). */
  params: string[] | null;
}

/** The `t(key, text, params)` calls of every module that builds PlanTexts. */
function emittedPlanKeys(): Emitted[] {
  const found: Emitted[] = [];
  for (const file of [...sourceFiles(path.join(root, 'main'))]) {
    const source = readFileSync(file, 'utf8');
    if (!/const t = \(key: string, text: string/.test(source)) continue;
    const rel = path.relative(root, file);
    for (const match of source.matchAll(/\bt\(\s*('([A-Za-z0-9]+)'|`([^`]+)`|(\w+))\s*,/g)) {
      const after = source.slice(match.index + match[0].length);
      // The params object, when it follows the text as a literal: `{ a: …, b }`.
      const paramsMatch = /^\s*(?:'[^']*'|`[^`]*`|"[^"]*")\s*,\s*\{([^{}]*)\}/.exec(after);
      const params = paramsMatch?.[1] ? [...paramsMatch[1].matchAll(/(?:^|,)\s*(\w+)/g)].map((m) => m[1] ?? '') : null;
      if (match[2]) found.push({ key: match[2], file: rel, params });
      else if (match[3]) {
        const expansions = TEMPLATE_KEYS[match[3]];
        expect(expansions, `${rel}: template key \`${match[3]}\` needs its expansions in TEMPLATE_KEYS`).toBeDefined();
        for (const key of expansions ?? []) found.push({ key, file: rel, params });
      } else if (match[4] === 'key') {
        // a key computed just above (checked through TEMPLATE_KEYS by its template)
        const template = /const key = `([^`]+)`/.exec(source)?.[1];
        expect(template && TEMPLATE_KEYS[template], `${rel}: computed key needs its expansions in TEMPLATE_KEYS`).toBeDefined();
        for (const key of (template && TEMPLATE_KEYS[template]) || []) found.push({ key, file: rel, params });
      }
    }
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');

describe('service sentences in the catalogs', () => {
  const emitted = emittedPlanKeys();
  const plan = { en: (en as Tree).plan as Tree, ja: (ja as Tree).plan as Tree };

  it('finds the plan sentences of the DKIM and inbound changes', () => {
    expect(emitted.map((e) => e.key)).toEqual(expect.arrayContaining(['keyFile', 'mainCf', 'inboundMainCfLists', 'validateAllowlist', 'reloadService']));
  });

  it('has every emitted plan key in English and Japanese', () => {
    const missing = emitted.filter((e) => typeof plan.en[e.key] !== 'string' || typeof plan.ja[e.key] !== 'string').map((e) => `${e.file}: plan.${e.key}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('fills every placeholder from the params the service gives', () => {
    const unfilled: string[] = [];
    for (const e of emitted) {
      if (e.params === null) continue;
      for (const language of ['en', 'ja'] as const) {
        const text = plan[language][e.key];
        if (typeof text !== 'string') continue;
        for (const name of placeholders(text)) if (!e.params.includes(name)) unfilled.push(`${e.file}: plan.${e.key} (${language}) uses {{${name}}}`);
      }
    }
    expect(unfilled).toEqual([]);
  });
});
