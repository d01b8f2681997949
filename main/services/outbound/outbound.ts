import type { OutboundReport } from '../../../shared/outbound.js';
import type { RemoteSession } from '../ssh/types.js';
import { judgeOutbound } from './classify.js';
import { checkRelaySpf, checkSenderDependentRelays, relaySpfCheck, senderDependentRelays } from './relaySpf.js';
import { DEFAULT_POLICY_ZONE, DEFAULT_PROBE_DOMAIN, defaultAddressEchoes, runOutboundProbe, type AddressEcho } from './probe.js';

export interface OutboundOptions {
  /** The recipient domain whose MX port 25 is tried (default gmail.com). */
  probeDomain?: string;
  /** The person's mail domain: the certificate must carry its MX name (default: myhostname). */
  mailDomain?: string | null;
  /** The policy list (default zen.spamhaus.org; tests aim it at the test DNS's stand-in). */
  policyZone?: string;
  /** DNS services that tell the server its public address (tests aim them at the test DNS). */
  echoes?: readonly AddressEcho[];
  /** Seconds for a connection and its greeting (default 6). */
  seconds?: number;
  /** DNS servers (`ADDR[:PORT]`, as verify's --resolver) the desktop reads the domain's SPF from. */
  resolvers?: readonly string[];
  now?: Date;
  signal?: AbortSignal;
}

/** The way out, found from the server in one round trip and judged here. Changes nothing; sends nothing. */
export async function checkOutbound(session: RemoteSession, options: OutboundOptions = {}): Promise<OutboundReport> {
  const start = session.roundTrips;
  const probeDomain = options.probeDomain ?? DEFAULT_PROBE_DOMAIN;
  const policyZone = options.policyZone ?? DEFAULT_POLICY_ZONE;
  const echoes = options.echoes ?? defaultAddressEchoes;
  const facts = await runOutboundProbe(session, {
    probeDomain,
    mailDomain: options.mailDomain ?? null,
    policyZone,
    echoes,
    seconds: options.seconds ?? 6,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const report = await judgeOutbound(facts, { probeDomain, policyZone, echoes, now: options.now ?? new Date(), roundTrips: session.roundTrips - start });
  // The relays' SPF coverage is read from the desktop (verify's DNS), after the one round trip.
  const mailDomain = options.mailDomain ?? (facts.settings.mydomain?.trim() || null);
  const spfOptions = { ...(options.resolvers ? { resolvers: options.resolvers } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  const dependentFound = senderDependentRelays(report.relay.senderDependentRelayhostMaps, facts.relayMaps, mailDomain);
  const [relaySpf, dependent] = await Promise.all([checkRelaySpf(report.relay, mailDomain, spfOptions), dependentFound === null ? null : checkSenderDependentRelays(dependentFound, spfOptions)]);
  if (relaySpf === null && dependent === null) return report;
  const at = report.checks.findIndex((c) => c.id === 'relay');
  const checks = [...report.checks];
  checks.splice(at + 1, 0, ...(relaySpf === null ? [] : [relaySpfCheck(relaySpf)]), ...(dependent?.checks ?? []));
  const ok = !checks.some((c) => c.status === 'fail' || c.status === 'warn');
  return { ...report, relaySpf, senderDependentRelays: dependent?.relays ?? null, checks, ok };
}
