import type { ErrorSentence } from '../../../shared/errors.js';
import { englishCatalog } from '../../../shared/i18n/english.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';

/**
 * A reason a server-side script gave, as its `why` function prints it: `code TAB name=value …`,
 * the code a word of the catalogs (`<words>.<code>`, e.g. words.serviceErrors.reason.notSigned)
 * that main renders in the person's language. Text that is not such a code (an older script)
 * stays as it came.
 */
export function scriptReason(raw: string, words = 'words.serviceErrors.reason'): { text: string; sentence: ErrorSentence | null } {
  const [code = '', ...pairs] = raw.split('\t');
  const word = `${words}.${code}`;
  if (!/^[a-z][A-Za-z0-9]+$/.test(code) || !englishCatalog.exists(word)) return { text: raw, sentence: null };
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0) params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { text: englishCatalog.t(word, params), sentence: { key: code, params } };
}

/** The same reason as a keyed text of its words (key '' for plain text). */
export function scriptReasonText(raw: string, words?: string): KeyedText {
  const { text, sentence } = scriptReason(raw, words);
  return { key: sentence?.key ?? '', params: sentence?.params ?? {}, text };
}
