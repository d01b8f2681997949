import { englishText, type EnglishCatalog } from '../i18n/english.js';
import type { TextParams } from '../i18n/keyedText.js';
import type { NoteSeverity, RecordNote, RecordPurpose } from './types.js';

/** A record note's or preset's key: `records.<key>` in the catalogs (en.json holds the English). */
export type RecordMessageKey = keyof EnglishCatalog['records'];

export function note(key: RecordMessageKey, params: TextParams, severity: NoteSeverity, purpose?: RecordPurpose): RecordNote {
  return { key, params, text: englishText('records', key, params), severity, ...(purpose === undefined ? {} : { purpose }) };
}
