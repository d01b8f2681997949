/**
 * How each DNS provider's form wants the records, from /work/shared/reference/dns-providers.md.
 * Where the reference says "unknown", the preset says so and gives the generic advice.
 */
import { changeText, englishRecordWords, sortByPlace, type FormattedRecords, type RecordWords } from './formats.js';
import type { RecordMessageKey } from './notes.js';
import { relativeName } from './names.js';
import { note } from './notes.js';
import type { RecordSet } from './recordSet.js';
import { quoteTxtStrings, splitTxtValue } from './txt.js';
import type { DnsRecord, RecordNote } from './types.js';

export type PresetId = 'cloudflare' | 'route53' | 'google-cloud-dns' | 'mydns-jp' | 'generic-relative' | 'sakura';

export interface DnsProviderPreset {
  id: PresetId;
  /** The provider's own name (not translated). */
  name: string;
  /** What the host/name field wants: the part before the zone, or the full name. */
  hostField: 'relative' | 'fqdn' | 'unknown';
  /** How the domain itself is entered in the host field. */
  apex: '@' | 'blank' | 'fqdn' | 'unknown';
  /** How values over 255 characters are entered. */
  longValues: 'auto-split' | 'quoted-strings' | 'unknown';
  /** Whether the value is typed with quotes. */
  quotes: 'optional' | 'required' | 'none' | 'unknown';
  /** Whether the output is machine-readable (Route 53's change batch is JSON). */
  output: 'text' | 'json';
  /** How to use the output: an i18n key under `records.` (English in en.json). */
  guide: RecordMessageKey;
  source: string;
}

export const dnsProviderPresets: readonly DnsProviderPreset[] = [
  {
    id: 'cloudflare',
    name: 'Cloudflare',
    hostField: 'relative',
    apex: '@',
    longValues: 'auto-split',
    quotes: 'optional',
    output: 'text',
    guide: 'presetCloudflare',
    source: 'https://developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/',
  },
  {
    id: 'route53',
    name: 'Amazon Route 53',
    hostField: 'fqdn',
    apex: 'fqdn',
    longValues: 'quoted-strings',
    quotes: 'required',
    output: 'json',
    guide: 'presetRoute53',
    source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#TXTFormat',
  },
  {
    id: 'google-cloud-dns',
    name: 'Google Cloud DNS',
    hostField: 'relative',
    apex: 'blank',
    longValues: 'quoted-strings',
    quotes: 'required',
    output: 'text',
    guide: 'presetGoogleCloudDns',
    source: 'https://cloud.google.com/dns/docs/records',
  },
  {
    id: 'mydns-jp',
    name: 'MyDNS.JP',
    hostField: 'relative',
    apex: 'unknown',
    longValues: 'unknown',
    quotes: 'none',
    output: 'text',
    guide: 'presetMydnsJp',
    source: 'third-party client code only (no official documentation found)',
  },
  {
    id: 'sakura',
    name: 'さくらインターネット',
    hostField: 'unknown',
    apex: 'unknown',
    longValues: 'unknown',
    quotes: 'unknown',
    output: 'text',
    guide: 'presetSakuraFits',
    source: 'https://help.sakura.ad.jp/domain/2712/',
  },
  {
    id: 'generic-relative',
    name: 'Other (host name relative to the domain)',
    hostField: 'relative',
    apex: '@',
    longValues: 'unknown',
    quotes: 'none',
    output: 'text',
    guide: 'presetGenericRelative',
    source: 'RFC 1035 §5.1, RFC 7208 §3.3',
  },
];

export const presetIds: readonly PresetId[] = dnsProviderPresets.map((p) => p.id);

export function isPresetId(value: string): value is PresetId {
  return (presetIds as readonly string[]).includes(value);
}

export function findPreset(id: PresetId): DnsProviderPreset {
  const preset = dnsProviderPresets.find((p) => p.id === id);
  if (preset === undefined) throw new Error(`unknown preset ${id}`);
  return preset;
}

/** The records in the form a provider's page (or API) takes them, with the notes that go with it. */
export function formatForPreset(set: RecordSet, id: PresetId, origin = set.domain, words: RecordWords = englishRecordWords): FormattedRecords {
  const preset = findPreset(id);
  const guide = note(preset.guide, {}, 'info');
  switch (id) {
    case 'route53':
      return route53(set, origin, guide);
    case 'cloudflare':
      return fieldBlocks(set, origin, [guide], words, (r) => [
        ['Type', r.type],
        ['Name', relativeName(r.name, origin) ?? r.name],
        ...(r.type === 'MX' ? mxRows(r, 'Mail server') : [['Content', r.value] as Row]),
        ['TTL', 'Auto'],
      ]);
    case 'google-cloud-dns':
      return fieldBlocks(set, origin, [guide], words, (r) => [
        ['DNS name', blankApex(relativeName(r.name, origin) ?? r.name, words)],
        ['Resource record type', r.type],
        ['TTL', String(r.ttl)],
        [`${r.type} data`, r.type === 'TXT' ? quoteTxtStrings(r.strings) : r.value],
      ]);
    case 'mydns-jp':
      return fieldBlocks(set, origin, [guide], words, (r) => [
        ['Hostname', relativeName(r.name, origin) ?? r.name],
        ['Type', r.type],
        ...(r.type === 'MX' ? mxRows(r, 'Content') : [['Content', r.value] as Row]),
      ]);
    case 'sakura': {
      const long = sortByPlace(set, origin).publish.filter((r) => r.type === 'TXT' && r.value.length > 255);
      const sakuraNote =
        long.length > 0
          ? note('presetSakura', { count: long.length, names: long.map((r) => r.name).join(', ') }, 'warning')
          : note('presetSakuraFits', {}, 'info');
      return relativeLines(set, origin, [sakuraNote], words);
    }
    case 'generic-relative':
      return relativeLines(set, origin, [guide], words);
  }
}

