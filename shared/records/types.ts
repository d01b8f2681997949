import type { TextParams } from '../validation/problem.js';
import type { RecordMessageKey } from './notes.js';

export type RecordType = 'TXT' | 'MX' | 'PTR';

export type RecordPurpose = 'dkim' | 'spf' | 'dmarc' | 'dmarc-report-auth' | 'mx' | 'ptr' | 'adsp';

/**
 * - `publish`: add (or replace) it in the domain's DNS.
 * - `remove`: it exists now and should go (ADSP, extra SPF records).
 * - `address-owner`: only the owner of the IP address (the ISP) can set it (PTR).
 */
export type RecordAction = 'publish' | 'remove' | 'address-owner';

export interface DnsRecord {
  /** Absolute name, ASCII, lower case, without the trailing dot. */
  name: string;
  type: RecordType;
  ttl: number;
  /** TXT: the strings joined (what verifiers read); MX: `10 mail.example.jp.`; PTR: `mail.example.jp.` */
  value: string;
  /** TXT: the character strings, each at most 255 bytes, joined = value. Others: []. */
  strings: string[];
  purpose: RecordPurpose;
  action: RecordAction;
  /** The domain whose DNS holds it: the mail domain, another domain (report authorisation) or a reverse zone. */
  zone: string;
  /** DKIM only. */
  selector?: string;
  /**
   * Against what the domain publishes now (set when it was read): `add` (nothing there),
   * `replace` (something else is there: `published`), `keep` (already exactly this), `delete`
   * (remove `value`), `conflict` (a DKIM selector holding another key), `unknown` (no
   * trustworthy answer: cannot tell).
   */
  change?: RecordChange;
  /** The values published now at this name for this purpose (TXT strings joined). */
  published?: string[];
}

export type RecordChange = 'add' | 'replace' | 'keep' | 'delete' | 'conflict' | 'unknown';

/**
 * What DNS answered for the names SPF terms make receivers look up, keyed `TYPE name` (name
 * lower case, no trailing dot): TXT values joined, A/AAAA addresses, MX exchanges; null for no
 * records (a void lookup); 'unknown' when no trustworthy answer came.
 */
export type SpfLookupAnswers = Readonly<Record<string, readonly string[] | null | 'unknown'>>;

export type NoteSeverity = 'info' | 'warning';

/** An explanation or warning that goes with the records: i18n key under `records.` + params, and the English text. */
export interface RecordNote {
  key: RecordMessageKey;
  params: TextParams;
  text: string;
  severity: NoteSeverity;
  purpose?: RecordPurpose;
}

/** A record as it is now in DNS (from inspection or a lookup), for merging and clean-up. */
export interface ExistingRecord {
  name: string;
  type: string;
  /** TXT strings joined. */
  value: string;
}

export type DkimKeyType = 'rsa' | 'ed25519';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export type SpfAll = 'soft' | 'hard';
