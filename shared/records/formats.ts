import { relativeName } from './names.js';
import { note, type RecordMessageKey } from './notes.js';
import type { RecordSet } from './recordSet.js';
import { quoteTxtStrings } from './txt.js';
import type { DnsRecord, RecordNote } from './types.js';
import { englishText } from '../i18n/english.js';
import type { TextParams } from '../i18n/keyedText.js';

export type BuiltinFormat = 'zone' | 'value' | 'json';

export const builtinFormats: readonly BuiltinFormat[] = ['zone', 'value', 'json'];

/** How the text forms say their comments: a catalog's `records.*` in the person's language; English when not given. */
export type RecordWords = (key: RecordMessageKey, params?: TextParams) => string;

export const englishRecordWords: RecordWords = (key, params = {}) => englishText('records', key, params);

export interface FormatOptions {
  /** The words of the comments (what to do with each record); English by default. */
  words?: RecordWords;
  /** The zone the records are pasted into; defaults to the mail domain. */
  origin?: string;
  /** Zone format: `$ORIGIN` and names relative to it instead of absolute names. */
  relative?: boolean;
}

export interface FormattedRecords {
  text: string;
  /** Notes about this form of the records (what is shown as a comment, what is left out). */
  notes: RecordNote[];
}

/** The records sorted by where they go: this zone, another domain's DNS, the address owner, deletions. */
export function sortByPlace(set: RecordSet, origin: string) {
  const inOrigin = (r: DnsRecord) => relativeName(r.name, origin) !== null;
  return {
    publish: set.records.filter((r) => r.action === 'publish' && inOrigin(r)),
    elsewhere: set.records.filter((r) => r.action === 'publish' && !inOrigin(r)),
    addressOwner: set.records.filter((r) => r.action === 'address-owner'),
    remove: set.records.filter((r) => r.action === 'remove'),
  };
}

/** What to do with a record, in words for the text formats (null when the domain was not read). */
export function changeText(record: DnsRecord, words: RecordWords = englishRecordWords): string | null {
  const now = (record.published ?? []).map((v) => `"${v}"`).join(words('publishedAnd'));
  const count = record.published?.length ?? 0;
  switch (record.change) {
    case undefined:
      return null;
    case 'add':
      return words('changeAdd');
    case 'keep':
      return words('changeKeep');
    case 'replace':
      return count > 1 ? words('changeReplaceMany', { count, now }) : words('changeReplace', { now });
    case 'conflict':
      return words('changeConflict', { now });
    case 'delete':
      return words('changeDelete');
    case 'unknown':
      return words('changeUnknown');
  }
}

/** The RDATA in zone-file form: quoted strings for TXT, as is for MX and PTR. */
export function zoneRdata(record: DnsRecord): string {
  return record.type === 'TXT' ? quoteTxtStrings(record.strings) : record.value;
}

function zoneLine(record: DnsRecord, owner: string): string {
  return `${owner}\t${record.ttl}\tIN\t${record.type}\t${zoneRdata(record)}`;
}

/**
 * Zone-file lines that BIND and NSD load as they are: one line per record (no multi-line
 * parentheses, which older NSD misread), every TXT string at most 255 bytes, names absolute
 * with a trailing dot, or relative to a `$ORIGIN` line. What does not belong in this zone
 * is shown as comments.
 */
export function formatZone(set: RecordSet, options: FormatOptions = {}): FormattedRecords {
  const origin = options.origin ?? set.domain;
  const place = sortByPlace(set, origin);
  const words = options.words ?? englishRecordWords;
  const owner = (r: DnsRecord) => (options.relative ? (relativeName(r.name, origin) as string) : `${r.name}.`);
  const lines = [`; ${words('zoneHeader', { domain: set.domain })}`];
  if (options.relative) lines.push(`$ORIGIN ${origin}.`);
  for (const record of place.publish) {
    const change = changeText(record, words);
    if (change !== null) lines.push(`; ${change}:`);
    lines.push(zoneLine(record, owner(record)));
  }
  const notes: RecordNote[] = [];
  for (const record of place.elsewhere) {
    const change = changeText(record, words);
    lines.push(`; ${words('zoneElsewhere', { zone: record.zone })}${change === null ? '' : `, ${change}`}:`, `; ${zoneLine(record, `${record.name}.`)}`);
    notes.push(note('formatOutsideOrigin', { name: record.name, zone: record.zone, origin }, 'info'));
  }
  if (place.addressOwner.length > 0) {
    lines.push(`; ${words('zoneAddressOwner')}`);
    for (const record of place.addressOwner) lines.push(`; ${zoneLine(record, `${record.name}.`)}`);
    notes.push(note('formatAddressOwner', {}, 'info'));
  }
  if (place.remove.length > 0) {
    lines.push(`; ${words('zoneDelete')}`);
    for (const record of place.remove) lines.push(`; ${zoneLine(record, `${record.name}.`)}`);
    notes.push(note('formatRemove', {}, 'info'));
  }
  return { text: `${lines.join('\n')}\n`, notes };
}

/**
 * One line per record to publish: name, type and the value without quotes, tab-separated,
 * for web forms that take the whole value in one field and split it themselves.
 */
export function formatValue(set: RecordSet, words: RecordWords = englishRecordWords): FormattedRecords {
  const lines: string[] = [];
  for (const r of set.records) {
    if (r.action === 'address-owner') continue;
    if (r.action === 'remove') {
      lines.push(`# ${words('changeDelete')}: ${r.name}\t${r.type}\t${r.value}`);
      continue;
    }
    if (r.zone !== set.domain) lines.push(`# ${words('valueElsewhere', { zone: r.zone, domain: set.domain })}`);
    const change = changeText(r, words);
    if (change !== null) lines.push(`# ${change}:`);
    lines.push(`${r.name}\t${r.type}\t${r.value}`);
  }
  return { text: lines.map((l) => `${l}\n`).join(''), notes: [] };
}

export interface JsonRecord {
  name: string;
  type: DnsRecord['type'];
  ttl: number;
  value: string;
  strings: string[];
  purpose: DnsRecord['purpose'];
  action: DnsRecord['action'];
  zone: string;
  /** add, replace, keep, delete, conflict or unknown; absent when the domain was not read. */
  change?: NonNullable<DnsRecord['change']>;
  published?: string[];
}

export interface JsonRecordSet {
  domain: string;
  spfLookups: number;
  records: JsonRecord[];
  notes: { key: string; severity: RecordNote['severity']; text: string; params: RecordNote['params'] }[];
}

export function toJsonRecordSet(set: RecordSet): JsonRecordSet {
  return {
    domain: set.domain,
    spfLookups: set.spfLookups,
    records: set.records.map((r) => ({
      name: r.name,
      type: r.type,
      ttl: r.ttl,
      value: r.value,
      strings: r.strings,
      purpose: r.purpose,
      action: r.action,
      zone: r.zone,
      ...(r.change === undefined ? {} : { change: r.change }),
      ...(r.published === undefined ? {} : { published: r.published }),
    })),
    notes: set.notes.map((n) => ({ key: n.key, severity: n.severity, text: n.text, params: n.params })),
  };
}

export function formatJson(set: RecordSet): FormattedRecords {
  return { text: `${JSON.stringify(toJsonRecordSet(set), null, 2)}\n`, notes: [] };
}
