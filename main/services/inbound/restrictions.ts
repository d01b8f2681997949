import type { BlocklistKind, BlocklistUse, ClientHostnameRule } from '../../../shared/inbound.js';
import { splitPostfixList } from '../../server/config/mainCf.js';

/**
 * Postfix SMTP restriction lists (postconf(5) smtpd_*_restrictions) as items: a restriction
 * with its argument (`reject_rbl_client zen.spamhaus.org`, `check_client_access cidr:/…`) is
 * one item, so removing or inserting never splits a pair. Values are written back on one
 * line, comma separated, which is what `postconf -e` would store.
 */

export const RESTRICTION_PARAMETERS = [
  'smtpd_client_restrictions',
  'smtpd_helo_restrictions',
  'smtpd_sender_restrictions',
  'smtpd_relay_restrictions',
  'smtpd_recipient_restrictions',
  'smtpd_data_restrictions',
] as const;

const BLOCKLIST_KINDS = new Set<string>([
  'reject_rbl_client',
  'reject_rhsbl_client',
  'reject_rhsbl_sender',
  'reject_rhsbl_helo',
  'reject_rhsbl_recipient',
  'reject_rhsbl_reverse_client',
  'permit_dnswl_client',
  'permit_rhswl_client',
]);

const TAKES_ARGUMENT = /^(reject_rbl_client|reject_rhsbl_\w+|permit_dnswl_client|permit_rhswl_client|check_\w+_access|check_policy_service|warn_if_reject_rbl_client)$/;

export interface Restriction {
  name: string;
  argument: string | null;
}

export function parseRestrictions(value: string): Restriction[] {
  const tokens = splitPostfixList(value);
  const out: Restriction[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i] ?? '';
    if (TAKES_ARGUMENT.test(name.toLowerCase()) && i + 1 < tokens.length) {
      out.push({ name, argument: tokens[i + 1] ?? null });
      i++;
    } else {
      out.push({ name, argument: null });
    }
  }
  return out;
}

export function restrictionText(r: Restriction): string {
  return r.argument === null ? r.name : `${r.name} ${r.argument}`;
}

export function formatRestrictions(list: readonly Restriction[]): string {
  return list.map(restrictionText).join(', ');
}

/** `zen.spamhaus.org=127.0.0.[2..11]` → `zen.spamhaus.org`. */
export function zoneOf(argument: string): string {
  return argument.replace(/[=*].*$/, '').toLowerCase();
}

/** Every DNS list named in the restriction lists and in postscreen_dnsbl_sites. */
export function findBlocklists(settings: Readonly<Record<string, string>>): BlocklistUse[] {
  const uses: BlocklistUse[] = [];
  for (const parameter of RESTRICTION_PARAMETERS) {
    const value = settings[parameter];
    if (value === undefined) continue;
    for (const r of parseRestrictions(value)) {
      const kind = r.name.toLowerCase();
      if (BLOCKLIST_KINDS.has(kind) && r.argument !== null) {
        uses.push({ parameter, kind: kind as BlocklistKind, zone: zoneOf(r.argument), text: restrictionText(r) });
      }
    }
  }
  const sites = settings['postscreen_dnsbl_sites'];
  if (sites !== undefined) {
    for (const site of splitPostfixList(sites)) {
      uses.push({ parameter: 'postscreen_dnsbl_sites', kind: 'postscreen_dnsbl_sites', zone: zoneOf(site), text: site });
    }
  }
  return uses;
}

/** The value with the given list entries removed (others, and their order, kept). */
export function removeBlocklists(parameter: string, value: string, zones: ReadonlySet<string>): string {
  if (parameter === 'postscreen_dnsbl_sites') {
    return splitPostfixList(value)
      .filter((site) => !zones.has(zoneOf(site)))
      .join(', ');
  }
  return formatRestrictions(parseRestrictions(value).filter((r) => !(BLOCKLIST_KINDS.has(r.name.toLowerCase()) && r.argument !== null && zones.has(zoneOf(r.argument)))));
}

