import { z } from 'zod';
import type { ApplyProgress, ApplyResult, Plan } from '../plan.js';
import { call } from './define.js';
import { lineText } from './fields.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/**
 * Outbound TLS at least `may`, and optionally smtpd's certificate from Let's Encrypt: the
 * certificate's name under /etc/letsencrypt/live (the outbound finding's letsEncrypt.name),
 * checked again by the service, which refuses anything outside that directory.
 */
const tlsChange = z
  .object({
    sessionId,
    letsEncrypt: lineText(253).pipe(z.string().min(1)).nullable(),
    /** The mail domain, for the plan's title. */
    domain: lineText(253).pipe(z.string().min(1)),
  })
  .strict();

export interface TlsApplyResult {
  result: ApplyResult;
}

export const tlsCalls = {
  planTls: call<Plan>()({
    input: tlsChange,
    description: "Outbound TLS at least may and, when chosen, smtpd's Let's Encrypt certificate, as diffs; changes nothing.",
  }),
  applyTls: call<TlsApplyResult, ApplyProgress>()({
    input: tlsChange,
    description: 'Applies the TLS change as one transaction (the key must belong to the certificate before Postfix reloads). Undo with rollbackChanges.',
  }),
};
