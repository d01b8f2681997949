/**
 * The way out of a home server, as Homemail reports it: whether port 25 leaves the house,
 * the public address and policy lists, the reverse name, TLS and the certificate smtpd
 * presents, and a relay already configured. Pure data; each finding is also a `Check` so
 * the CLI, --json and the wizard say the same sentence (keys under `checks.`).
 */
import type { Check, CheckStatus, CheckText } from './checks.js';

/** `unknown` = cannot tell (no DNS, no network, no dig), never a guess. */
export type Port25Status = 'open' | 'blocked' | 'unknown';

/** What one TCP probe saw: a greeting, a connection that said nothing, a reset, a timeout… */
export type PortResult = 'banner' | 'silent' | 'closed' | 'timeout' | 'refused' | 'unreachable' | 'error' | 'not-tried';

export interface PortProbe {
  port: number;
  result: PortResult;
  /** The greeting line (220 …), when one came. */
  banner: string | null;
}

export interface Port25Finding {
  status: Port25Status;
  probeDomain: string;
  /** The MX host tried (lowest preference) and its address. */
  host: string | null;
  address: string | null;
  port25: PortProbe;
  port587: PortProbe;
  /** Why it cannot tell, as a code (no-dig; no-mx:STATUS; no-address: the MX host has none; unreachable: see the two ports' results); its sentence is the port25 check's. */
  reason: string | null;
}

export type PolicyListStatus = 'listed' | 'not-listed' | 'unknown';

export interface PolicyListFinding {
  status: PolicyListStatus;
  zone: string;
  /** The address looked up, null when the public address is unknown. */
  address: string | null;
  /** The list's answers for the address (127.0.0.10 = PBL, ISP-maintained; 127.0.0.11 = PBL, Spamhaus-maintained). */
  answers: string[];
  /** Why it cannot tell (no-address; refused: the list refused the resolver, 127.255.255.x; no-answer:STATUS). IPv6 is asked in nibble form. */
  reason: string | null;
}

export interface ReverseNameFinding {
  address: string | null;
  /** The PTR names of the public address. */
  names: string[];
  /** The PTR name looks like a consumer line's generic name (addresses or "dynamic" in it). */
  generic: boolean;
  /** The PTR name resolves back to the address (forward-confirmed reverse DNS). */
  forwardConfirmed: boolean | null;
  myhostname: string | null;
  heloName: string | null;
  /** myhostname / the HELO name resolve to the public address. */
  myhostnameMatches: boolean | null;
  heloMatches: boolean | null;
}

/** Postfix's smtp_tls_security_level values at least as strict as opportunistic TLS (`may`). */
export const TLS_AT_LEAST_MAY: ReadonlySet<string> = new Set(['may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']);

export interface TlsFinding {
  /** smtp_tls_security_level (outbound); '' when unset (Postfix's default: none). */
  outboundLevel: string;
  /** smtpd offers STARTTLS to senders; null when smtpd could not be reached. */
  inboundStarttls: boolean | null;
}

export type CertificateProblem = 'snakeoil' | 'self-signed' | 'name-mismatch' | 'expired' | 'expiring' | 'chain-incomplete';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** DNS names it is valid for (subjectAltName, else the CN). */
  names: string[];
  notAfter: string;
  daysLeft: number;
  fingerprint256: string;
}

export interface CertificateFinding {
  status: CheckStatus;
  /** The certificate smtpd presents, null when none came (no STARTTLS, no openssl). */
  presented: CertificateSummary | null;
  /** The name senders connect to (the domain's MX, else myhostname). */
  expectedName: string | null;
  problems: CertificateProblem[];
  /** openssl's verify return code and text. */
  verifyCode: number | null;
  verifyText: string | null;
  /** smtpd_tls_cert_file / smtpd_tls_chain_files as set. */
  configuredFile: string | null;
  /** A Let's Encrypt certificate under /etc/letsencrypt/live/ valid for the expected name, to offer. */
  letsEncrypt: { name: string; certificate: string; fullchain: string; privkey: string; summary: CertificateSummary } | null;
}

export interface RelayFinding {
  relayhost: string | null;
  saslEnabled: boolean;
  saslPasswordMaps: string | null;
  saslSecurityOptions: string | null;
  senderDependentRelayhostMaps: string | null;
}

