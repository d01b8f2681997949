import type { AllowEntry, InboundReport } from '../../../shared/inbound.js';
import type { ApplyResult, Plan } from '../../../shared/plan.js';
import { applyRequest, planRequest, type ApplyOptions } from '../../server/engine/index.js';
import type { RemoteSession } from '../ssh/types.js';
import { checkInbound } from './checkInbound.js';
import { inboundRequest, type InboundChangeSettings } from './changes.js';

/** `--allow` text → an entry (the wizard's allowlist editor reads its lines the same way). */
export { allowEntryFrom } from '../../../shared/inbound.js';

export interface InboundOptions {
  /** Remove every list the probes found dead. */
  removeDead: boolean;
  hostnameRule: InboundChangeSettings['hostnameRule'];
  allow: readonly AllowEntry[];
  /** The mail domain, for the plan's title. */
  domain: string;
}

export interface InboundOutcome {
  report: InboundReport;
  settings: InboundChangeSettings;
  plan: Plan;
  apply: ApplyResult | null;
  roundTrips: number;
}

/** Check the lists and rules, then plan (or apply) the changes through the change engine. */
export async function runInbound(session: RemoteSession, options: InboundOptions, apply: false | ApplyOptions): Promise<InboundOutcome> {
  const start = session.roundTrips;
  const report = await checkInbound(session, apply === false ? undefined : apply.signal);
  const settings: InboundChangeSettings = {
    removeLists: options.removeDead ? report.blocklists.filter((b) => b.remove).map((b) => b.use.zone) : [],
    hostnameRule: options.hostnameRule,
    allow: options.allow,
  };
  const request = inboundRequest(options.domain, settings);
  if (apply === false) {
    const { plan } = await planRequest(session, request);
    return { report, settings, plan, apply: null, roundTrips: session.roundTrips - start };
  }
  const result = await applyRequest(session, request, apply);
  return { report, settings, plan: result.plan, apply: result, roundTrips: session.roundTrips - start };
}
