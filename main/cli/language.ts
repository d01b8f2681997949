import i18next, { type i18n } from 'i18next';
import en from '../../renderer/src/locales/en.json' with { type: 'json' };
import ja from '../../renderer/src/locales/ja.json' with { type: 'json' };
import { renderKeyed, type KeyedText } from '../../shared/i18n/keyedText.js';
import { fieldFlag } from './fieldFlags.js';

export type CliLanguage = 'en' | 'ja';

/** The language of messages, as the C library picks it: LC_ALL, then LC_MESSAGES, then LANG (`ja_JP.UTF-8` is Japanese). */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ja([_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

/** The CLI's words, from the wizard's catalogs. */
export interface CliText {
  language: CliLanguage;
  t: (key: string, params?: Record<string, string | number>) => string;
  /** A service's keyed sentence (plan notes, checks, findings) in this language. */
  keyed: (namespace: string, item: KeyedText | null | undefined) => string;
}

const instances = new Map<CliLanguage, i18n>();

function instanceFor(language: CliLanguage): i18n {
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

export function cliText(env: NodeJS.ProcessEnv): CliText {
  const language = cliLanguage(env);
  const instance = instanceFor(language);
  const t = (key: string, params?: Record<string, string | number>) => instance.t(key, params ?? {});
  const translator = { t, exists: (key: string) => instance.exists(key) };
  return {
    language,
    t,
    // A field the sentence points at is named by its option here, not by the wizard's label.
    keyed: (namespace, item) => renderKeyed(translator, namespace, item && typeof item.params.field === 'string' ? { ...item, params: { ...item.params, field: fieldFlag(item.params.field) } } : item),
  };
}
