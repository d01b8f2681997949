import type { OsRelease } from '../../../shared/inspection.js';
import { dictionary } from '../../../shared/dictionary.js';

/** /etc/os-release (os-release(5)): `KEY=value` lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease {
  const values = dictionary<string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    let value = match[2] ?? '';
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    values[match[1]] = value;
  }
  return {
    id: values.ID ?? null,
    versionId: values.VERSION_ID ?? null,
    versionCodename: values.VERSION_CODENAME ?? null,
    prettyName: values.PRETTY_NAME ?? null,
    idLike: (values.ID_LIKE ?? '').split(/\s+/).filter((v) => v !== ''),
  };
}
