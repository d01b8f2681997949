import { catalogText, languageOfLocale, type CatalogText, type Language } from '../services/catalogText.js';
import { fieldFlag } from './fieldFlags.js';

export type CliLanguage = Language;

/** The CLI's words, from the wizard's catalogs. */
export type CliText = CatalogText;

/** The language of messages, as the C library picks it: LC_ALL, then LC_MESSAGES, then LANG (`ja_JP.UTF-8` is Japanese). */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  return languageOfLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG || '');
}

export function cliText(env: NodeJS.ProcessEnv): CliText {
  const text = catalogText(cliLanguage(env));
  return {
    ...text,
    // A field the sentence points at is named by its option here, not by the wizard's label.
    keyed: (namespace, item) => text.keyed(namespace, item && typeof item.params.field === 'string' ? { ...item, params: { ...item.params, field: fieldFlag(item.params.field) } } : item),
  };
}
