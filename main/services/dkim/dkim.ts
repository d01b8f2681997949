import { keyedError } from '../../../shared/errors.js';
import type { PublishGateReport } from '../../../shared/contract/records.js';
import { planText } from '../../../shared/i18n/english.js';
import type { ApplyResult, PlanText } from '../../../shared/plan.js';
import { applyRequest, planRequest, type ApplyOptions, type ChangeOptions, type ChangeRequest, type PlanOutcome } from '../../server/engine/index.js';
import { parseDkimPrivateKeyPem } from '../keys/index.js';
import type { RemoteSession } from '../ssh/types.js';
import { checkDkimPublished, notVisibleSentences } from '../verify/publishGate.js';
import type { DnsServer } from '../verify/dnsClient.js';
import { computeChanges, gatherPaths, type ChangeSettings } from './desired.js';

/** The DKIM feature's change request: its settings, read against what the server has. */
export function dkimRequest(settings: ChangeSettings): ChangeRequest {
  return { paths: gatherPaths(settings), domain: settings.domain, compute: (state) => computeChanges(state, settings) };
}

/** Publish before sign: where to look for the keys' DKIM records, or not at all. */
export interface DnsCheckOptions {
  /** `ADDR[:PORT]` texts: ask these instead of the zone's authoritative servers. */
  resolvers?: readonly string[];
  /** --skip-dns-check, or the wizard's explicit confirmation: sign even before the records are visible. */
  skip?: boolean;
  /** Recursive servers used to find the authoritative ones (tests aim these elsewhere). */
  publicServers?: readonly DnsServer[];
}

/** Whether the zone's servers answer each key's DKIM record with its own p= (null when skipped). */
export async function publishGate(settings: ChangeSettings, dns: DnsCheckOptions, signal?: AbortSignal): Promise<PublishGateReport | null> {
  if (dns.skip === true) return null;
  const keys = settings.keys.flatMap((k) => (k.privateKeyPem === null ? [] : [{ selector: k.selector, publicKey: parseDkimPrivateKeyPem(k.selector, settings.domain, k.privateKeyPem).publicKeyBase64 }]));
  return checkDkimPublished({
    domain: settings.domain,
    keys,
    ...(dns.resolvers === undefined ? {} : { resolvers: dns.resolvers }),
    ...(dns.publicServers === undefined ? {} : { publicServers: dns.publicServers }),
    ...(signal === undefined ? {} : { signal }),
  });
}

function gateNotes(report: PublishGateReport | null): PlanText[] {
  if (report === null) return [planText('dkimDnsCheckSkipped')];
  return report.selectors
    .filter((s) => s.visible !== 'yes')
    .map((s) =>
      planText('dkimNotVisible', { name: s.name }),
    );
}

/** Reads the server (one round trip, nothing written) and returns the reviewable DKIM plan, with the DNS check's notes. */
export async function planChanges(session: RemoteSession, settings: ChangeSettings, options: ChangeOptions & { dns?: DnsCheckOptions } = {}): Promise<PlanOutcome> {
  const [outcome, gate] = await Promise.all([planRequest(session, dkimRequest(settings), options), publishGate(settings, options.dns ?? {}, options.signal)]);
  if (!outcome.plan.changed) return outcome;
  return { ...outcome, plan: { ...outcome.plan, notes: [...gateNotes(gate), ...outcome.plan.notes] } };
}

/**
 * Applies the DKIM settings as one transaction (see applyRequest), but only once every key's
 * DKIM record is visible at the zone's servers: before that, signing with the key gives every
 * message a signature receivers cannot check. Refuses before touching the server (exit 1).
 */
export async function applyChanges(session: RemoteSession, settings: ChangeSettings, options: ApplyOptions & { dns?: DnsCheckOptions } = {}): Promise<ApplyResult> {
  const gate = await publishGate(settings, options.dns ?? {}, options.signal);
  if (gate !== null && !gate.allVisible) {
    throw keyedError('checks-failed', { key: 'notVisibleYet', params: {} }, {
      notes: notVisibleSentences(gate),
      hint: { key: 'publishThenApply', params: {} },
      details: { notVisible: gate.selectors.filter((s) => s.visible !== 'yes').map((s) => s.selector).join(',') },
    });
  }
  return applyRequest(session, dkimRequest(settings), options);
}
