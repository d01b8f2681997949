import { isSameOrSubdomain } from '../validation/domain.js';
import type { EmailAddress } from '../validation/email.js';
import { recordName } from './names.js';
import { note } from './notes.js';
import { splitTxtValue } from './txt.js';
import type { DmarcPolicy, DnsRecord, RecordNote } from './types.js';

export type DmarcAlignment = 'r' | 's';

export interface DmarcInput {
  /** Normalised domain. */
  domain: string;
  policy: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  /** Aggregate report addresses (rua). */
  rua: readonly EmailAddress[];
  /** Failure report addresses (ruf). */
  ruf: readonly EmailAddress[];
  /** fo=: any of 0, 1, d, s joined by ":" (checked by parseFailureOptions). */
  failureOptions?: string;
  adkim?: DmarcAlignment;
  aspf?: DmarcAlignment;
  /** 0–100; omitted means 100. */
  pct?: number;
  ttl: number;
}

export interface DmarcResult {
  /** The DMARC record, then one authorisation record per outside report domain. */
  records: DnsRecord[];
  notes: RecordNote[];
}

export const dmarcPolicies: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];

/** The staged plan: each step's explanation says how long to stay and what to watch. */
const stageNote = { none: 'dmarcStageNone', quarantine: 'dmarcStageQuarantine', reject: 'dmarcStageReject' } as const;

/** `0`, `1`, `d`, `s` or several of them joined by ":" (RFC 7489 §6.3); normalised, or null. */
export function parseFailureOptions(text: string): string | null {
  const parts = text.trim().toLowerCase().split(':').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !['0', '1', 'd', 's'].includes(p))) return null;
  return [...new Set(parts)].join(':');
}

/**
 * A report address as a DMARC URI: `mailto:` plus the address, with the characters that
 * DMARC gives a meaning (`!` size limit, `,` list, `;` tag end) and anything else outside a
 * plain local part percent-encoded (RFC 7489 §6.2).
 */
export function dmarcMailto(address: EmailAddress): string {
  const local = address.local.replace(/[^A-Za-z0-9._+=-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `mailto:${local}@${address.domain}`;
}

/**
 * `_dmarc.D TXT "v=DMARC1; p=…"` with the chosen tags, the staged plan towards reject
 * explained, and for report addresses in another domain the record that domain must publish
 * to accept them (`D._report._dmarc.OTHER TXT "v=DMARC1"`, RFC 7489 §7.1).
 */
export function buildDmarcRecords(input: DmarcInput): DmarcResult {
  const notes: RecordNote[] = [];
  const tags = ['v=DMARC1', `p=${input.policy}`];
  if (input.subdomainPolicy !== undefined && input.subdomainPolicy !== input.policy) tags.push(`sp=${input.subdomainPolicy}`);
  if (input.pct !== undefined && input.pct !== 100) tags.push(`pct=${input.pct}`);
  if (input.adkim !== undefined) tags.push(`adkim=${input.adkim}`);
  if (input.aspf !== undefined) tags.push(`aspf=${input.aspf}`);
  const fo = input.failureOptions ?? (input.ruf.length > 0 ? '1' : undefined);
  if (fo !== undefined && fo !== '0') tags.push(`fo=${fo}`);
  if (input.rua.length > 0) tags.push(`rua=${unique(input.rua.map(dmarcMailto)).join(',')}`);
  if (input.ruf.length > 0) tags.push(`ruf=${unique(input.ruf.map(dmarcMailto)).join(',')}`);
  const value = tags.join('; ');

  const records: DnsRecord[] = [
    {
      name: recordName('_dmarc', input.domain, 'domain'),
      type: 'TXT',
      ttl: input.ttl,
      value,
      strings: splitTxtValue(value),
      purpose: 'dmarc',
      action: 'publish',
      zone: input.domain,
    },
  ];

  notes.push(note(stageNote[input.policy], { domain: input.domain }, 'info', 'dmarc'));
  if (input.rua.length === 0) notes.push(note('dmarcNoRua', {}, input.policy === 'none' ? 'warning' : 'info', 'dmarc'));
  if (input.ruf.length > 0) notes.push(note('dmarcRufRare', {}, 'info', 'dmarc'));
  if (input.pct !== undefined && input.pct !== 100) notes.push(note('dmarcPct', { pct: input.pct }, 'info', 'dmarc'));
  if (input.adkim === 's' || input.aspf === 's') notes.push(note('dmarcStrictAlignment', {}, 'info', 'dmarc'));

  const outside = unique(
    [...input.rua, ...input.ruf].map((a) => a.domain).filter((d) => !isSameOrSubdomain(d, input.domain) && !isSameOrSubdomain(input.domain, d)),
  );
  for (const other of outside) {
    const name = recordName(`${input.domain}._report._dmarc`, other, 'rua');
    records.push({ name, type: 'TXT', ttl: input.ttl, value: 'v=DMARC1', strings: ['v=DMARC1'], purpose: 'dmarc-report-auth', action: 'publish', zone: other });
    notes.push(note('dmarcExternalReports', { other, name, domain: input.domain }, 'warning', 'dmarc-report-auth'));
  }
  return { records, notes };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
