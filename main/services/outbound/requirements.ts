import { checkText, type Check, type CheckStatus, type CheckText } from '../../../shared/checks.js';
import type { OutboundReport, Receiver, RequirementRow, RequirementStatus } from '../../../shared/outbound.js';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import { englishText } from '../../../shared/i18n/english.js';
import type { OpendkimInfo } from '../../../shared/inspection.js';
import type { DkimExpectation } from '../verify/recordChecks.js';

/**
 * The sender requirements Gmail, Yahoo and Outlook publish, each judged from Homemail's own
 * checks (verify's DNS checks; outbound's server checks when the server was asked). The rule
 * texts say what each receiver's page says, with its address; no threshold is added here.
 * A rule that no check can judge (spam rates) is always "cannot tell".
 */

export const RECEIVER_SOURCES: Readonly<Record<Receiver, string>> = {
  gmail: 'https://support.google.com/a/answer/81126',
  yahoo: 'https://senders.yahooinc.com/best-practices/',
  outlook:
    'https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730',
};

/** What the checks say, reduced to the facts the rules ask about. */
export interface RequirementFacts {
  spf: RequirementStatus;
  dkim: RequirementStatus;
  dmarcRecord: RequirementStatus;
  /** SPF or DKIM passes for the From domain itself (the checks are made for that domain). */
  aligned: RequirementStatus;
  reverseDns: RequirementStatus;
  tls: RequirementStatus;
  /** The check ids each fact came from, and what they found (English). */
  basis: Record<Fact, string[]>;
  found: Record<Fact, string>;
  /** Why, as sentences of the catalogs (`checks.` keys): what a fact was judged for (the relay's addresses or the server's own). */
  reasons: Record<Fact, CheckText[]>;
}

type Fact = 'spf' | 'dkim' | 'dmarcRecord' | 'aligned' | 'reverseDns' | 'tls';

function fromStatuses(statuses: readonly CheckStatus[]): RequirementStatus {
  if (statuses.length === 0) return 'unknown';
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('unknown')) return 'unknown';
  return 'pass';
}

const either = (a: RequirementStatus, b: RequirementStatus): RequirementStatus => (a === 'pass' || b === 'pass' ? 'pass' : a === 'fail' && b === 'fail' ? 'fail' : 'unknown');
const both = (a: RequirementStatus, b: RequirementStatus): RequirementStatus => (a === 'fail' || b === 'fail' ? 'fail' : a === 'pass' && b === 'pass' ? 'pass' : 'unknown');

function describe(checks: readonly Check[]): string {
  return checks.map((c) => `${c.title.text}: ${c.status}${c.found ? ` (${c.found.text})` : ''}`).join('; ') || englishText('requirements', 'why.notChecked');
}

/**
 * Which SPF checks say whether SPF authenticates the mail, and why. With a relay (relayhost, or
 * a sender_dependent_relayhost_maps entry for the domain), mail reaches receivers from the
 * relay's addresses: its relay.spf finding counts. The server's own public address (verify
 * evaluated it only because it was found) does not count once all of the domain's mail is
 * relayed: relayhost, or an entry for the whole domain (`@domain`).
 */
