import { z } from 'zod';
import type { InboundReport } from '../inbound.js';
import type { ApplyProgress, ApplyResult, Plan } from '../plan.js';
import { parseAllowEntry } from '../validation/allowEntry.js';
import { addProblem } from '../validation/zodIssue.js';
import { call } from './define.js';
import { lineText } from './fields.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** Allowlist entries: each checked here against its table's grammar (the same check the CLI and the table writer use). */
const allowEntry = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('name'), value: z.string().min(1).max(253), comment: lineText(200).optional() }).strict(),
    z.object({ kind: z.literal('regexp'), value: z.string().min(3).max(500), comment: lineText(200).optional() }).strict(),
    z.object({ kind: z.literal('address'), value: z.string().min(2).max(64), comment: lineText(200).optional() }).strict(),
  ])
  .superRefine((entry, ctx) => {
    const parsed = parseAllowEntry(entry);
    if (!parsed.ok) addProblem(ctx, parsed.problem, ['value']);
  });

const inboundChange = z
  .object({
    sessionId,
    /** Remove every list the probes find dead. */
    removeDead: z.boolean().default(false),
    hostnameRule: z.enum(['keep', 'reverse', 'strict']).default('keep'),
    allow: z.array(allowEntry).max(200).default([]),
    /** The mail domain, for the plan's title. */
    domain: lineText(253).pipe(z.string().min(1)),
  })
  .strict();

export interface InboundPlanResult {
  inbound: InboundReport;
  plan: Plan;
}

export interface InboundApplyResult {
  inbound: InboundReport;
  result: ApplyResult;
}

export const inboundCalls = {
  checkInbound: call<InboundReport>()({
    input: z.object({ sessionId }).strict(),
    description: 'Tests the DNS blocklists in use through the server\'s resolver and explains the client host-name rules (changes nothing).',
  }),
  planInbound: call<InboundPlanResult>()({
    input: inboundChange,
    description: 'The inbound rule changes (dead lists removed, host-name rule with its allowlist) as diffs; changes nothing.',
  }),
  applyInbound: call<InboundApplyResult, ApplyProgress>()({
    input: inboundChange,
    description: 'Applies the inbound rule changes as one transaction (backup, postfix check, reload; restored on failure). Undo with rollbackChanges.',
  }),
};
