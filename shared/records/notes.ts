import { fillTemplate, type TextParams } from '../validation/problem.js';
import { recordMessagesEn, type RecordMessageKey } from './messages.en.js';
import type { NoteSeverity, RecordNote, RecordPurpose } from './types.js';

export function note(key: RecordMessageKey, params: TextParams, severity: NoteSeverity, purpose?: RecordPurpose): RecordNote {
  return { key, params, text: fillTemplate(recordMessagesEn[key], params), severity, ...(purpose === undefined ? {} : { purpose }) };
}