export type RelaySpfStatus = 'pass' | 'fail' | 'unknown';

/** Whether the configured relay's sending addresses are covered by the mail domain's SPF. */
export interface RelaySpfFinding {
  domain: string;
  /** The host of relayhost. */
  relayHost: string;
  /** The preset's documented SPF include, 'unknown' when none is documented or the host is no preset. */
  include: string | 'unknown';
  /** Whether the SPF (its includes and redirect followed) names the include; null = not asked or cannot tell. */
  includeListed: boolean | null;
  /** The relay host's addresses and the SPF verdict for mail from the domain sent from each. */
  addresses: Array<{ address: string; verdict: string }>;
  status: RelaySpfStatus;
  reason: 'include-listed' | 'include-missing' | 'addresses-pass' | 'addresses-not-passing' | 'no-address' | 'spf-unreadable';
}

/** One sender → relay entry of a table sender_dependent_relayhost_maps names, and its SPF coverage. */
export interface SenderDependentRelay {
  /** The table, as main.cf names it (`hash:/etc/postfix/sender_relay`). */
  map: string;
  /** The sender key as written (`@example.jp`, `user@example.jp`, a regexp pattern). */
  sender: string;
  /** The relay as the table gives it (`[smtp.example.net]:587`). */
  relayhost: string;
  /** Whose SPF must cover the relay: the sender key's domain, else the mail domain (null: none known). */
  domain: string | null;
  /** As relaySpf, for this relay and domain; null when no domain is known or the relay is no host. */
  spf: RelaySpfFinding | null;
}

export interface SenderDependentRelays {
  /** Each table and whether its source was read (`unreadable`: no such file or no permission; `unsupported`: not a file table, e.g. mysql:). */
  maps: Array<{ map: string; read: 'read' | 'unreadable' | 'unsupported' }>;
  relays: SenderDependentRelay[];
}

export interface OutboundReport {
  port25: Port25Status;
  /** What the port probes saw, and on which host. */
  port25Probe: Port25Finding;
  /** "unknown" when it cannot be found. */
  publicAddress: string;
  /** How it was found (the DNS echo service that answered). */
  publicAddressVia: string | null;
  policyListed: PolicyListFinding;
  reverseName: ReverseNameFinding;
  tls: TlsFinding;
  certificate: CertificateFinding;
  relay: RelayFinding;
  /** The relay's SPF coverage; null without a relayhost or a known mail domain. */
  relaySpf?: RelaySpfFinding | null;
  /** sender_dependent_relayhost_maps: the relays its tables name, each SPF-checked like relayhost; null when unset. */
  senderDependentRelays?: SenderDependentRelays | null;
  /** Every finding as a check, worst first in the wizard. */
  checks: Check[];
  /** Nothing failed or warned (exit 0). */
  ok: boolean;
  roundTrips: number;
}

/** Receivers whose published sender rules the checklist follows. */
export type Receiver = 'gmail' | 'yahoo' | 'outlook';

export type RequirementStatus = 'pass' | 'fail' | 'unknown';

export interface RequirementRow {
  receiver: Receiver;
  /** Stable id, e.g. "gmail.ptr". */
  id: string;
  /** The rule as the receiver states it (English; the wizard translates by id). */
  requirement: string;
  /** Who it applies to, as the receiver says: every sender, or bulk / high-volume senders. */
  scope: 'all' | 'bulk';
  status: RequirementStatus;
  /** The receiver's page that states it. */
  source: string;
  /** The checks it was judged from (ids), and what they found, in English. */
  basis: string[];
  found: string;
  /** Why, as sentences of the catalogs (`checks.` keys): e.g. SPF judged for the relay's addresses. */
  reasons: CheckText[];
}

export interface RequirementsReport {
  domain: string;
  rows: RequirementRow[];
  /** The checks the rows were judged from (each row's `basis` names them by id): what was found, and why a row cannot tell. */
  checks: Check[];
  /** Whether the server was asked (SSH given): without it, port 25, TLS and the reverse name are "cannot tell". */
  serverChecked: boolean;
  ok: boolean;
}
