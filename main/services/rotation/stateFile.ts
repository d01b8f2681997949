import { z } from 'zod';
import { keyedError } from '../../../shared/errors.js';
import { ROTATION_STATE } from '../../server/platform/paths.js';
import { ROTATION_STEPS, type RotationFile, type RotationState } from '../../../shared/rotation.js';

/**
 * The rotation file on the server (ROTATION_STATE, root 0600): every domain's rotation as
 * JSON. Read from the gathered text and checked, since anyone with root may have edited it.
 */

const SELECTOR = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const date = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)));
const key = z.object({
  selector: z.string().regex(SELECTOR),
  type: z.enum(['rsa', 'ed25519']),
  bits: z.number().int().positive().nullable(),
  keyPath: z.string().startsWith('/').max(4096).refine((p) => !/[\s\0]/.test(p)),
  fingerprint: z.string().max(100),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(4096),
});
const step = z.enum(ROTATION_STEPS);
const state = z.object({
  version: z.literal(1),
  domain: z.string().max(253),
  emergency: z.boolean(),
  done: step,
  old: key,
  new: key,
  overlapDays: z.number().int().min(0).max(365),
  minimumOverlapDays: z.number().int().min(0).max(365),
  dates: z.partialRecord(step, date),
  backups: z.partialRecord(step, z.string().regex(/^[0-9A-Za-z-]{1,64}$/)),
});
const file = z.object({ version: z.literal(1), rotations: z.record(z.string(), state) });

export function parseRotationFile(text: string): RotationFile {
  if (text.trim() === '') return { version: 1, rotations: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw keyedError('checks-failed', { key: 'rotationStateNotJson', params: {} }, { hint: { key: 'rotationStateFile', params: { file: ROTATION_STATE } } });
  }
  const parsed = file.safeParse(json);
  if (!parsed.success) {
    throw keyedError('checks-failed', { key: 'rotationStateForeign', params: { detail: parsed.error.issues[0]?.message ?? '-' } }, {
      hint: { key: 'rotationStateFile', params: { file: ROTATION_STATE } },
    });
  }
  return parsed.data as RotationFile;
}

export function rotationFileText(content: RotationFile): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** The file with one domain's rotation set (or removed with null). */
export function withRotation(content: RotationFile, domain: string, rotation: RotationState | null): RotationFile {
  const rotations = Object.fromEntries(Object.entries(content.rotations).filter(([d]) => d !== domain));
  return { version: 1, rotations: rotation === null ? rotations : { ...rotations, [domain]: rotation } };
}
