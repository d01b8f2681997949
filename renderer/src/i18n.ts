import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import ja from './locales/ja.json';

export const languages = ['ja', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'homemail.language';

/** The saved choice, else the system's language when it is Japanese, else English. */
export function initialLanguage(preferred: readonly string[], saved: string | null): Language {
  if (saved === 'ja' || saved === 'en') return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

/** The language the person chose on this page before, if any. */
export function savedLanguage(): Language | null {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return saved === 'ja' || saved === 'en' ? saved : null;
  } catch {
    return null;
  }
}

export function setLanguage(language: Language): void {
  void i18next.changeLanguage(language);
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage may be unavailable; the choice then lasts for this session
  }
}

export function initI18n(): typeof i18next {
  const language = initialLanguage(navigator.languages ?? [navigator.language], savedLanguage());
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ja: { translation: ja } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