/** Which client host-name rule is in force, and where. */
export function currentHostnameRule(settings: Readonly<Record<string, string>>): { rule: ClientHostnameRule; parameter: string | null } {
  let found: { rule: ClientHostnameRule; parameter: string | null } = { rule: 'none', parameter: null };
  for (const parameter of RESTRICTION_PARAMETERS) {
    for (const r of parseRestrictions(settings[parameter] ?? '')) {
      const name = r.name.toLowerCase();
      if (name === 'reject_unknown_client_hostname') return { rule: 'strict', parameter };
      if (name === 'reject_unknown_reverse_client_hostname') found = { rule: 'reverse', parameter };
    }
  }
  return found;
}

/** Restrictions that end the client stage with a permit: they must stay before any reject we add. */
const PERMITS = /^(permit_mynetworks|permit_sasl_authenticated|permit_tls_clientcerts|permit_tls_all_clientcerts|permit_inet_interfaces)$/;

export interface HostnameRuleEdit {
  /** The client restriction list after the edit. */
  value: string;
  changed: boolean;
}

/**
 * The allowlist restrictions for the maps in use. Names go through
 * check_reverse_client_hostname_access: it looks up the client's reverse (PTR) name even when
 * that name does not resolve back; check_client_access would see only "unknown" for exactly
 * the senders the allowlist is for. Addresses go through check_client_access.
 */
export function allowRestrictions(maps: { regexp: string | null; cidr: string | null }): Restriction[] {
  return [
    ...(maps.cidr === null ? [] : [{ name: 'check_client_access', argument: maps.cidr }]),
    ...(maps.regexp === null ? [] : [{ name: 'check_reverse_client_hostname_access', argument: maps.regexp }]),
  ];
}

const ALLOW_KINDS = /^(check_client_access|check_reverse_client_hostname_access)$/;

/**
 * Puts the allowlist (allowRestrictions) and the host-name reject into
 * smtpd_client_restrictions in a sensible order: after the trusted permits (mynetworks,
 * SASL), before any other reject or DNS list, and the old reverse-only rule replaced by the
 * stricter one when `strict`. A bare final `permit` stays last. The lists in
 * smtpd_recipient_restrictions are not touched: an `OK` there would skip relay protection.
 */
export function applyHostnameRule(value: string | undefined, options: { strict: boolean; allow: readonly Restriction[]; ourMaps: readonly string[]; ruleInMap?: boolean }): HostnameRuleEdit {
  const before = value ?? '';
  const list = parseRestrictions(before);
  const rule = options.strict ? 'reject_unknown_client_hostname' : 'reject_unknown_reverse_client_hostname';
  const isRule = (r: Restriction) => /^reject_unknown_(reverse_)?client_hostname$/i.test(r.name);
  const isOurAllow = (r: Restriction) => ALLOW_KINDS.test(r.name.toLowerCase()) && r.argument !== null && options.ourMaps.includes(r.argument);
  const kept = list.filter((r) => !isRule(r) && !isOurAllow(r));
  if (kept.length === 0) kept.push({ name: 'permit_mynetworks', argument: null }, { name: 'permit_sasl_authenticated', argument: null });
  let at = 0;
  while (at < kept.length && PERMITS.test((kept[at]?.name ?? '').toLowerCase())) at++;
  // An existing allowlist of the person's (another check_client_access) stays before our rule too.
  while (at < kept.length && ALLOW_KINDS.test((kept[at]?.name ?? '').toLowerCase())) at++;
  // With a names table the rule is its last line (see allowMap.ts), so it is not repeated here.
  const inserted: Restriction[] = [...options.allow, ...(options.ruleInMap ? [] : [{ name: rule, argument: null }])];
  kept.splice(at, 0, ...inserted);
  const after = formatRestrictions(kept);
  return { value: after, changed: formatRestrictions(list) !== after };
}
