/**
 * Whether the configured relay's sending addresses are covered by the mail domain's SPF,
 * read from the desktop with verify's DNS machinery: the published SPF tree (published.ts)
 * for a preset's documented include, else mailauth's evaluation (recordChecks.ts) of the
 * relay host's own addresses. A submission host's address need not be the address the relay
 * sends from, so addresses that do not pass without a known include are "cannot tell".
 */
import { checkText, type Check } from '../../../shared/checks.js';
import type { RelayFinding, RelaySpfFinding, RelaySpfStatus, SenderDependentRelay, SenderDependentRelays } from '../../../shared/outbound.js';
import { readLookupTable } from '../../server/config/lookupTable.js';
import { parseSpfTerms } from '../../../shared/records/spf.js';
import { singleSpf, spfAnswerKey, spfTermTarget } from '../../../shared/records/spfCost.js';
import type { SpfLookupAnswers } from '../../../shared/records/types.js';
import { parseRelayTarget, presetForHost } from '../../../shared/relay.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { DnsClient, rawInOrder } from '../verify/dnsClient.js';
import { askInOrder, readPublishedRecords, serversForDomain } from '../verify/published.js';
import { makeCheck, spfEvaluationCheck, type RawResolver } from '../verify/recordChecks.js';

export interface RelaySpfOptions {
  /** `ADDR[:PORT]` texts, as verify's --resolver (tests aim them at the test DNS). */
  resolvers?: readonly string[];
  signal?: AbortSignal;
}

/** The relay's host from a relayhost value (`[host]:587`, `host:587`, `host`), or null. */
export function relayHostOf(relayhost: string): string | null {
  const parsed = parseRelayTarget(relayhost.split(/[\s,]+/)[0] ?? '');
  return parsed.ok ? parsed.value.host : null;
}

/**
 * Whether the domain's SPF (as published: its answers in `answers`) names `include:` of the
 * target, following include: and redirect= as the published tree was followed. null = cannot
 * tell (the record or an inner one has no known answer), false = read and not there.
 */
export function spfNamesInclude(domain: string, answers: SpfLookupAnswers, include: string): boolean | null {
  const wanted = include.toLowerCase().replace(/\.$/, '');
  let unknown = false;
  const seen = new Set<string>();
  const walk = (owner: string, depth: number): boolean => {
    if (seen.has(owner) || depth > 10) return false;
    seen.add(owner);
    const answer = answers[spfAnswerKey({ name: owner, type: 'TXT' })];
    if (answer === 'unknown' || answer === undefined) {
      unknown = true;
      return false;
    }
    const record = answer === null ? null : singleSpf(answer);
    if (record === null) return false;
    for (const term of parseSpfTerms(record)) {
      if (term.name !== 'include' && term.name !== 'redirect') continue;
      const target = spfTermTarget(term, owner);
      if (target === null) continue;
      if (target.toLowerCase().replace(/\.$/, '') === wanted) return true;
      if (walk(target.toLowerCase(), depth + 1)) return true;
    }
    return false;
  };
  if (walk(domain.toLowerCase(), 0)) return true;
  return unknown ? null : false;
}

export interface RelaySpfFacts {
  domain: string;
  relayHost: string;
  /** The preset's documented include, 'unknown' when none is documented or the host is no preset. */
  include: string | 'unknown';
  /** Whether the SPF names the include (null = cannot tell or not asked). */
  includeListed: boolean | null;
  /** The relay host's addresses and mailauth's verdict for each. */
  addresses: ReadonlyArray<{ address: string; verdict: string }>;
  /** The domain's SPF could not be read (no usable answer). */
  spfUnreadable: boolean;
}

/** The decision: include when documented, else the relay host's addresses; unknown rather than a guessed fail. */
export function judgeRelaySpf(facts: RelaySpfFacts): RelaySpfFinding {
  const base = { domain: facts.domain, relayHost: facts.relayHost, include: facts.include, includeListed: facts.includeListed, addresses: [...facts.addresses] };
  const judged = (status: RelaySpfStatus, reason: RelaySpfFinding['reason']): RelaySpfFinding => ({ ...base, status, reason });
  const passing = facts.addresses.filter((a) => a.verdict === 'pass');
  if (facts.include !== 'unknown') {
    if (facts.includeListed === true) return judged('pass', 'include-listed');
    if (facts.includeListed === false) return judged('fail', 'include-missing');
    return judged('unknown', 'spf-unreadable');
  }
  if (facts.addresses.length > 0 && passing.length === facts.addresses.length) return judged('pass', 'addresses-pass');
  if (facts.spfUnreadable) return judged('unknown', 'spf-unreadable');
  if (facts.addresses.length === 0) return judged('unknown', 'no-address');
  return judged('unknown', 'addresses-not-passing');
}

