import { expandIpv6, formatIp, parseIpAddress, type IpAddress } from '../validation/ip.js';
import { note } from './notes.js';
import { splitTxtValue } from './txt.js';
import { spfCost, spfTermTarget } from './spfCost.js';
import type { DnsRecord, RecordNote, SpfAll, SpfLookupAnswers } from './types.js';

export interface SpfInput {
  /** Normalised domain. */
  domain: string;
  /** The server's public addresses (or networks), already parsed. */
  addresses: readonly IpAddress[];
  /** `mx`: the hosts of the domain's MX records may send; added only when no address is given. */
  mx: boolean;
  /** `a`: the domain's own A/AAAA addresses may send. */
  a: boolean;
  /** `include:` targets (a relay or mail service), normalised domains. */
  includes: readonly string[];
  /** The ending chosen; undefined keeps the published one (~all when there is none). */
  all?: SpfAll;
  /** TXT values at the domain now (SPF and others), to merge with instead of duplicating. */
  existing: readonly string[];
  /** What DNS answers for the names the terms look up (include:, redirect=, a, mx), when read. */
  answers?: SpfLookupAnswers;
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

/** RFC 7208 §4.6.4: more than 2 lookups that find nothing is a permerror. */
export const SPF_VOID_LIMIT = 2;

const LOOKUP_MECHANISMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

/** RFC 7208 §4.5: a TXT value is an SPF record when it begins with "v=spf1" followed by a space or its end. */
export function isSpfRecord(value: string): boolean {
  return /^v=spf1(?: |$)/i.test(value);
}

export interface SpfTerm {
  /** The text as written (qualifier included). */
  text: string;
  kind: 'mechanism' | 'modifier';
  /** Mechanism or modifier name, lower case. */
  name: string;
  qualifier: '+' | '-' | '~' | '?';
  /** After ":" or "=" (mechanisms: may include /cidr); '' when there is none. */
  argument: string;
}

/**
 * One SPF term as written (RFC 7208 §4.6.1, §6): `name=value` is a modifier; anything else a
 * mechanism, its qualifier (default +), its name up to ":" or "/", its argument after ":"
 * (a "/cidr" kept). Nothing is judged here: unknown names are kept as written.
 */
export function parseSpfTerm(text: string): SpfTerm {
  const modifier = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(text);
  if (modifier) return { text, kind: 'modifier', name: (modifier[1] as string).toLowerCase(), qualifier: '+', argument: modifier[2] as string };
  const qualified = /^[+\-~?]/.test(text);
  const qualifier = qualified ? (text[0] as SpfTerm['qualifier']) : '+';
  const body = qualified ? text.slice(1) : text;
  const split = body.search(/[:/]/);
  const name = (split < 0 ? body : body.slice(0, split)).toLowerCase();
  const argument = split < 0 ? '' : body.slice(split + (body[split] === ':' ? 1 : 0));
  return { text, kind: 'mechanism', name, qualifier, argument };
}

/** Splits an SPF record's terms (after `v=spf1`, any whitespace between them). Unknown text is kept as written. */
export function parseSpfTerms(value: string): SpfTerm[] {
  return value.trim().split(/\s+/).slice(1).filter((t) => t !== '').map(parseSpfTerm);
}

/** Whether a term makes a receiver query DNS (RFC 7208 §4.6.4): include, a, mx, ptr, exists, redirect. */
export function isSpfLookupTerm(term: SpfTerm): boolean {
  return term.kind === 'mechanism' ? LOOKUP_MECHANISMS.has(term.name) : term.name === 'redirect';
}

/** Counts the terms that make a receiver query DNS (include, a, mx, ptr, exists, redirect). */
export function countSpfLookups(terms: readonly SpfTerm[]): number {
  return terms.filter(isSpfLookupTerm).length;
}

function termKey(term: SpfTerm): string {
  if (term.kind === 'mechanism' && (term.name === 'ip4' || term.name === 'ip6')) {
    const ip = parseIpAddress(term.argument, { allowPrefix: true });
    if (ip.ok) return `${term.qualifier}${term.name}:${canonicalNetwork(ip.value)}`;
  }
  // Macros expand case-sensitively (RFC 7208 §7.3): a term holding one is compared as written.
  const text = term.text.replace(/^\+/, '');
  return `${term.qualifier}${text.includes('%') ? text : text.toLowerCase()}`;
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

/** Whether a published term already lets `ip` pass: ip4/ip6 networks, and a/mx by their resolved addresses. */
function termCovers(term: SpfTerm, ip: IpAddress, owner: string, answers: SpfLookupAnswers | undefined): boolean {
  if (term.qualifier !== '+') return false;
  if (term.name === 'ip4' || term.name === 'ip6') {
    const network = parseIpAddress(term.argument, { allowPrefix: true });
    return network.ok && networkContains(network.value, ip);
  }
  if ((term.name !== 'a' && term.name !== 'mx') || answers === undefined) return false;
  const target = spfTermTarget(term, owner);
  if (target === null) return false;
  // Dual CIDR (RFC 7208 §5.6): `/N` for IPv4, `//N` for IPv6.
  const ip6Cidr = /\/\/(\d+)$/.exec(term.argument);
  const ip4Cidr = /\/(\d+)$/.exec(ip6Cidr ? term.argument.slice(0, ip6Cidr.index) : term.argument);
  const prefixText = ip.version === 4 ? ip4Cidr?.[1] : ip6Cidr?.[1];
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  const addressType = ip.version === 4 ? 'A' : 'AAAA';
  const hosts = term.name === 'a' ? [target] : answerList(answers, `MX ${target}`).map((h) => h.toLowerCase().replace(/\.$/, ''));
  return hosts.some((host) =>
    answerList(answers, `${addressType} ${host}`).some((text) => {
      const parsed = parseIpAddress(prefix === undefined ? text : `${text}/${prefix}`, { allowPrefix: true });
      return parsed.ok && networkContains(parsed.value, ip);
    }),
  );
}

function answerList(answers: SpfLookupAnswers, key: string): readonly string[] {
  const answer = answers[key];
  return Array.isArray(answer) ? answer : [];
}

/**
 * The one SPF record for the domain: the published record with every term kept in its order
 * (other senders stay authorised; terms after `all` stay where they are), the server's
 * addresses, `a` and includes added before the `all` where not already covered, `mx` only
 * when no address is given, and the published ending kept unless another is chosen. Several
 * published SPF records (a permerror) become this one.
 */
export function buildSpfRecord(input: SpfInput): SpfResult {
  const notes: RecordNote[] = [];
  const existingSpf = input.existing.filter(isSpfRecord);
  if (existingSpf.length > 1) notes.push(note('spfMultipleExisting', { count: existingSpf.length, domain: input.domain }, 'warning', 'spf'));

  // Several records: each one's terms before its `all`, then the first `all`, then what followed.
  const before: SpfTerm[] = [];
  const after: SpfTerm[] = [];
  let allTerm: SpfTerm | undefined;
  const seen = new Set<string>();
  for (const record of existingSpf) {
    let pastAll = false;
    for (const term of parseSpfTerms(record)) {
      if (term.kind === 'mechanism' && term.name === 'all') {
        if (allTerm === undefined) allTerm = term;
        pastAll = true;
        continue;
      }
      const key = term.kind === 'modifier' ? `=${term.name}` : termKey(term);
      if (seen.has(key)) continue;
      seen.add(key);
      (pastAll && allTerm !== undefined ? after : before).push(term);
      if (term.name === 'ptr') notes.push(note('spfPtrDiscouraged', {}, 'warning', 'spf'));
    }
  }
  const redirect = [...before, ...after].find((t) => t.kind === 'modifier' && t.name === 'redirect');
  const effective = before.filter((t) => t.kind === 'mechanism');

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
    if (!effective.some((t) => termCovers(t, ip, input.domain, input.answers))) add(`ip${ip.version}:${canonicalNetwork(ip)}`);
  }
  if (input.a) add('a');
  if (input.mx && input.addresses.length === 0) add('mx');
  for (const include of input.includes) add(`include:${include}`);

  const wantedQualifier = input.all === 'hard' ? '-' : input.all === 'soft' ? '~' : undefined;
  let allText: string | null = null;
  if (allTerm !== undefined) {
    const was = `${allTerm.qualifier === '+' ? '' : allTerm.qualifier}all`;
    const open = allTerm.qualifier === '+' || allTerm.qualifier === '?';
    const qualifier = wantedQualifier ?? (open ? '~' : allTerm.qualifier);
    allText = qualifier === allTerm.qualifier ? allTerm.text : `${qualifier}all`;
    if (qualifier !== allTerm.qualifier) notes.push(note(open ? 'spfAllWasOpen' : 'spfAllChanged', { from: was, to: allText }, 'warning', 'spf'));
  } else if (redirect !== undefined) {
    // With an `all`, receivers would ignore the redirect: keep the policy where it was set.
    notes.push(note('spfRedirectKept', { target: redirect.argument }, 'info', 'spf'));
  } else {
    allText = `${wantedQualifier ?? '~'}all`;
  }
  const ending = allText ?? '';
  // One published record: either it already says everything (nothing to do) or it is replaced by the merge.
  if (existingSpf.length === 1) {
    const unchanged = added.length === 0 && (allTerm === undefined || allText === allTerm.text);
    notes.unshift(note(unchanged ? 'spfAlreadyComplete' : 'spfMerged', { domain: input.domain }, 'info', 'spf'));
  }
  // Added terms go after the last published mechanism before `all` (modifiers stay where they were).
  const lastMechanism = before.map((t) => t.kind).lastIndexOf('mechanism');
  const head = allTerm === undefined ? before.slice(0, lastMechanism + 1) : before;
  const tail = allTerm === undefined ? before.slice(lastMechanism + 1) : [];
  const terms = ['v=spf1', ...head.map((t) => t.text), ...added, ...(allText === null ? [] : [allText]), ...tail.map((t) => t.text), ...after.map((t) => t.text)];
  notes.push(note(ending.startsWith('-') ? 'spfAllHard' : 'spfAllSoft', {}, 'info', 'spf'));

  const value = terms.join(' ');
  const own = countSpfLookups(parseSpfTerms(value));
  let lookups = own;
  if (input.answers === undefined) {
    if (value.includes('include:') || value.includes('redirect=')) notes.push(note('spfIncludesCount', {}, 'info', 'spf'));
  } else {
    const cost = spfCost(value, input.domain, input.answers);
    lookups = cost.lookups;
    if (cost.unresolved.length > 0) notes.push(note('spfLookupsUnresolved', { names: cost.unresolved.join(', ') }, 'info', 'spf'));
    const costly = [...cost.terms].filter((t) => t.lookups > 0).sort((a, b) => b.lookups - a.lookups);
    if (cost.voids > SPF_VOID_LIMIT) {
      const voidTerms = cost.terms.filter((t) => t.voids > 0).map((t) => t.term).join(', ');
      notes.push(note('spfTooManyVoids', { count: cost.voids, limit: SPF_VOID_LIMIT, terms: voidTerms }, 'warning', 'spf'));
    }
    if (lookups > SPF_LOOKUP_LIMIT) {
      const remove = costly.map((t) => `${t.term} (${t.lookups})`).join(', ');
      notes.push(note('spfTooManyLookupsRemove', { count: lookups, limit: SPF_LOOKUP_LIMIT, terms: remove }, 'warning', 'spf'));
    }
  }
  notes.push(note('spfLookups', { count: lookups, limit: SPF_LOOKUP_LIMIT }, lookups > SPF_LOOKUP_LIMIT ? 'warning' : 'info', 'spf'));
  if (lookups > SPF_LOOKUP_LIMIT && input.answers === undefined) notes.push(note('spfTooManyLookups', { count: lookups, limit: SPF_LOOKUP_LIMIT }, 'warning', 'spf'));
  if (input.addresses.length === 0 && !input.mx && !input.a && input.includes.length === 0 && effective.length === 0 && redirect === undefined) {
    notes.push(note('spfAuthorisesNothing', { domain: input.domain }, 'warning', 'spf'));
  }

  return {
    record: { name: input.domain, type: 'TXT', ttl: input.ttl, value, strings: splitTxtValue(value), purpose: 'spf', action: 'publish', zone: input.domain },
    lookups,
    existingCount: existingSpf.length,
    notes,
  };
}
