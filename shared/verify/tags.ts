/**
 * Parsers for the TXT records verify reads: DKIM key records (RFC 6376 §3.6.1), DMARC
 * (RFC 7489 §6.3) and SPF (RFC 7208 §4.6, §5). Pure: also used by the renderer.
 */
import { reverseName } from '../records/mxPtr.js';
import { isSpfLookupTerm, isSpfRecord, parseSpfTerm, type SpfTerm } from '../records/spf.js';
import { parseIpAddress } from '../validation/ip.js';

export type { SpfTerm };

/**
 * Why a record does not parse: a code (its sentence is `words.checks.problem.<code>` in the
 * catalogs) and the parts of the record it names.
 */
export interface RecordProblem {
  code: RecordProblemCode;
  params: Readonly<Record<string, string>>;
}

export type RecordProblemCode =
  | 'notTagValue'
  | 'badTagName'
  | 'tagTwice'
  | 'dkimBadVersion'
  | 'dkimVersionNotFirst'
  | 'dkimNoKey'
  | 'dkimKeyNotBase64'
  | 'dmarcNoVersion'
  | 'dmarcNoPolicy'
  | 'dmarcBadPolicy'
  | 'dmarcBadAlignment'
  | 'dmarcBadPct'
  | 'spfNoVersion'
  | 'spfUnknownTerm'
  | 'spfNeedsDomain'
  | 'spfNeedsAddress'
  | 'spfNotIpv4'
  | 'spfNotIpv6'
  | 'spfAllValue';

function failed(code: RecordProblemCode, params: Record<string, string> = {}): { ok: false; problem: RecordProblem } {
  return { ok: false, problem: { code, params } };
}

export type TagList = { ok: true; tags: Map<string, string> } | { ok: false; problem: RecordProblem };

/** DKIM/DMARC tag=value list: tags in any order, whitespace around = and ; ignored, no duplicates. */
export function parseTagList(record: string): TagList {
  const tags = new Map<string, string>();
  for (const raw of record.split(';')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return failed('notTagValue', { part });
    const name = part.slice(0, eq).trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return failed('badTagName', { tag: name });
    if (tags.has(name)) return failed('tagTwice', { tag: name });
    tags.set(name, part.slice(eq + 1).trim());
  }
  return { ok: true, tags };
}

/** TXT strings of one record joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2: no separator). */
export function joinTxt(strings: readonly string[]): string {
  return strings.join('');
}

export interface DkimKeyRecord {
  version: string | null;
  keyType: string;
  /** p= with whitespace removed; '' = revoked. */
  publicKey: string;
  hashAlgorithms: string[] | null;
  flags: string[];
  serviceTypes: string[] | null;
}

export type ParsedDkimKey = { ok: true; record: DkimKeyRecord } | { ok: false; problem: RecordProblem };

export function parseDkimKeyRecord(record: string): ParsedDkimKey {
  const parsed = parseTagList(record);
  if (!parsed.ok) return parsed;
  const { tags } = parsed;
  const version = tags.get('v') ?? null;
  if (version !== null) {
    if (version !== 'DKIM1') return failed('dkimBadVersion', { value: version });
    if (record.trim().split(';')[0]?.trim().split('=')[0]?.trim() !== 'v') return failed('dkimVersionNotFirst');
  }
  const p = tags.get('p');
  if (p === undefined) return failed('dkimNoKey');
  const publicKey = p.replace(/\s+/g, '');
  if (publicKey !== '' && !/^[A-Za-z0-9+/]+={0,2}$/.test(publicKey)) return failed('dkimKeyNotBase64');
  const list = (value: string | undefined) => (value === undefined ? null : value.split(':').map((s) => s.trim()).filter(Boolean));
  return {
    ok: true,
    record: {
      version,
      keyType: (tags.get('k') ?? 'rsa').toLowerCase(),
      publicKey,
      hashAlgorithms: list(tags.get('h')),
      flags: list(tags.get('t')) ?? [],
      serviceTypes: list(tags.get('s')),
    },
  };
}

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcRecord {
  policy: DmarcPolicy;
  subdomainPolicy: DmarcPolicy | null;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  pct: number;
  rua: string[];
  ruf: string[];
}

export type ParsedDmarc = { ok: true; record: DmarcRecord } | { ok: false; problem: RecordProblem };

const policies: readonly string[] = ['none', 'quarantine', 'reject'];

