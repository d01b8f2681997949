/**
 * A service's sentences in English, read from the wizard's English catalog: the `text` beside
 * each code (CLI in English, --json, logs) comes from the same words the wizard shows, so no
 * English table lives beside the catalogs.
 */
import en from '../../renderer/src/locales/en.json' with { type: 'json' };
import type { PlanText } from '../plan.js';
import { fillTemplate, renderKeyed, type KeyedText, type TextParams, type Translator } from './keyedText.js';

type Tree = { readonly [key: string]: string | Tree };

/** The English catalog's shape: key unions (`keyof EnglishCatalog['validation']`) are checked against it. */
export type EnglishCatalog = typeof en;

function lookup(path: string): string | undefined {
  let node: string | Tree | undefined = en as Tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export const englishCatalog: Translator = {
  t: (key, params) => fillTemplate(lookup(key) ?? key, params ?? {}),
  exists: (key) => lookup(key) !== undefined,
};

/** `namespace.key` with params, as the English catalog says it (the key itself when the catalog lacks it). */
export function englishText(namespace: string, key: string, params: TextParams = {}): string {
  return renderKeyed(englishCatalog, namespace, { key, params, text: `${namespace}.${key}` });
}

/** A keyed sentence with its English text. */
export function keyedText(namespace: string, key: string, params: TextParams = {}): KeyedText {
  return { key, params, text: englishText(namespace, key, params) };
}

/** A plan sentence (`plan.<key>`): what the review shows, its English from the same catalog. */
export function planText(key: string, params: Record<string, string | number> = {}): PlanText {
  return { key, params, text: englishText('plan', key, params) };
}
