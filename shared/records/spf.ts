import { expandIpv6, formatIp, parseIpAddress, type IpAddress } from '../validation/ip.js';
import { note } from './notes.js';
import { splitTxtValue } from './txt.js';
import type { DnsRecord, RecordNote, SpfAll } from './types.js';

export interface SpfInput {
  /** Normalised domain. */
  domain: string;
  /** The server's public addresses (or networks), already parsed. */
  addresses: readonly IpAddress[];
  /** `mx`: the hosts of the domain's MX records may send (follows a dynamic address). */
  mx: boolean;
  /** `a`: the domain's own A/AAAA addresses may send. */
  a: boolean;
  /** `include:` targets (a relay or mail service), normalised domains. */
  includes: readonly string[];
  all: SpfAll;
  /** TXT values at the domain now (SPF and others), to merge with instead of duplicating. */
  existing: readonly string[];
  ttl: number;
}

export interface SpfResult {
  record: DnsRecord;
  /** DNS-querying terms in this record (RFC 7208 §4.6.4); include: targets add their own. */
  lookups: number;
  /** How many SPF records were there before (0, 1, or more — which is a permerror). */
  existingCount: number;
  notes: RecordNote[];
}

/** RFC 7208 §4.6.4: at most 10 terms that cause DNS queries, counted through includes. */
export const SPF_LOOKUP_LIMIT = 10;

const LOOKUP_MECHANISMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

export function isSpfRecord(value: string): boolean {
  return /^v=spf1(\s|$)/i.test(value.trim());
}

export interface SpfTerm {
  /** The text as written (qualifier included). */
  text: string;
  kind: 'mechanism' | 'modifier';
  /** Mechanism or modifier name, lower case. */
  name: string;
  qualifier: '+' | '-' | '~' | '?';
  /** After ":" or "=" (mechanisms: may include /cidr). */
  argument: string;
}

/** Splits an SPF record's terms (after `v=spf1`). Unknown text is kept as written. */
export function parseSpfTerms(value: string): SpfTerm[] {
  return value
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((t) => t !== '')
    .map((text) => {
      const modifier = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(text);
      if (modifier) return { text, kind: 'modifier', name: (modifier[1] as string).toLowerCase(), qualifier: '+', argument: modifier[2] as string };
      const qualifier = /^[+\-~?]/.test(text) ? (text[0] as SpfTerm['qualifier']) : '+';
      const body = /^[+\-~?]/.test(text) ? text.slice(1) : text;
      const split = body.search(/[:/]/);
      const name = (split < 0 ? body : body.slice(0, split)).toLowerCase();
      const argument = split < 0 ? '' : body.slice(split + (body[split] === ':' ? 1 : 0));
      return { text, kind: 'mechanism', name, qualifier, argument };
    });
}

/** Counts the terms that make a receiver query DNS (include, a, mx, ptr, exists, redirect). */
export function countSpfLookups(terms: readonly SpfTerm[]): number {
  return terms.filter((t) => (t.kind === 'mechanism' ? LOOKUP_MECHANISMS.has(t.name) : t.name === 'redirect')).length;
}

function termKey(term: SpfTerm): string {
  if (term.kind === 'mechanism' && (term.name === 'ip4' || term.name === 'ip6')) {
    const ip = parseIpAddress(term.argument, { allowPrefix: true });
    if (ip.ok) return `${term.qualifier}${term.name}:${canonicalNetwork(ip.value)}`;
  }
  return `${term.qualifier}${term.text.replace(/^\+/, '').toLowerCase()}`;
}

function canonicalNetwork(ip: IpAddress): string {
  const full = ip.version === 4 ? 32 : 128;
  return ip.prefix === undefined || ip.prefix === full ? ip.address : formatIp(ip);
}

function addressBits(ip: IpAddress): number[] {
  const groups = ip.version === 4 ? ip.address.split('.').map(Number) : (expandIpv6(ip.address) ?? []);
  const width = ip.version === 4 ? 8 : 16;
  return groups.flatMap((g) => Array.from({ length: width }, (_, i) => (g >> (width - 1 - i)) & 1));
}

