/**
 * Tables keyed by outside data (a server's settings, a header's words, a DNS answer): a
 * plain `{}` answers `constructor`, `toString` or `__proto__` from Object.prototype, so a key
 * chosen by someone else can read or corrupt what is not there. These never do.
 */

/** An empty object without a prototype: only what is put in it is in it. */
export function dictionary<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** `table[key]` when the table itself holds the key; undefined for inherited names such as `constructor`. */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
