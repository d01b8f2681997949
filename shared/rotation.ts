/**
 * DKIM key rotation as data: the steps, the state kept on the server (no key material: the
 * private keys stay in their files), and the pure rules for the next step and its earliest
 * date. The service (main/services/rotation) carries the steps out; the CLI, the contract
 * and the wizard show this state.
 */
import type { DkimKeyType } from './records/types.js';
import type { KeyedText } from './i18n/keyedText.js';

/** Prepare → Publish → Switch → Overlap → Revoke → Remove; each one can be undone until Remove. */
export const ROTATION_STEPS = ['prepare', 'publish', 'switch', 'overlap', 'revoke', 'remove'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export function isRotationStep(value: string): value is RotationStep {
  return (ROTATION_STEPS as readonly string[]).includes(value);
}

/** One key of a rotation, as its public half and where its file is. */
export interface RotationKey {
  selector: string;
  type: DkimKeyType;
  /** RSA modulus size; null for Ed25519. */
  bits: number | null;
  /** The private key's file on the server (only its path is kept). */
  keyPath: string;
  /** `SHA256:…` of the public key bytes. */
  fingerprint: string;
  /** The `p=` value (public): shows the record and checks DNS from any computer. */
  publicKey: string;
}

/** The state of one domain's rotation, kept on the server (root-only) and mirrored locally. */
export interface RotationState {
  version: 1;
  domain: string;
  /** A leaked key: switch as soon as the new record is visible, revoke at once (no overlap). */
  emergency: boolean;
  /** The last completed step. */
  done: RotationStep;
  old: RotationKey;
  new: RotationKey;
  /** How long the old record stays published after Switch. */
  overlapDays: number;
  /** At least the old record's TTL plus the longest delivery delay (the server's queue lifetime), in whole days. */
  minimumOverlapDays: number;
  /** When each step completed (ISO 8601). */
  dates: Partial<Record<RotationStep, string>>;
  /** The change engine's backup id of each step that changed the server (Remove's restores the old key file). */
  backups: Partial<Record<RotationStep, string>>;
}

/** The file on the server: every domain's rotation. */
export interface RotationFile {
  version: 1;
  rotations: Record<string, RotationState>;
}

export interface RotationRecord {
  name: string;
  type: 'TXT';
  value: string;
}

/** What status shows: where the rotation stands and what comes next, and when. */
export interface RotationStatus {
  domain: string;
  /** null: no rotation was ever started for the domain on this server. */
  state: RotationState | null;
  /** The step to do next (null: none in progress or finished). */
  next: RotationStep | null;
  /** The earliest time the next step can be done (ISO 8601), null with no next step. */
  earliest: string | null;
  finished: boolean;
  /** The new key's record to publish. */
  record: RotationRecord | null;
  /** The old selector's revocation record (RFC 6376 §3.6.1: empty p=), to publish at Revoke. */
  revokeRecord: RotationRecord | null;
  /** The overlap was set shorter than the minimum (an explicit --overlap-days, or an emergency). */
  overlapShortened: boolean;
  /** The key that signs now, its age and when to rotate it next (null when no key signs or the server was not read). */
  key: SigningKeyAge | null;
}

/** M3AAWG's DKIM key rotation practice: rotate at least every six months. */
export const ROTATE_AFTER_MONTHS = 6;

export interface SigningKeyAge {
  selector: string;
  /** When the key file was last written on the server (ISO 8601). */
  since: string;
  /** since + ROTATE_AFTER_MONTHS. */
  suggestedRotation: string;
}

export function keyAge(selector: string, since: Date): SigningKeyAge {
  const next = new Date(since.getTime());
  next.setUTCMonth(next.getUTCMonth() + ROTATE_AFTER_MONTHS);
  return { selector, since: since.toISOString(), suggestedRotation: next.toISOString() };
}

/** What a step run (start, continue, undo) did. */
export interface RotationOutcome {
  /** Whether the server changed (false: the step was already done). */
  changed: boolean;
  /** The steps this run completed or undid, in order. */
  steps: RotationStep[];
  backupId: string | null;
  status: RotationStatus;
  /** What the person should know now, in English (for --json and logs). */
  notes: string[];
  /** The same notes as codes (`rotationNote.<key>`), which the CLI says in the person's language; the wizard shows the status instead. */
  keyedNotes: KeyedText[];
}

export const DEFAULT_OVERLAP_DAYS = 7;
const DAY_MS = 86_400_000;

export function nextRotationStep(state: RotationState): RotationStep | null {
  const at = ROTATION_STEPS.indexOf(state.done);
  return ROTATION_STEPS[at + 1] ?? null;
}

/** When the next step may be done: the overlap ends `overlapDays` after Switch; other steps at once. */
export function earliestNextStep(state: RotationState, now: Date): Date | null {
  const next = nextRotationStep(state);
  if (next === null) return null;
  if (next === 'overlap') {
    const switched = Date.parse(state.dates.switch ?? '');
    return new Date((Number.isNaN(switched) ? now.getTime() : switched) + state.overlapDays * DAY_MS);
  }
  return now;
}

/** The overlap Homemail chooses: the default or, when longer, the minimum. */
export function defaultOverlapDays(minimumDays: number): number {
  return Math.max(DEFAULT_OVERLAP_DAYS, minimumDays);
}

/** Whole days covering the old record's TTL plus the delivery delay (both in seconds). */
export function minimumOverlapDays(ttlSeconds: number, deliveryDelaySeconds: number): number {
  return Math.ceil((ttlSeconds + deliveryDelaySeconds) / 86_400);
}

/** The old selector's record once revoked: same key type, empty p= (RFC 6376 §3.6.1). */
export function revocationValue(type: DkimKeyType): string {
  return `v=DKIM1; k=${type}; p=`;
}

export function rotationStatus(domain: string, state: RotationState | null, now: Date, newRecordValue: (key: RotationKey) => string): RotationStatus {
  if (state === null) return { domain, state: null, next: null, earliest: null, finished: false, record: null, revokeRecord: null, overlapShortened: false, key: null };
  const next = nextRotationStep(state);
  const earliest = earliestNextStep(state, now);
  return {
    domain,
    state,
    next,
    earliest: earliest === null ? null : earliest.toISOString(),
    finished: next === null,
    record: { name: `${state.new.selector}._domainkey.${domain}`, type: 'TXT', value: newRecordValue(state.new) },
    revokeRecord: { name: `${state.old.selector}._domainkey.${domain}`, type: 'TXT', value: revocationValue(state.old.type) },
    overlapShortened: state.overlapDays < state.minimumOverlapDays,
    key: null,
  };
}
