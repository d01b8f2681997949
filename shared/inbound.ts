import { parseIpAddress } from './validation/ip.js';

/**
 * Inbound rules as Homemail reports them: the DNS blocklists in use and whether each still
 * works, the client host-name rule, and the allowlist that goes before it. Pure data.
 */

/** The restriction that names a list, or postscreen's site list. */
export type BlocklistKind =
  | 'reject_rbl_client'
  | 'reject_rhsbl_client'
  | 'reject_rhsbl_sender'
  | 'reject_rhsbl_helo'
  | 'reject_rhsbl_recipient'
  | 'reject_rhsbl_reverse_client'
  | 'permit_dnswl_client'
  | 'permit_rhswl_client'
  | 'postscreen_dnsbl_sites';

export interface BlocklistUse {
  /** main.cf parameter it sits in. */
  parameter: string;
  kind: BlocklistKind;
  /** The DNS zone, e.g. `zen.spamhaus.org`. */
  zone: string;
  /** The restriction as written, e.g. `reject_rbl_client zen.spamhaus.org=127.0.0.[2..11]`. */
  text: string;
}

/**
 * - `working`: the test entry is listed and the "not listed" entry is not;
 * - `not-listing`: the test entry is not listed (the list is gone or empty);
 * - `lists-everything`: even the "not listed" entry is listed (a dead domain parked with a wildcard);
 * - `refused`: the list answered with 127.255.255.x: it refuses this resolver (Spamhaus and public resolvers);
 * - `no-answer`: the server's resolver got no answer (SERVFAIL, timeout).
 */
export type BlocklistStatus = 'working' | 'not-listing' | 'lists-everything' | 'refused' | 'no-answer';

export interface DnsProbe {
  name: string;
  /** NOERROR, NXDOMAIN, SERVFAIL, TIMEOUT, … (FOUND/NOTFOUND when only getent was available). */
  status: string;
  answers: string[];
}

export interface BlocklistTest {
  use: BlocklistUse;
  status: BlocklistStatus;
  listed: DnsProbe;
  unlisted: DnsProbe;
  /** Homemail proposes removing it (everything but `working`). */
  remove: boolean;
  text: string;
}

export type ClientHostnameRule = 'none' | 'reverse' | 'strict';

export interface ClientHostnameAdvice {
  current: ClientHostnameRule;
  /** Where the rule sits, when present. */
  parameter: string | null;
  /** Connections in the mail log from clients without a (forward-confirmed) name, and all connections. */
  unknownClients: number;
  connections: number;
  text: string;
}

/** One allowlist entry as the person gives it. */
export type AllowEntry =
  | { kind: 'name'; value: string; comment?: string | undefined }
  | { kind: 'regexp'; value: string; comment?: string | undefined }
  | { kind: 'address'; value: string; comment?: string | undefined };

export interface InboundReport {
  blocklists: BlocklistTest[];
  clientHostname: ClientHostnameAdvice;
  /** Lists worth using, each with its caveat. */
  suggestions: string[];
  /** Set when the server's resolver answered nothing for any list: maybe the resolver, not the lists. */
  resolverWarning: string | null;
  roundTrips: number;
}

/** An allowlist line as the person types it: `/re/flags` a pattern, an address or network, else a host name. */
export function allowEntryFrom(text: string): AllowEntry {
  const value = text.trim();
  if (value.startsWith('/')) return { kind: 'regexp', value };
  if (parseIpAddress(value, { allowPrefix: true }).ok) return { kind: 'address', value };
  return { kind: 'name', value };
}
