import { z } from 'zod';
import { problem } from '../validation/problem.js';
import { addProblem } from '../validation/zodIssue.js';
import type { ReportsResult } from '../reports.js';
import { normalizeDomain } from '../validation/domain.js';
import { parseEmailAddress } from '../validation/email.js';
import { call } from './define.js';

export type ReportsProgress =
  | { kind: 'phase'; phase: 'mailbox' | 'messages' | 'parse' | 'names'; done: number; total: number }
  /** While the mailbox streams in: characters received of the total the server announced, and messages parsed so far. */
  | { kind: 'read'; bytes: number; totalBytes: number | null; messagesParsed: number | null };

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const reportAddressField = z.string().transform((value, ctx) => {
  const result = parseEmailAddress(value);
  if (result.ok) return result.value.address.toLowerCase();
  addProblem(ctx, result.problem);
  return z.NEVER;
});

export const reportDomainField = z.string().transform((value, ctx) => {
  const result = normalizeDomain(value);
  if (result.ok) return result.value;
  addProblem(ctx, result.problem);
  return z.NEVER;
});

export const reportDaysField = z.number().int().min(1).max(3660);

/** YYYY-MM-DD, a real calendar day, not in the future. */
export const reportSinceField = z.string().transform((value, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : null;
  if (date === null || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    addProblem(ctx, problem('notDate', { value: value.slice(0, 40) }));
    return z.NEVER;
  }
  if (date.getTime() > Date.now()) {
    addProblem(ctx, problem('dateInFuture', { value }));
    return z.NEVER;
  }
  return value;
});

export const reportPeriodField = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('days'), days: reportDaysField }).strict(),
  z.object({ kind: z.literal('since'), date: reportSinceField }).strict(),
  z.object({ kind: z.literal('all') }).strict(),
]);

export const reportsCalls = {
  readDmarcReports: call<ReportsResult, ReportsProgress>()({
    input: z
      .object({
        sessionId,
        /** The report address; default: the rua of the domain's DMARC record. */
        address: reportAddressField.optional(),
        /** The mail domain; default: Postfix's mydomain. */
        domain: reportDomainField.optional(),
        /** Which reports to sum and judge the next DMARC step on: the last N days, since a date, or all. */
        period: reportPeriodField.default({ kind: 'days', days: 14 }),
      })
      .strict(),
    description: 'Reads the DMARC aggregate reports in the report mailbox over SSH and sums them per reporter, source and day.',
  }),
};
