import { z } from 'zod';
import type { ReportsResult } from '../reports.js';
import { normalizeDomain } from '../validation/domain.js';
import { parseEmailAddress } from '../validation/email.js';
import { call } from './define.js';

export type ReportsProgress = { kind: 'phase'; phase: 'mailbox' | 'messages' | 'parse' | 'names'; done: number; total: number };

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const reportAddressField = z.string().transform((value, ctx) => {
  const result = parseEmailAddress(value);
  if (result.ok) return result.value.address.toLowerCase();
  ctx.addIssue({ code: 'custom', message: result.problem.text });
  return z.NEVER;
});

export const reportDomainField = z.string().transform((value, ctx) => {
  const result = normalizeDomain(value);
  if (result.ok) return result.value;
  ctx.addIssue({ code: 'custom', message: result.problem.text });
  return z.NEVER;
});

export const reportDaysField = z.number().int().min(1).max(366);

export const reportsCalls = {
  readDmarcReports: call<ReportsResult, ReportsProgress>()({
    input: z
      .object({
        sessionId,
        /** The report address; default: the rua of the domain's DMARC record. */
        address: reportAddressField.optional(),
        /** The mail domain; default: Postfix's mydomain. */
        domain: reportDomainField.optional(),
        /** Days of reports to sum and judge the next DMARC step on. */
        days: reportDaysField.default(14),
      })
      .strict(),
    description: 'Reads the DMARC aggregate reports in the report mailbox over SSH and sums them per reporter, source and day.',
  }),
};