/** The finding as a check: `relay.spf` for relayhost, `relay.spf:SENDER` for a sender_dependent_relayhost_maps entry. */
export function relaySpfCheck(finding: RelaySpfFinding, sender: string | null = null): Check {
  const { domain, relayHost: relay, include } = finding;
  const addresses = finding.addresses.map((a) => `${a.address} (${a.verdict})`).join(', ');
  const title = sender === null ? checkText('outRelaySpfTitle', { relay, domain }) : checkText('outRelaySenderSpfTitle', { relay, domain, sender });
  const base = { id: sender === null ? 'relay.spf' : `relay.spf:${sender}`, area: 'relay' as const, title, expected: checkText('outRelaySpfExpected', { domain }) };
  const includeText = include === 'unknown' ? 'the relay\'s documented include' : include;
  const fix = include === 'unknown' ? checkText('outRelaySpfFixUnknown', { domain, relay }) : checkText('outRelaySpfFixInclude', { domain, include: includeText });
  switch (finding.reason) {
    case 'include-listed':
      return makeCheck({ ...base, status: 'pass', found: checkText('outRelaySpfIncludeListed', { include }) });
    case 'include-missing':
      return makeCheck({ ...base, status: 'fail', found: checkText('outRelaySpfIncludeMissing', { include }), fix });
    case 'addresses-pass':
      return makeCheck({ ...base, status: 'pass', found: checkText('outRelaySpfAddressesPass', { addresses }) });
    case 'spf-unreadable':
      return makeCheck({ ...base, status: 'unknown', found: checkText('outRelaySpfUnreadable', { domain }) });
    case 'no-address':
      return makeCheck({ ...base, status: 'unknown', found: checkText('outRelaySpfNoAddress', { relay }), fix });
    default:
      return makeCheck({ ...base, status: 'unknown', found: checkText('outRelaySpfCannotTell', { addresses }), fix });
  }
}

/** Reads what the domain publishes and asks the evaluator; null when no relayhost is set or no domain is known. */
export async function checkRelaySpf(relay: RelayFinding, domain: string | null, options: RelaySpfOptions = {}): Promise<RelaySpfFinding | null> {
  return relay.relayhost === null ? null : checkRelayHostSpf(relay.relayhost, domain, options);
}

