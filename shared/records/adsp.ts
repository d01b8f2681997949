import { note } from './notes.js';
import { splitTxtValue } from './txt.js';
import type { DnsRecord, ExistingRecord, RecordNote } from './types.js';

/**
 * ADSP (RFC 5617) was made historic in 2013: nothing reads it and Homemail never writes it.
 * An existing `_adsp._domainkey.D` record is listed for removal.
 */
export function adspRemovals(domain: string, existing: readonly ExistingRecord[], ttl: number): { records: DnsRecord[]; notes: RecordNote[] } {
  const name = `_adsp._domainkey.${domain}`;
  const found = existing.filter((r) => r.type.toUpperCase() === 'TXT' && normalizeName(r.name) === name);
  const records = found.map(
    (r): DnsRecord => ({ name, type: 'TXT', ttl, value: r.value, strings: splitTxtValue(r.value), purpose: 'adsp', action: 'remove', zone: domain }),
  );
  const notes = found.length > 0 ? [note('adspRemove', { name, value: found.map((r) => r.value).join(' | ') }, 'warning', 'adsp')] : [];
  return { records, notes };
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
