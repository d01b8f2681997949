import { badInput, keyedError } from '../../../shared/errors.js';
import type { ApplyResult, Plan } from '../../../shared/plan.js';
import { checkRelayPassword, checkRelayUser, type RelayTarget } from '../../../shared/relay.js';
import { parseEmailAddress } from '../../../shared/validation/email.js';
import { applyRequest, planRequest, type ApplyOptions } from '../../server/engine/index.js';
import type { RemoteSession } from '../ssh/types.js';
import { relayRequest, type RelaySettings } from './changes.js';

export type RelayOptions =
  | { remove: false; target: RelayTarget; user: string; password: string; probeRecipient?: string | undefined; domain: string }
  | { remove: true; domain: string };

export interface RelayOutcome {
  plan: Plan;
  apply: ApplyResult | null;
  roundTrips: number;
}


/**
 * The address the health check asks the relay about (nothing is sent): the one given, else
 * the login name when it is an address (the person's own mailbox at the service), else
 * postmaster at the relay's host, which RFC 5321 §4.5.1 requires every mail host to accept.
 */
export function probeRecipientFor(options: { user: string; target: RelayTarget; probeRecipient?: string | undefined }): string {
  const given = options.probeRecipient ?? (parseEmailAddress(options.user).ok ? options.user : `postmaster@${/^[0-9.]+$/.test(options.target.host) ? `[${options.target.host}]` : options.target.host}`);
  if (!/^[^\s<>"'\\@]+@[^\s<>"'\\@]+$/.test(given)) throw keyedError('bad-input', { key: 'probeRecipientInvalid', params: { address: given } }, { details: { field: 'probe-recipient' } });
  return given;
}

/** Refuses bad input before anything is read from the server; returns the engine's settings. */
export function relaySettingsOf(options: RelayOptions): RelaySettings {
  if (options.remove) return { kind: 'remove' };
  const user = checkRelayUser(options.user);
  if (user !== null) throw badInput('relay-user', user);
  const password = checkRelayPassword(options.password);
  if (password !== null) throw badInput('relay-password', password);
  return { kind: 'set', target: options.target, user: options.user, password: options.password, probeRecipient: probeRecipientFor(options) };
}

/** Plans (or applies) the relay through the change engine; undo with rollback or remove. */
export async function runRelay(session: RemoteSession, options: RelayOptions, apply: false | ApplyOptions): Promise<RelayOutcome> {
  const start = session.roundTrips;
  const request = relayRequest(options.domain, relaySettingsOf(options));
  if (apply === false) {
    const { plan } = await planRequest(session, request);
    return { plan, apply: null, roundTrips: session.roundTrips - start };
  }
  const result = await applyRequest(session, request, apply);
  return { plan: result.plan, apply: result, roundTrips: session.roundTrips - start };
}