export function parseDmarcRecord(record: string): ParsedDmarc {
  const first = record.trim().split(';')[0]?.replace(/\s+/g, '');
  if (first !== 'v=DMARC1') return failed('dmarcNoVersion');
  const parsed = parseTagList(record);
  if (!parsed.ok) return parsed;
  const { tags } = parsed;
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) return failed('dmarcNoPolicy');
  if (!policies.includes(p)) return failed('dmarcBadPolicy', { tag: 'p', value: p });
  const sp = tags.get('sp')?.toLowerCase();
  if (sp !== undefined && !policies.includes(sp)) return failed('dmarcBadPolicy', { tag: 'sp', value: sp });
  const mode = (name: 'adkim' | 'aspf'): 'r' | 's' | string => (tags.get(name) ?? 'r').toLowerCase();
  const adkim = mode('adkim');
  const aspf = mode('aspf');
  if (adkim !== 'r' && adkim !== 's') return failed('dmarcBadAlignment', { tag: 'adkim', value: adkim });
  if (aspf !== 'r' && aspf !== 's') return failed('dmarcBadAlignment', { tag: 'aspf', value: aspf });
  const pctText = tags.get('pct') ?? '100';
  if (!/^\d{1,3}$/.test(pctText) || Number(pctText) > 100) return failed('dmarcBadPct', { value: pctText });
  const uris = (name: string) => (tags.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    ok: true,
    record: { policy: p as DmarcPolicy, subdomainPolicy: (sp as DmarcPolicy | undefined) ?? null, adkim, aspf, pct: Number(pctText), rua: uris('rua'), ruf: uris('ruf') },
  };
}

/** The address of a DMARC report URI (`mailto:a@b.example!10m`), or null when it is not a valid mailto:. */
export function dmarcReportAddress(uri: string): string | null {
  const match = /^mailto:([^!\s]+)(?:![0-9]+[kmgt]?)?$/i.exec(uri.trim());
  if (!match?.[1]) return null;
  let address: string;
  try {
    address = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return /^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\.?$/.test(address) ? address : null;
}

export { isSpfRecord };

export type ParsedSpf = { ok: true; terms: SpfTerm[] } | { ok: false; problem: RecordProblem };

const mechanisms = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const modifiers = new Set(['redirect', 'exp']);

/**
 * Term-level syntax of an SPF record (enough to name what is wrong; evaluation is mailauth's).
 * Terms are read by the one SPF term reader (shared/records/spf.ts), then judged here.
 */
export function parseSpfRecord(record: string): ParsedSpf {
  if (!isSpfRecord(record)) return failed('spfNoVersion');
  const terms: SpfTerm[] = [];
  for (const word of record.split(' ').slice(1)) {
    if (word === '') continue;
    const term = parseSpfTerm(word);
    const { name, argument } = term;
    if (term.kind === 'modifier') {
      if (modifiers.has(name) && terms.some((t) => t.kind === 'modifier' && t.name === name)) return failed('tagTwice', { tag: name });
      terms.push(term);
      continue;
    }
    if (!mechanisms.has(name)) return failed('spfUnknownTerm', { term: word });
    if ((name === 'include' || name === 'exists') && argument === '') return failed('spfNeedsDomain', { tag: name, term: word });
    if ((name === 'ip4' || name === 'ip6') && argument === '') return failed('spfNeedsAddress', { tag: name, term: word });
    if (name === 'ip4' && !/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(argument)) return failed('spfNotIpv4', { term: word });
    if (name === 'ip6' && !/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(argument)) return failed('spfNotIpv6', { term: word });
    if (name === 'all' && word.replace(/^[+\-~?]/, '').length !== 'all'.length) return failed('spfAllValue', { term: word });
    terms.push(term);
  }
  return { ok: true, terms };
}

/** Terms that cost one DNS lookup each (RFC 7208 §4.6.4); include/redirect also cost their target's. */
export function spfLookupTerms(terms: readonly SpfTerm[]): SpfTerm[] {
  return terms.filter(isSpfLookupTerm);
}

export type BlocklistAnswer = { kind: 'clear' } | { kind: 'listed'; codes: string[] } | { kind: 'refused'; codes: string[] } | { kind: 'odd'; codes: string[] };

/**
 * A DNS blocklist's answer for one address. 127.255.255.0/24 means "this resolver may not ask"
 * (Spamhaus refuses public resolvers), never "listed"; 127.0.0.2–127.0.0.255 is a listing;
 * NXDOMAIN (no addresses) is not listed; anything else is not understood.
 */
export function classifyBlocklistAnswer(addresses: readonly string[]): BlocklistAnswer {
  if (addresses.length === 0) return { kind: 'clear' };
  const codes = [...addresses].sort();
  if (codes.some((a) => a.startsWith('127.255.255.'))) return { kind: 'refused', codes };
  const listed = codes.every((a) => {
    const m = /^127\.0\.0\.(\d{1,3})$/.exec(a);
    return m !== null && Number(m[1]) >= 2 && Number(m[1]) <= 255;
  });
  return listed ? { kind: 'listed', codes } : { kind: 'odd', codes };
}

/**
 * The DNSBL query name of an address, in the reverse-DNS form (RFC 5782 §2.1, §2.4): IPv4's
 * octets reversed (`1.2.0.192.zen.spamhaus.org`), IPv6's 32 nibbles reversed, as Spamhaus
 * documents its IPv6 queries (the ip6.arpa form without `ip6.arpa`).
 */
export function blocklistQueryName(address: string, list: string): string {
  const parsed = parseIpAddress(address);
  const reversed = parsed.ok ? reverseName(parsed.value).replace(/\.(?:in-addr|ip6)\.arpa$/, '') : address.split('.').reverse().join('.');
  return `${reversed}.${list}`;
}
