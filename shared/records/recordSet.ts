import { badInput } from '../errors.js';
import { normalizeDomain } from '../validation/domain.js';
import { parseEmailAddress, type EmailAddress } from '../validation/email.js';
import { formatIp, parseIpAddress, type IpAddress } from '../validation/ip.js';
import { orThrow, problem } from '../validation/problem.js';
import { normalizeSelector } from '../validation/selector.js';
import { adspRemovals, normalizeName } from './adsp.js';
import { buildDkimRecord } from './dkim.js';
import { buildDmarcRecords, dmarcPolicies, parseFailureOptions, type DmarcAlignment } from './dmarc.js';
import { buildMxRecord, buildPtrGuidance } from './mxPtr.js';
import { note } from './notes.js';
import { buildSpfRecord, isSpfRecord, parseSpfTerms } from './spf.js';
import { compareWithPublished, publishedDmarc, stricterPolicy } from './published.js';
import type { DkimKeyType, DmarcPolicy, DnsRecord, ExistingRecord, RecordNote, SpfAll, SpfLookupAnswers } from './types.js';

export const DEFAULT_TTL = 3600;

/** The public half of a DKIM key, as the records need it. */
export interface DkimPublicKey {
  selector: string;
  type: DkimKeyType;
  /** The `p=` value: SPKI base64 (RSA) or the raw 32-byte key in base64 (Ed25519). */
  publicKey: string;
  /** RSA key size, for the warnings. */
  bits?: number;
}

/**
 * Everything the records are made from, as typed by a person or passed on the command
 * line: buildRecordSet validates each field and names it when refusing.
 */
export interface RecordRequest {
  domain: string;
  dkim?: readonly DkimPublicKey[];
  /** The server's public addresses (`--ip`), single addresses or networks. */
  addresses?: readonly string[];
  /** The mail host (`--mx`): publishes `D MX 10 HOST` and is the name PTRs should give. */
  mxHost?: string;
  /** The name the server's PTR must give; defaults to mxHost. */
  ptrHost?: string;
  spf?: { mx?: boolean; a?: boolean; includes?: readonly string[]; all?: SpfAll };
  dmarc?: {
    policy?: DmarcPolicy;
    subdomainPolicy?: DmarcPolicy;
    rua?: readonly string[];
    ruf?: readonly string[];
    fo?: string;
    adkim?: DmarcAlignment;
    aspf?: DmarcAlignment;
    pct?: number;
  };
  /**
   * Records published now (from DNS): SPF is merged with them, DMARC starts from them, ADSP is
   * deleted, and each record says whether to add, replace or keep. Undefined: not read.
   */
  existing?: readonly ExistingRecord[];
  /** `TYPE name` of published records that could not be read (no trustworthy answer). */
  unknownNames?: readonly string[];
  /** What DNS answers for the names the SPF terms look up, to count lookups through includes. */
  spfAnswers?: SpfLookupAnswers;
  ttl?: number;
}

export interface RecordSet {
  domain: string;
  records: DnsRecord[];
  notes: RecordNote[];
  /** DNS-querying terms in the SPF record itself (RFC 7208 §4.6.4). */
  spfLookups: number;
  /**
   * Other TXT values at the domain itself (site verifications…), which must stay when a
   * provider replaces the whole TXT set at a name; null when the existing records are unknown.
   */
  otherApexTxt: string[] | null;
}

function checkTtl(ttl: number | undefined): number {
  if (ttl === undefined) return DEFAULT_TTL;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 604800) throw badInput('ttl', problem('ttlRange'));
  return ttl;
}

function checkPolicy(field: string, policy: DmarcPolicy | undefined): DmarcPolicy | undefined {
  if (policy !== undefined && !dmarcPolicies.includes(policy)) throw badInput(field, problem('dmarcPolicy', { value: String(policy) }));
  return policy;
}

/**
 * All the records to publish for a domain (DKIM, SPF, DMARC and report authorisations, MX),
 * the PTR to ask the address owner for, existing records to remove (ADSP), and the notes
 * that explain them. Pure: the wizard calls it directly, the CLI and main the same way.
 */