function spfBasis(vchecks: readonly Check[], outbound: OutboundReport | null, domain: string | null): { checks: Check[]; reasons: CheckText[] } {
  const relaySpf = outbound?.relaySpf ?? null;
  const wanted = domain?.toLowerCase() ?? relaySpf?.domain ?? null;
  const dependent = (outbound?.senderDependentRelays?.relays ?? []).filter((r) => r.spf !== null && r.domain !== null && r.domain === wanted);
  const own = outbound && outbound.publicAddress !== 'unknown' ? `spf.eval:${outbound.publicAddress}` : null;
  const domainChecks = vchecks.filter((c) => c.id === 'spf' || c.id.startsWith('spf.eval:'));
  const check = (id: string) => outbound?.checks.find((c) => c.id === id);
  const allRelayed = relaySpf !== null || dependent.some((r) => r.sender.toLowerCase() === `@${wanted ?? ''}`);
  const checks = allRelayed ? domainChecks.filter((c) => c.id !== own) : [...domainChecks];
  const reasons: CheckText[] = [];
  if (outbound === null) {
    const addresses = domainChecks.filter((c) => c.id.startsWith('spf.eval:')).map((c) => c.id.slice('spf.eval:'.length));
    reasons.push(checkText('reqSpfDnsOnly', { addresses: addresses.join(', ') || '-' }));
  }
  if (!allRelayed && own !== null && domainChecks.some((c) => c.id === own)) reasons.push(checkText('reqSpfDirect', { address: outbound?.publicAddress ?? '' }));
  const relayed = (found: Check | undefined, why: CheckText) => {
    reasons.push(why, ...(found?.found ? [found.found] : []));
    if (found) checks.push(found);
  };
  if (relaySpf !== null) relayed(check('relay.spf'), checkText('reqSpfViaRelay', { relay: relaySpf.relayHost, domain: relaySpf.domain }));
  for (const relay of dependent) relayed(check(`relay.spf:${relay.sender}`), checkText('reqSpfViaSenderRelay', { relay: relay.spf?.relayHost ?? relay.relayhost, sender: relay.sender }));
  return { checks, reasons };
}

/**
 * The selectors the server signs `domain`'s mail with (inspection's KeyTable entries or the
 * single-key Domain/Selector settings), as DKIM expectations: DNS must publish a valid record
 * for each (the public key is not compared: inspection does not read private keys).
 */
export function serverDkimExpectations(opendkim: Pick<OpendkimInfo, 'keys'>, domain: string): DkimExpectation[] {
  const wanted = domain.toLowerCase();
  const expectations = new Map<string, DkimExpectation>();
  for (const key of opendkim.keys) {
    if (key.selector === null || key.domain?.toLowerCase() !== wanted || expectations.has(key.selector)) continue;
    expectations.set(key.selector, { selector: key.selector, publicKey: null, keyType: key.keyType });
  }
  return [...expectations.values()];
}

/**
 * Facts from verify's checks and (when the server was asked) outbound's. `serverSelectors`: the
 * DKIM checks were made for the selectors the server signs with (none were given).
 */
export function requirementFacts(verify: VerifyReport | null, outbound: OutboundReport | null, serverSelectors: readonly string[] = []): RequirementFacts {
  const vchecks = verify?.checks ?? [];
  const pick = (ids: (id: string) => boolean, from: readonly Check[]) => from.filter((c) => ids(c.id));
  const spfJudged = spfBasis(vchecks, outbound, verify?.domain ?? null);
  const spfChecks = spfJudged.checks;
  const dkimChecks = pick((id) => id.startsWith('dkim:'), vchecks);
  const dmarcChecks = pick((id) => id === 'dmarc', vchecks);
  // Reverse DNS: the server's own view of its public address when asked (its reverse name, and
  // whether myhostname / the HELO name agree), and verify's PTR checks of the given addresses.
  const ptrChecks = [...(outbound?.checks.filter((c) => c.area === 'ptr') ?? []), ...pick((id) => id.startsWith('ptr:'), vchecks)];
  const tlsChecks = outbound ? pick((id) => id === 'tls.outbound', outbound.checks) : [];
  const spf = fromStatuses(spfChecks.map((c) => c.status));
  const dkim = fromStatuses(dkimChecks.map((c) => c.status));
  // p=none is a warning in verify, and what the receivers accept as the minimum.
  const dmarcRecord = fromStatuses(dmarcChecks.map((c) => (c.status === 'warn' ? 'pass' : c.status)));
  const ids = (list: readonly Check[]) => list.map((c) => c.id);
  const dkimReasons = serverSelectors.length > 0 ? [checkText('reqDkimServerSelectors', { selectors: serverSelectors.join(', ') })] : [];
  return {
    spf,
    dkim,
    dmarcRecord,
    aligned: either(spf, dkim),
    reverseDns: fromStatuses(ptrChecks.map((c) => c.status)),
    tls: fromStatuses(tlsChecks.map((c) => c.status)),
    basis: { spf: ids(spfChecks), dkim: ids(dkimChecks), dmarcRecord: ids(dmarcChecks), aligned: [...ids(spfChecks), ...ids(dkimChecks)], reverseDns: ids(ptrChecks), tls: ids(tlsChecks) },
    found: {
      spf: describe(spfChecks),
      dkim: describe(dkimChecks),
      dmarcRecord: describe(dmarcChecks),
      aligned: describe([...spfChecks, ...dkimChecks]),
      reverseDns: describe(ptrChecks),
      tls: tlsChecks.length === 0 ? 'not checked (no server connection)' : describe(tlsChecks),
    },
    reasons: { spf: spfJudged.reasons, dkim: dkimReasons, dmarcRecord: [], aligned: [...spfJudged.reasons, ...dkimReasons], reverseDns: [], tls: [] },
  };
}