/** The same for one relay as Postfix names it (relayhost, or a sender_dependent_relayhost_maps value). */
export async function checkRelayHostSpf(relayhost: string, domain: string | null, options: RelaySpfOptions = {}): Promise<RelaySpfFinding | null> {
  if (domain === null || domain === '') return null;
  const relayHost = relayHostOf(relayhost);
  if (relayHost === null) return null;
  const preset = presetForHost(relayHost);
  const include = preset?.spfInclude ?? 'unknown';
  const dnsOptions = { ...(options.resolvers && options.resolvers.length > 0 ? { resolvers: options.resolvers } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  const published = await readPublishedRecords({ domain, ...dnsOptions });
  const spfUnreadable = published.unknownNames.includes(`TXT ${published.domain}`);
  const answers: SpfLookupAnswers = { ...published.spfAnswers, [spfAnswerKey({ name: published.domain, type: 'TXT' })]: spfUnreadable ? 'unknown' : published.existing.filter((r) => r.name === published.domain && r.type === 'TXT').map((r) => r.value) };
  const includeListed = include === 'unknown' ? null : spfNamesInclude(published.domain, answers, include);
  const addresses = include !== 'unknown' && includeListed !== null ? [] : await evaluateRelayAddresses(published.domain, relayHost, dnsOptions);
  return judgeRelaySpf({ domain: published.domain, relayHost, include, includeListed, addresses, spfUnreadable });
}

/** The relay host's A/AAAA (or the address itself), each evaluated as mail from the domain. */
async function evaluateRelayAddresses(domain: string, relayHost: string, options: { resolvers?: readonly string[]; signal?: AbortSignal }): Promise<Array<{ address: string; verdict: string }>> {
  const client = new DnsClient({ timeoutMs: 2000, tries: 2, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    const servers = await serversForDomain(client, domain, options);
    const all = [...servers.inZone, ...servers.outside.filter((s) => !servers.inZone.includes(s))];
    let addresses: string[];
    if (parseIpAddress(relayHost).ok) addresses = [relayHost];
    else {
      const [a, aaaa] = await Promise.all([askInOrder(client, servers.outside, relayHost, 'A'), askInOrder(client, servers.outside, relayHost, 'AAAA')]);
      addresses = [...(a.status === 'ok' ? a.records : []), ...(aaaa.status === 'ok' ? aaaa.records : [])];
    }
    const resolver: RawResolver = (name, type) => rawInOrder(client, all, name, type);
    return await Promise.all(
      addresses.map(async (address) => {
        const check = await spfEvaluationCheck(domain, address, resolver);
        return { address, verdict: String(check.found?.params.result ?? check.status) };
      }),
    );
  } finally {
    client.close();
  }
}

/**
 * The relays the tables of sender_dependent_relayhost_maps name, read as postmap reads their
 * source (lookupTable.ts; regexp:/pcre: patterns as written). A sender key's domain (`@d`,
 * `user@d`) is whose SPF must cover its relay; other keys (patterns, `<>`) take the mail
 * domain. The first entry of a sender counts, as Postfix takes the first table that answers.
 * Values that are no relay (`if /…/` lines, `$1` substitutions, DUNNO: use relayhost) are left out.
 */
export function senderDependentRelays(mapsSetting: string | null, maps: readonly RelayMapSource[], mailDomain: string | null): SenderDependentRelays | null {
  if (mapsSetting === null) return null;
  const relays: SenderDependentRelay[] = [];
  const seen = new Set<string>();
  for (const table of maps) {
    if (table.text === null) continue;
    for (const entry of readLookupTable(table.text)) {
      if (seen.has(entry.key) || relayHostOf(entry.value) === null || entry.value.includes('$') || /^dunno$/i.test(entry.value)) continue;
      seen.add(entry.key);
      const at = entry.written.lastIndexOf('@');
      const keyDomain = at >= 0 && !entry.written.startsWith('/') ? entry.written.slice(at + 1).toLowerCase() : '';
      relays.push({ map: table.map, sender: entry.written, relayhost: entry.value, domain: keyDomain !== '' ? keyDomain : mailDomain, spf: null });
    }
  }
  return { maps: maps.map((m) => ({ map: m.map, read: m.read })), relays };
}

export interface RelayMapSource {
  map: string;
  text: string | null;
  read: 'read' | 'unreadable' | 'unsupported';
}

/** Each relay's SPF coverage (one lookup per relay host and domain), and its checks. */
export async function checkSenderDependentRelays(found: SenderDependentRelays, options: RelaySpfOptions = {}): Promise<{ relays: SenderDependentRelays; checks: Check[] }> {
  const asked = new Map<string, Promise<RelaySpfFinding | null>>();
  const relays = await Promise.all(
    found.relays.map(async (relay) => {
      const key = `${relayHostOf(relay.relayhost) ?? ''} ${relay.domain ?? ''}`;
      if (!asked.has(key)) asked.set(key, checkRelayHostSpf(relay.relayhost, relay.domain, options));
      return { ...relay, spf: (await asked.get(key)) ?? null };
    }),
  );
  const checked = { maps: found.maps, relays };
  return { relays: checked, checks: senderDependentChecks(checked) };
}

/** The checks of the sender-dependent relays: one per table not read, one per relay (its SPF, or why it cannot be asked). */
export function senderDependentChecks(found: SenderDependentRelays): Check[] {
  const checks: Check[] = [];
  for (const map of found.maps) {
    if (map.read === 'read') continue;
    const base = { id: `relay.map:${map.map}`, area: 'relay' as const, title: checkText('outRelayMapTitle', { map: map.map }), expected: checkText('outRelayMapExpected') };
    checks.push(makeCheck({ ...base, status: 'unknown', found: map.read === 'unreadable' ? checkText('outRelayMapUnreadable', { map: map.map }) : checkText('outRelayMapUnsupported', { map: map.map }) }));
  }
  for (const relay of found.relays) {
    if (relay.spf !== null) checks.push(relaySpfCheck(relay.spf, relay.sender));
    else {
      const base = { id: `relay.spf:${relay.sender}`, area: 'relay' as const, title: checkText('outRelayMapTitle', { map: relay.map }), expected: checkText('outRelayMapExpected') };
      checks.push(makeCheck({ ...base, status: 'unknown', found: checkText('outRelaySenderNoDomain', { sender: relay.sender, relay: relay.relayhost }) }));
    }
  }
  return checks;
}
