import { z } from 'zod';
import type { ApplyProgress, Plan } from '../plan.js';
import { ROTATION_STEPS, type RotationOutcome, type RotationStatus } from '../rotation.js';
import { normalizeDomain } from '../validation/domain.js';
import { normalizeSelector } from '../validation/selector.js';
import { call } from './define.js';
import { validatedText } from './fields.js';
import { resolverListField } from './records.js';

const sessionId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const domain = validatedText((value) => normalizeDomain(value), 253);
const where = { sessionId, domain };
/** Where the publish gate and the revocation check ask (default: the zone's authoritative servers). */
const resolvers = resolverListField;

export const rotationCalls = {
  rotationStatus: call<RotationStatus>()({
    input: z.object(where).strict(),
    description: 'Where the DKIM key rotation of a domain stands, read from the server (with the signing key\'s age); changes nothing.',
  }),
  startRotation: call<RotationOutcome, ApplyProgress>()({
    input: z
      .object({
        ...where,
        selector: validatedText((value) => normalizeSelector(value), 63).optional(),
        emergency: z.boolean().default(false),
        overlapDays: z.number().int().min(0).max(365).optional(),
      })
      .strict(),
    description: 'Prepare: a new key with a dated selector beside the old one, unused; the rotation\'s state on the server. Again while one is in progress: nothing changes.',
  }),
  previewRotation: call<Plan | null>()({
    input: z.object(where).strict(),
    description: 'The next step\'s changes as diffs (e.g. before Switch); changes nothing. null when the rotation is finished.',
  }),
  continueRotation: call<RotationOutcome, ApplyProgress>()({
    input: z.object({ ...where, step: z.enum(ROTATION_STEPS).optional(), resolvers }).strict(),
    description: 'Does the next step (or the one named; one already done changes nothing). Refused while its condition is not met: the new record visible, the overlap over, the old record revoked.',
  }),
  undoRotation: call<RotationOutcome, ApplyProgress>()({
    input: z.object(where).strict(),
    description: 'Undoes the last step of the rotation (not Remove: rollbackChanges restores the old key file).',
  }),
};
