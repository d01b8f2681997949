import type { ApplyResult } from '../../../shared/plan.js';
import { applyRequest, planRequest, type ApplyOptions, type ChangeOptions, type ChangeRequest, type PlanOutcome } from '../../server/engine/index.js';
import type { RemoteSession } from '../ssh/types.js';
import { computeChanges, gatherPaths, type ChangeSettings } from './desired.js';

/** The DKIM feature's change request: its settings, read against what the server has. */
export function dkimRequest(settings: ChangeSettings): ChangeRequest {
  return { paths: gatherPaths(settings), domain: settings.domain, compute: (state) => computeChanges(state, settings) };
}

/** Reads the server (one round trip, nothing written) and returns the reviewable DKIM plan. */
export async function planChanges(session: RemoteSession, settings: ChangeSettings, options: ChangeOptions = {}): Promise<PlanOutcome> {
  return planRequest(session, dkimRequest(settings), options);
}

/**
 * Applies the DKIM settings as one transaction (see applyRequest). Checks that must pass
 * before the server starts signing (e.g. that DNS already publishes the keys) belong here,
 * before applyRequest, and in planChanges for the plan's notes.
 */
export async function applyChanges(session: RemoteSession, settings: ChangeSettings, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyRequest(session, dkimRequest(settings), options);
}
