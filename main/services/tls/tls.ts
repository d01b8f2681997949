import type { ApplyResult, Plan } from '../../../shared/plan.js';
import { applyRequest, planRequest, type ApplyOptions } from '../../server/engine/index.js';
import type { RemoteSession } from '../ssh/types.js';
import { checkLetsEncryptFiles, letsEncryptFilesOf, tlsRequest, type LetsEncryptFiles } from './changes.js';

export interface TlsOptions {
  domain: string;
  /** The certificate name under /etc/letsencrypt/live (the outbound finding's letsEncrypt.name), or its files. */
  letsEncrypt: string | LetsEncryptFiles | null;
}

export interface TlsOutcome {
  plan: Plan;
  apply: ApplyResult | null;
  roundTrips: number;
}

/** Plans (or applies) outbound TLS and the Let's Encrypt certificate; undo with rollback. */
export async function runTls(session: RemoteSession, options: TlsOptions, apply: false | ApplyOptions): Promise<TlsOutcome> {
  const start = session.roundTrips;
  const le = options.letsEncrypt;
  const letsEncrypt = le === null ? null : checkLetsEncryptFiles(typeof le === 'string' ? letsEncryptFilesOf(le) : le);
  const request = tlsRequest(options.domain, { letsEncrypt });
  if (apply === false) {
    const { plan } = await planRequest(session, request);
    return { plan, apply: null, roundTrips: session.roundTrips - start };
  }
  const result = await applyRequest(session, request, apply);
  return { plan: result.plan, apply: result, roundTrips: session.roundTrips - start };
}
