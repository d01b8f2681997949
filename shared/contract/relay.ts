import { z } from 'zod';
import type { ApplyProgress, ApplyResult, Plan } from '../plan.js';
import { checkRelayPassword, checkRelayUser, parseRelayTarget } from '../relay.js';
import { call } from './define.js';
import { lineText, secretLine } from './fields.js';
import { addProblem } from '../validation/zodIssue.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/**
 * Relaying through a smarthost. The password goes one way (wizard → main process → the
 * server's 0600 table on stdin): no result, plan or progress event carries it.
 */
const relayChange = z.discriminatedUnion('remove', [
  z
    .object({
      sessionId,
      remove: z.literal(false),
      /** `HOST[:PORT]`, 587 when no port is given; 465 means TLS from the first byte. */
      relay: lineText(300).superRefine((value, ctx) => {
        const parsed = parseRelayTarget(value);
        if (!parsed.ok) addProblem(ctx, parsed.problem);
      }),
      user: lineText(256).superRefine((value, ctx) => {
        const problem = checkRelayUser(value);
        if (problem !== null) addProblem(ctx, problem);
      }),
      password: secretLine(512).superRefine((value, ctx) => {
        const problem = checkRelayPassword(value);
        if (problem !== null) addProblem(ctx, problem);
      }),
      /** The mail domain, for the plan's title. */
      domain: lineText(253).pipe(z.string().min(1)),
    })
    .strict(),
  z.object({ sessionId, remove: z.literal(true), domain: lineText(253).pipe(z.string().min(1)) }).strict(),
]);

export interface RelayApplyResult {
  result: ApplyResult;
}

export const relayCalls = {
  planRelay: call<Plan>()({
    input: relayChange,
    description: 'The relay (smarthost) changes as diffs, the password file shown without content; changes nothing.',
  }),
  applyRelay: call<RelayApplyResult, ApplyProgress>()({
    input: relayChange,
    description: 'Applies the relay as one transaction; the health check proves Postfix logs in to the relay, else it is rolled back. Undo with rollbackChanges.',
  }),
};
