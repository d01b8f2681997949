import { englishText, keyedText } from '../../../shared/i18n/english.js';
import type { KeyedText, TextParams } from '../../../shared/i18n/keyedText.js';
import type { ReportNote } from '../../../shared/reports.js';
import type { ReportRefused } from './budget.js';

/** A sentence of the report reader: a key under `reports.note.` in the catalogs, with its English text. */
export function reportSentence(key: string, params: TextParams = {}): KeyedText {
  return keyedText('reports.note', key, params);
}

/** A note (or a skipped report) about `source`: the sentence's English as `reason`, its code and params beside. */
export function reportNote(source: string, sentence: KeyedText): ReportNote {
  return { source, reason: sentence.text, code: sentence.key, params: sentence.params };
}

/** A document refused: its sentence when it has one, else its English reason. */
export function refusedNote(source: string, refused: ReportRefused): ReportNote {
  return refused.sentence === null ? { source, reason: refused.message } : reportNote(source, refused.sentence);
}

/** A note about the reader itself (it stopped): its source is a word of the catalogs too. */
export function readerNote(sentence: KeyedText): ReportNote {
  return { ...reportNote(englishText('reports.note', 'readerSource'), sentence), sourceCode: 'readerSource' };
}
