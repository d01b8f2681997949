import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { renderKeyed, type KeyedText } from '../../shared/i18n/keyedText.js';
import type { RecordWords } from '../../shared/records/formats.js';

export type { KeyedText };

/**
 * Translates a keyed sentence from the back end under a namespace (`checks`, `findings`,
 * `records`, `plan`, `validation`); falls back to its English text when the key is new.
 */
export function useKeyedText(): (namespace: string, item: KeyedText | null | undefined) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (namespace: string, item: KeyedText | null | undefined) => renderKeyed({ t: (key, params) => t(key, params ?? {}), exists: (key) => i18n.exists(key) }, namespace, item),
    [t, i18n],
  );
}

/** The comments of the records' text forms (what to do with each record) in the page's language. */
export function useRecordWords(): RecordWords {
  const { t } = useTranslation();
  return useCallback<RecordWords>((key, params) => t(`records.${key}`, { ...params }), [t]);
}