export function buildRecordSet(request: RecordRequest): RecordSet {
  const domain = orThrow('domain', normalizeDomain(request.domain));
  const ttl = checkTtl(request.ttl);
  const addresses: IpAddress[] = [];
  for (const text of request.addresses ?? []) {
    const ip = orThrow('ip', parseIpAddress(text, { allowPrefix: true }));
    if (!addresses.some((a) => formatIp(a) === formatIp(ip))) addresses.push(ip);
  }
  const mxHost = request.mxHost === undefined ? undefined : orThrow('mx', normalizeDomain(request.mxHost));
  const ptrHost = request.ptrHost === undefined ? mxHost : orThrow('ptr', normalizeDomain(request.ptrHost));
  const includes = (request.spf?.includes ?? []).map((d) => orThrow('include', normalizeDomain(d, { allowUnderscore: true })));
  const published = publishedDmarc(domain, request.existing ?? []);
  const keptNotes: RecordNote[] = [];
  const rua = uniqueAddresses([...(request.dmarc?.rua ?? []), ...(published?.rua ?? [])].map((a) => orThrow('rua', parseEmailAddress(a))));
  const ruf = uniqueAddresses([...(request.dmarc?.ruf ?? []), ...(published?.ruf ?? [])].map((a) => orThrow('ruf', parseEmailAddress(a))));
  const requestedPolicy = checkPolicy('dmarc-policy', request.dmarc?.policy);
  let policy = requestedPolicy ?? published?.record.policy ?? 'none';
  if (published && stricterPolicy(published.record.policy, policy) !== policy) {
    keptNotes.push(note('dmarcKeptPublished', { published: published.record.policy, requested: policy }, 'warning', 'dmarc'));
    policy = published.record.policy;
  }
  const publishedTag = (name: string) => published?.tags.get(name)?.toLowerCase();
  const subdomainPolicy = checkPolicy('dmarc-subdomain-policy', request.dmarc?.subdomainPolicy) ?? (publishedTag('sp') as DmarcPolicy | undefined);
  const foText = request.dmarc?.fo ?? publishedTag('fo');
  const fo = foText === undefined ? undefined : parseFailureOptions(foText);
  if (fo === null) throw badInput('fo', problem('dmarcFo'));
  const adkim = request.dmarc?.adkim ?? (publishedTag('adkim') as DmarcAlignment | undefined);
  const aspf = request.dmarc?.aspf ?? (publishedTag('aspf') as DmarcAlignment | undefined);
  for (const [field, value] of [['adkim', adkim], ['aspf', aspf]] as const) {
    if (value !== undefined && value !== 'r' && value !== 's') throw badInput(field, problem('dmarcAlignment'));
  }
  const publishedPct = publishedTag('pct');
  const pct = request.dmarc?.pct ?? (publishedPct === undefined ? undefined : Number(publishedPct));
  if (published) {
    const kept = ['sp', 'fo', 'adkim', 'aspf', 'pct', 'rua', 'ruf'].filter((t) => published.tags.has(t)).map((t) => `${t}=${published.tags.get(t) ?? ''}`);
    if (kept.length > 0) keptNotes.push(note('dmarcFromPublished', { tags: kept.join('; ') }, 'info', 'dmarc'));
  }
  if (pct !== undefined && (!Number.isInteger(pct) || pct < 0 || pct > 100)) throw badInput('pct', problem('pctRange'));
  const spfAll = request.spf?.all;
  if (spfAll !== undefined && spfAll !== 'soft' && spfAll !== 'hard') throw badInput('spf-all', problem('spfAll'));

  const dkim = (request.dkim ?? []).map((key) => ({ ...key, selector: orThrow('selector', normalizeSelector(key.selector)) }));
  const selectors = new Set<string>();
  for (const key of dkim) {
    if (selectors.has(key.selector)) throw badInput('dkim', problem('selectorTwice', { selector: key.selector }));
    selectors.add(key.selector);
    if (key.type !== 'rsa' && key.type !== 'ed25519') throw badInput('dkim', problem('dkimKeyType', { value: String(key.type) }));
  }
  if (dkim.length > 0 && !dkim.some((k) => k.type === 'rsa')) {
    throw badInput('dkim', problem('ed25519Alone'), { key: 'addRsaKey', params: {} });
  }

  const records: DnsRecord[] = [];
  const notes: RecordNote[] = [];
  const existing = request.existing ?? [];

  for (const key of dkim) {
    records.push(buildDkimRecord({ domain, selector: key.selector, keyType: key.type, publicKey: key.publicKey, ttl }));
    notes.push(...dkimKeyNotes(key.type, key.bits, key.selector));
  }
  if (dkim.length === 0) notes.push(note('dkimNoKey', { domain }, 'info', 'dkim'));

  const existingApexTxt = existing.filter((r) => r.type.toUpperCase() === 'TXT' && normalizeName(r.name) === domain).map((r) => r.value);
  const spf = buildSpfRecord({
    domain,
    addresses,
    mx: request.spf?.mx ?? true,
    a: request.spf?.a ?? false,
    includes,
    ...(spfAll === undefined ? {} : { all: spfAll }),
    existing: existingApexTxt,
    ...(request.spfAnswers === undefined ? {} : { answers: request.spfAnswers }),
    ttl,
  });
  records.push(spf.record);
  notes.push(...spf.notes);
  // "SPF relies on mx" only when it does: a published record that names addresses (ip4/ip6/a) of its own does not.
  const namesAddresses = parseSpfTerms(spf.record.value).some((t) => t.kind === 'mechanism' && (t.name === 'ip4' || t.name === 'ip6' || t.name === 'a'));
  if (addresses.length === 0 && !namesAddresses) notes.push(note('spfNoAddress', {}, 'info', 'spf'));

  const dmarc = buildDmarcRecords({
    domain,
    policy,
    ...(subdomainPolicy === undefined ? {} : { subdomainPolicy }),
    rua,
    ruf,
    ...(fo === undefined ? {} : { failureOptions: fo }),
    ...(adkim === undefined ? {} : { adkim }),
    ...(aspf === undefined ? {} : { aspf }),
    ...(pct === undefined ? {} : { pct }),
    ttl,
  });
  records.push(...dmarc.records);
  notes.push(...keptNotes, ...dmarc.notes);

  if (mxHost !== undefined) {
    records.push(buildMxRecord(domain, mxHost, ttl));
    notes.push(note('mxHostAddress', { host: mxHost }, 'info', 'mx'));
  }
  const ptr = buildPtrGuidance(addresses, ptrHost, ttl);
  records.push(...ptr.records);
  notes.push(...ptr.notes);

  const adsp = adspRemovals(domain, existing, ttl);
  records.push(...adsp.records);
  notes.push(...adsp.notes);

  const otherApexTxt = request.existing === undefined ? null : existingApexTxt.filter((v) => !isSpfRecord(v));
  if (request.existing === undefined) return { domain, records, notes, spfLookups: spf.lookups, otherApexTxt };
  const compared = compareWithPublished(domain, records, request.existing, request.unknownNames ?? [], ttl);
  return { domain, records: compared.records, notes: [...notes.map((n) => authorizedAlready(n, compared.records)), ...compared.notes], spfLookups: spf.lookups, otherApexTxt };
}

/** The other domain's report authorization is already published: say so instead of asking its owner to add it. */
function authorizedAlready(n: RecordNote, records: readonly DnsRecord[]): RecordNote {
  if (n.key !== 'dmarcExternalReports') return n;
  const published = records.some((r) => r.purpose === 'dmarc-report-auth' && r.name === n.params['name'] && r.change === 'keep');
  return published ? note('dmarcExternalReportsAuthorized', { other: n.params['other'] ?? '', name: n.params['name'] ?? '' }, 'info', 'dmarc-report-auth') : n;
}

function uniqueAddresses(addresses: readonly EmailAddress[]): EmailAddress[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = `${a.local}@${a.domain}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The warnings a key's type and size deserve (RFC 8301, RFC 8463, long records). */
export function dkimKeyNotes(type: DkimKeyType, bits: number | undefined, selector: string): RecordNote[] {
  if (type === 'ed25519') return [note('dkimEd25519Additional', { selector }, 'info', 'dkim')];
  if (bits !== undefined && bits < 2048) return [note('dkimRsaWeak', { selector, bits }, 'warning', 'dkim')];
  if (bits !== undefined && bits > 2048) return [note('dkimRsaLong', { selector, bits }, 'warning', 'dkim')];
  return [];
}

