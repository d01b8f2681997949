/**
 * How a keyed sentence from a service (a catalog key under a namespace, its params, and the
 * English text for when the key is new) becomes words in the person's language. One rule for
 * both doors: the wizard (react-i18next) and the CLI (i18next, following LANG).
 */

export interface KeyedText {
  key: string;
  params: Readonly<Record<string, string | number>>;
  text: string;
}

/** The two things of an i18next instance this needs. */
export interface Translator {
  t: (key: string, params?: Record<string, string | number>) => string;
  exists: (key: string) => boolean;
}

export function renderKeyed(translator: Translator, namespace: string, item: KeyedText | null | undefined): string {
  if (!item) return '';
  const key = `${namespace}.${item.key}`;
  if (!translator.exists(key)) return item.text;
  // A param that is itself a word of the service (a resolver's role, how a message was
  // sent) is translated too, from `words.<namespace>.<name>.<value>`.
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(item.params)) {
    const word = `words.${namespace}.${name}.${value}`;
    params[name] = typeof value === 'string' && translator.exists(word) ? translator.t(word) : value;
  }
  return translator.t(key, params);
}
