import i18next, { type i18n } from 'i18next';
import en from '../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../renderer/src/locales/ja.json' with { type: 'json' };
import type { LanguageCode } from '../../shared/contract/app.js';
import { renderKeyed, type KeyedText } from '../../shared/i18n/keyedText.js';

/**
 * The wizard's catalogs (renderer/src/locales) for the main process's own words: the CLI's
 * output and the desktop app's notifications. There is no other table of sentences in main/.
 */
export type Language = LanguageCode;

/** `ja_JP.UTF-8`, `ja-JP`, `ja` are Japanese; anything else English. */
export function languageOfLocale(locale: string): Language {
  return /^ja([_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

export interface CatalogText {
  language: Language;
  t: (key: string, params?: Record<string, string | number>) => string;
  exists: (key: string) => boolean;
  /** A service's keyed sentence (plan notes, checks, findings) in this language. */
  keyed: (namespace: string, item: KeyedText | null | undefined) => string;
}

const instances = new Map<Language, i18n>();

function instanceFor(language: Language): i18n {
  let instance = instances.get(language);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: { en: { translation: en }, ja: { translation: ja } },
      lng: language,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    instances.set(language, instance);
  }
  return instance;
}

export function catalogText(language: Language): CatalogText {
  const instance = instanceFor(language);
  const t = (key: string, params?: Record<string, string | number>) => instance.t(key, params ?? {});
  const exists = (key: string) => instance.exists(key);
  return { language, t, exists, keyed: (namespace, item) => renderKeyed({ t, exists }, namespace, item) };
}
