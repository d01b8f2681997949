/**
 * The record set against what the domain publishes now: each record's change (add, replace,
 * keep, delete, conflict, or unknown where no trustworthy answer came), and the published
 * DMARC tags a new record starts from. Pure; the lookup is main/services/verify/published.ts.
 */
import { parseDkimKeyRecord, parseDmarcRecord, parseTagList, dmarcReportAddress, type DmarcRecord } from '../verify/tags.js';
import { normalizeName } from './adsp.js';
import { note } from './notes.js';
import { isSpfRecord } from './spf.js';
import { splitTxtValue } from './txt.js';
import type { DmarcPolicy, DnsRecord, ExistingRecord, RecordNote } from './types.js';

const strength: Record<DmarcPolicy, number> = { none: 0, quarantine: 1, reject: 2 };

/** The stricter of two policies: a published policy is never weakened. */
export function stricterPolicy(a: DmarcPolicy, b: DmarcPolicy): DmarcPolicy {
  return strength[a] >= strength[b] ? a : b;
}

export interface PublishedDmarc {
  record: DmarcRecord;
  /** The tags written in it (to keep only what was set, not the defaults). */
  tags: ReadonlyMap<string, string>;
  /** Report addresses of its rua= and ruf= (mailto: only). */
  rua: string[];
  ruf: string[];
}

/** The published DMARC record of a domain, when there is exactly one valid one. */
export function publishedDmarc(domain: string, existing: readonly ExistingRecord[]): PublishedDmarc | null {
  const found = valuesAt(existing, `_dmarc.${domain}`, 'TXT').filter((v) => /^v=DMARC1/i.test(v.trim()));
  if (found.length !== 1) return null;
  const parsed = parseDmarcRecord(found[0] as string);
  const tags = parseTagList(found[0] as string);
  if (!parsed.ok || !tags.ok) return null;
  const addresses = (uris: readonly string[]) => uris.map(dmarcReportAddress).filter((a): a is string => a !== null).map((a) => a.replace(/\.$/, ''));
  return { record: parsed.record, tags: tags.tags, rua: addresses(parsed.record.rua), ruf: addresses(parsed.record.ruf) };
}

export function valuesAt(existing: readonly ExistingRecord[], name: string, type: string): string[] {
  return existing.filter((r) => r.type.toUpperCase() === type && normalizeName(r.name) === name).map((r) => r.value);
}

function samePublished(record: DnsRecord, value: string): boolean {
  if (record.type === 'MX') return normalizeName(value) === normalizeName(record.value);
  if (record.purpose === 'dmarc') return tagsOf(value) === tagsOf(record.value);
  return value.trim() === record.value;
}

/** A tag list in one spelling (spaces and the order of tags do not matter to receivers). */
function tagsOf(value: string): string {
  const parsed = parseTagList(value);
  if (!parsed.ok) return value;
  return [...parsed.tags].map(([k, v]) => `${k.toLowerCase()}=${v.replace(/\s+/g, '')}`).sort().join(';');
}

function publishedFor(record: DnsRecord, existing: readonly ExistingRecord[]): string[] {
  const values = valuesAt(existing, record.name, record.type);
  if (record.purpose === 'spf') return values.filter(isSpfRecord);
  if (record.purpose === 'dmarc' || record.purpose === 'dmarc-report-auth') return values.filter((v) => /^v=DMARC1/i.test(v.trim()));
  return values;
}

/**
 * Marks each record with what to do given the published records, adds "keep" rows for DKIM
 * selectors published and not replaced, and explains conflicts.
 */
export function compareWithPublished(
  domain: string,
  records: readonly DnsRecord[],
  existing: readonly ExistingRecord[],
  unknownNames: readonly string[],
  ttl: number,
): { records: DnsRecord[]; notes: RecordNote[] } {
  const notes: RecordNote[] = [];
  const unknown = new Set(unknownNames.map((n) => n.toLowerCase().replace(/\.$/, '')));
  const marked = records.map((record): DnsRecord => {
    if (record.action === 'remove') return { ...record, change: 'delete', published: [record.value] };
    if (record.action !== 'publish') return record;
    if (unknown.has(`${record.type.toLowerCase()} ${record.name}`)) return { ...record, change: 'unknown' };
    const published = publishedFor(record, existing);
    if (published.length === 0) return { ...record, change: 'add', published };
    if (published.length === 1 && samePublished(record, published[0] as string)) return { ...record, change: 'keep', published };
    if (record.purpose === 'dkim') {
      const keys = published.map(parseDkimKeyRecord).flatMap((p) => (p.ok ? [p.record.publicKey] : []));
      const own = parseDkimKeyRecord(record.value);
      if (own.ok && keys.length > 0 && !keys.includes(own.record.publicKey)) {
        notes.push(note('dkimSelectorConflict', { selector: record.selector ?? '', name: record.name }, 'warning', 'dkim'));
        return { ...record, change: 'conflict', published };
      }
    }
    return { ...record, change: 'replace', published };
  });
  // Selectors published now that this set does not touch: they keep signing old mail's checks.
  const suffix = `._domainkey.${domain}`;
  const touched = new Set(records.map((r) => r.name));
  const kept = existing
    .filter((r) => r.type.toUpperCase() === 'TXT' && normalizeName(r.name).endsWith(suffix) && !normalizeName(r.name).startsWith('_adsp.'))
    .filter((r) => !touched.has(normalizeName(r.name)) && /(^|;)\s*p=/.test(r.value))
    .map((r): DnsRecord => {
      const name = normalizeName(r.name);
      return { name, type: 'TXT', ttl, value: r.value, strings: splitTxtValue(r.value), purpose: 'dkim', action: 'publish', zone: domain, selector: name.slice(0, -suffix.length), change: 'keep', published: [r.value] };
    });
  const firstOther = marked.findIndex((r) => r.purpose !== 'dkim');
  const at = firstOther < 0 ? marked.length : firstOther;
  return { records: [...marked.slice(0, at), ...kept, ...marked.slice(at)], notes };
}
