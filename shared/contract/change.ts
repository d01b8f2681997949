import { z } from 'zod';
import type { ApplyProgress, ApplyResult, Plan, RollbackResult } from '../plan.js';
import { parseReportAddress } from '../validation/email.js';
import { call } from './define.js';
import { lineText, validatedText } from './fields.js';
import { resolverListField } from './records.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

const reportAddress = validatedText((value) => parseReportAddress(value), 320).transform((address) => address.address);

const changeInput = {
  sessionId,
  domain: lineText(253).pipe(z.string().min(1)),
  /** Keys from the wizard's key store (generateDkimKey): the private halves stay in main. */
  keyIds: z.array(z.string().uuid()).min(1).max(4),
  /** DMARC report addresses (`mailto:` optional), normalised; local parts an alias can carry. */
  rua: z.array(reportAddress).max(4).default([]),
  ruf: z.array(reportAddress).max(4).default([]),
  /** Local user for report mail; defaults to the SSH login user. */
  reportTo: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a local user name (lower-case letters, digits, _ and -)').optional(),
  /** Publish before sign: DNS servers to ask for the keys' records instead of the zone's own. */
  resolvers: resolverListField,
  /** Apply even while a key's DKIM record is not visible (the review step's explicit confirmation). */
  skipDnsCheck: z.boolean().default(false),
};

export const changeCalls = {
  planChanges: call<Plan>()({
    input: z.object(changeInput).strict(),
    description: 'The server changes as diffs and commands; reads the server once and changes nothing.',
  }),
  applyChanges: call<ApplyResult, ApplyProgress>()({
    input: z.object(changeInput).strict(),
    description: 'Applies the plan as one transaction with backup, validation, health check and automatic rollback.',
  }),
  rollbackChanges: call<RollbackResult>()({
    input: z.object({ sessionId, backupId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/).optional() }).strict(),
    description: 'Restores the configuration from a backup (the latest apply by default) and reloads.',
  }),
};
