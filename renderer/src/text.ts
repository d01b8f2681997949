import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A sentence the back end sends as an i18n key with params plus its English rendering. */
export interface KeyedText {
  key: string;
  params: Readonly<Record<string, string | number>>;
  text: string;
}

/**
 * Translates a keyed sentence from the back end under a namespace (`checks`, `findings`,
 * `records`, `plan`, `validation`); falls back to its English text when the key is new.
 */
export function useKeyedText(): (namespace: string, item: KeyedText | null | undefined) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (namespace: string, item: KeyedText | null | undefined) => {
      if (!item) return '';
      const key = `${namespace}.${item.key}`;
      if (!i18n.exists(key)) return item.text;
      // A param that is itself a word of the service (a resolver's role, how a message was
      // sent) is translated too, from `words.<namespace>.<name>.<value>`.
      const params: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(item.params)) {
        const word = `words.${namespace}.${name}.${value}`;
        params[name] = typeof value === 'string' && i18n.exists(word) ? t(word) : value;
      }
      return t(key, params);
    },
    [t, i18n],
  );
}