/** True when `network` (an ip4:/ip6: argument) contains `ip`. */
export function networkContains(network: IpAddress, ip: IpAddress): boolean {
  if (network.version !== ip.version) return false;
  const full = network.version === 4 ? 32 : 128;
  const prefix = network.prefix ?? full;
  if ((ip.prefix ?? full) < prefix) return false;
  const a = addressBits(network);
  const b = addressBits(ip);
  for (let i = 0; i < prefix; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The one SPF record for the domain: an existing record's terms kept in their order (other
 * senders stay authorised), then the server's addresses, `a`, `mx` and includes where not
 * already covered (cheap ip4/ip6 terms before the ones that cost lookups), and the chosen
 * `all` last. Several existing SPF records (a permerror) are merged into this one.
 */
export function buildSpfRecord(input: SpfInput): SpfResult {
  const notes: RecordNote[] = [];
  const existingSpf = input.existing.filter(isSpfRecord);
  if (existingSpf.length > 1) notes.push(note('spfMultipleExisting', { count: existingSpf.length, domain: input.domain }, 'warning', 'spf'));
  else if (existingSpf.length === 1) notes.push(note('spfMerged', { domain: input.domain }, 'info', 'spf'));

  const kept: SpfTerm[] = [];
  const seen = new Set<string>();
  let existingAll: SpfTerm | undefined;
  let redirect: SpfTerm | undefined;
  const trailingModifiers: SpfTerm[] = [];
  for (const term of existingSpf.flatMap(parseSpfTerms)) {
    if (term.kind === 'mechanism' && term.name === 'all') {
      existingAll ??= term;
      continue;
    }
    if (term.kind === 'modifier') {
      if (term.name === 'redirect') redirect ??= term;
      else if (!trailingModifiers.some((m) => m.name === term.name)) trailingModifiers.push(term);
      continue;
    }
    const key = termKey(term);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(term);
    if (term.name === 'ptr') notes.push(note('spfPtrDiscouraged', {}, 'warning', 'spf'));
  }

  const existingNetworks = kept
    .filter((t) => t.qualifier === '+' && (t.name === 'ip4' || t.name === 'ip6'))
    .map((t) => parseIpAddress(t.argument, { allowPrefix: true }))
    .flatMap((r) => (r.ok ? [r.value] : []));

  const added: string[] = [];
  const add = (text: string) => {
    const [term] = parseSpfTerms(`v=spf1 ${text}`);
    if (term === undefined) return;
    const key = termKey(term);
    if (seen.has(key)) return;
    seen.add(key);
    added.push(text);
  };
  for (const ip of input.addresses) {
    if (ip.scope !== 'public') notes.push(note('spfAddressNotPublic', { address: formatIp(ip), scope: ip.scope }, 'warning', 'spf'));
    if (!existingNetworks.some((n) => networkContains(n, ip))) add(`ip${ip.version}:${canonicalNetwork(ip)}`);
  }
  if (input.a) add('a');
  if (input.mx) add('mx');
  for (const include of input.includes) add(`include:${include}`);

  // Existing terms keep their order (qualifiers make order matter); added ones follow.
  const terms = ['v=spf1', ...kept.map((t) => t.text), ...added];

  const wanted = input.all === 'hard' ? '-all' : '~all';
  if (redirect && !existingAll) {
    // With an `all`, receivers would ignore the redirect: keep the policy where it was set.
    terms.push(redirect.text);
    notes.push(note('spfRedirectKept', { target: redirect.argument }, 'info', 'spf'));
  } else {
    terms.push(wanted);
    if (existingAll && existingAll.qualifier !== (input.all === 'hard' ? '-' : '~')) {
      const was = `${existingAll.qualifier === '+' ? '' : existingAll.qualifier}all`;
      notes.push(note(existingAll.qualifier === '+' || existingAll.qualifier === '?' ? 'spfAllWasOpen' : 'spfAllChanged', { from: was, to: wanted }, 'warning', 'spf'));
    }
  }
  terms.push(...trailingModifiers.map((t) => t.text));
  notes.push(note(input.all === 'hard' ? 'spfAllHard' : 'spfAllSoft', {}, 'info', 'spf'));

  const value = terms.join(' ');
  const lookups = countSpfLookups(parseSpfTerms(value));
  notes.push(note('spfLookups', { count: lookups, limit: SPF_LOOKUP_LIMIT }, lookups > SPF_LOOKUP_LIMIT ? 'warning' : 'info', 'spf'));
  if (lookups > SPF_LOOKUP_LIMIT) notes.push(note('spfTooManyLookups', { count: lookups, limit: SPF_LOOKUP_LIMIT }, 'warning', 'spf'));
  if (value.includes('include:') || value.includes('redirect=')) notes.push(note('spfIncludesCount', {}, 'info', 'spf'));
  if (input.addresses.length === 0 && !input.mx && !input.a && input.includes.length === 0 && kept.length === 0) {
    notes.push(note('spfAuthorisesNothing', { domain: input.domain }, 'warning', 'spf'));
  }

  return {
    record: { name: input.domain, type: 'TXT', ttl: input.ttl, value, strings: splitTxtValue(value), purpose: 'spf', action: 'publish', zone: input.domain },
    lookups,
    existingCount: existingSpf.length,
    notes,
  };
}