function blankApex(name: string, words: RecordWords): string {
  return name === '@' ? words('presetLeaveBlank') : name;
}

type Row = [label: string, value: string];

function mxRows(record: DnsRecord, hostLabel: string): Row[] {
  const [preference = '', host = ''] = record.value.split(' ');
  return [
    [hostLabel, host.replace(/\.$/, '')],
    ['Priority', preference],
  ];
}

/** Elsewhere-zone records, PTRs and deletions, said in words after the records to enter. */
function trailer(set: RecordSet, origin: string, words: RecordWords): string[] {
  const place = sortByPlace(set, origin);
  const lines: string[] = [];
  for (const r of place.elsewhere) {
    const change = changeText(r, words);
    lines.push('', `${words('presetElsewhere', { zone: r.zone, origin })}${change === null ? '' : `, ${change}`}: ${r.name} ${r.type} ${r.value}`);
  }
  for (const r of place.addressOwner) lines.push('', words('presetAddressOwner', { record: `${r.name} PTR ${r.value}` }));
  for (const r of place.remove) lines.push('', words('presetDelete', { record: `${r.name} ${r.type} ${r.value}` }));
  return lines;
}

function fieldBlocks(set: RecordSet, origin: string, notes: RecordNote[], words: RecordWords, fields: (r: DnsRecord) => Row[]): FormattedRecords {
  const blocks = sortByPlace(set, origin).publish.map((r) => {
    const change = changeText(r, words);
    const rows = fields(r);
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    return [...(change === null ? [] : [`# ${change}:`]), ...rows.map(([label, value]) => `${`${label}:`.padEnd(width + 1)}${value}`)].join('\n');
  });
  return { text: `${[blocks.join('\n\n'), ...trailer(set, origin, words)].join('\n')}\n`, notes };
}

function relativeLines(set: RecordSet, origin: string, notes: RecordNote[], words: RecordWords): FormattedRecords {
  const lines = sortByPlace(set, origin).publish.flatMap((r) => {
    const change = changeText(r, words);
    return [...(change === null ? [] : [`# ${change}:`]), `${relativeName(r.name, origin) ?? r.name}\t${r.type}\t${r.value}`];
  });
  return { text: `${[...lines, ...trailer(set, origin, words)].join('\n')}\n`, notes };
}

/**
 * A ChangeResourceRecordSets change batch: one UPSERT per name and type, TXT values as
 * quoted strings of at most 255 bytes, fully qualified names. An UPSERT replaces the whole
 * set at a name, so other TXT values at the domain (when known) are carried along.
 */
function route53(set: RecordSet, origin: string, guide: RecordNote): FormattedRecords {
  const notes: RecordNote[] = [guide, note('presetRoute53Console', {}, 'info')];
  const groups = new Map<string, DnsRecord[]>();
  for (const r of sortByPlace(set, origin).publish) {
    if (r.change === 'keep' && r.purpose === 'dkim') continue;
    const key = `${r.name} ${r.type}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const changes = [...groups.values()].map((records) => {
    const first = records[0] as DnsRecord;
    const values = records.map((r) => (r.type === 'TXT' ? quoteTxtStrings(r.strings) : r.value));
    if (first.type === 'TXT' && first.name === set.domain) {
      if (set.otherApexTxt === null) notes.push(note('formatRrsetReplaced', { name: first.name }, 'warning'));
      else values.push(...set.otherApexTxt.map((v) => quoteTxtStrings(splitTxtValue(v))));
    }
    if (first.type === 'MX') notes.push(note('formatRrsetReplaced', { name: first.name }, 'warning'));
    return {
      Action: 'UPSERT',
      ResourceRecordSet: { Name: `${first.name}.`, Type: first.type, TTL: first.ttl, ResourceRecords: values.map((Value) => ({ Value })) },
    };
  });
  const batch = { Comment: `DNS records for ${set.domain}, made by Homemail`, Changes: changes };
  const place = sortByPlace(set, origin);
  for (const r of place.elsewhere) notes.push(note('formatOutsideOrigin', { name: r.name, zone: r.zone, origin }, 'info'));
  if (place.addressOwner.length > 0) notes.push(note('formatAddressOwner', {}, 'info'));
  return { text: `${JSON.stringify(batch, null, 2)}\n`, notes };
}