interface Rule {
  receiver: Receiver;
  id: string;
  scope: 'all' | 'bulk';
  /** The facts it needs, combined with `both` (all must pass) unless `any` is set. */
  facts: readonly Fact[];
  any?: boolean;
}

/** The rules, as each receiver's page states them (their words: `requirements.rules.<id>` in the catalogs). */
export const REQUIREMENT_RULES: readonly Rule[] = [
  { receiver: 'gmail', id: 'gmail.auth', scope: 'all', facts: ['spf', 'dkim'], any: true },
  { receiver: 'gmail', id: 'gmail.ptr', scope: 'all', facts: ['reverseDns'] },
  { receiver: 'gmail', id: 'gmail.tls', scope: 'all', facts: ['tls'] },
  { receiver: 'gmail', id: 'gmail.spamRate', scope: 'all', facts: [] },
  { receiver: 'gmail', id: 'gmail.bulk.auth', scope: 'bulk', facts: ['spf', 'dkim'] },
  { receiver: 'gmail', id: 'gmail.bulk.dmarc', scope: 'bulk', facts: ['dmarcRecord'] },
  { receiver: 'gmail', id: 'gmail.bulk.alignment', scope: 'bulk', facts: ['aligned'] },
  { receiver: 'yahoo', id: 'yahoo.auth', scope: 'all', facts: ['spf', 'dkim'], any: true },
  { receiver: 'yahoo', id: 'yahoo.ptr', scope: 'all', facts: ['reverseDns'] },
  { receiver: 'yahoo', id: 'yahoo.bulk.auth', scope: 'bulk', facts: ['spf', 'dkim'] },
  { receiver: 'yahoo', id: 'yahoo.bulk.dmarc', scope: 'bulk', facts: ['dmarcRecord'] },
  { receiver: 'yahoo', id: 'yahoo.bulk.alignment', scope: 'bulk', facts: ['aligned'] },
  { receiver: 'outlook', id: 'outlook.spf', scope: 'bulk', facts: ['spf'] },
  { receiver: 'outlook', id: 'outlook.dkim', scope: 'bulk', facts: ['dkim'] },
  { receiver: 'outlook', id: 'outlook.dmarc', scope: 'bulk', facts: ['dmarcRecord', 'aligned'] },
];

export function judgeRequirements(facts: RequirementFacts): RequirementRow[] {
  return REQUIREMENT_RULES.map((rule) => {
    const statuses = rule.facts.map((f) => facts[f]);
    const status: RequirementStatus = statuses.length === 0 ? 'unknown' : statuses.reduce(rule.any ? either : both);
    return {
      receiver: rule.receiver,
      id: rule.id,
      requirement: englishText('requirements', `rules.${rule.id}`),
      scope: rule.scope,
      status,
      source: RECEIVER_SOURCES[rule.receiver],
      basis: [...new Set(rule.facts.flatMap((f) => facts.basis[f]))],
      found: rule.facts.length === 0 ? englishText('requirements', 'why.receiverOnly') : rule.facts.map((f) => facts.found[f]).join(' | '),
      reasons: uniqueTexts(rule.facts.flatMap((f) => facts.reasons[f])),
    };
  });
}

function uniqueTexts(texts: readonly CheckText[]): CheckText[] {
  return [...new Map(texts.map((t) => [t.text, t])).values()];
}
