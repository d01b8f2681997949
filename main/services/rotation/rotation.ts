/**
 * DKIM key rotation as a guided, resumable procedure (shared/rotation.ts has the steps):
 * Prepare → Publish → Switch → Overlap → Revoke → Remove. The state lives on the server
 * (ROTATION_STATE, written by the change engine in the same transaction as each step's
 * change), so any computer can continue. Each step is idempotent: asked again once done, it
 * changes nothing. Each can be undone until Remove.
 */
import { badInput, keyedError } from '../../../shared/errors.js';
import { keyedText, planText } from '../../../shared/i18n/english.js';
import type { KeyedText, TextParams } from '../../../shared/i18n/keyedText.js';
import type { PublishGateReport } from '../../../shared/contract/records.js';
import type { ApplyProgress, Plan } from '../../../shared/plan.js';
import { buildDkimRecord } from '../../../shared/records/dkim.js';
import type { DkimKeyType } from '../../../shared/records/types.js';
import {
  ROTATION_STEPS,
  defaultOverlapDays,
  earliestNextStep,
  minimumOverlapDays,
  nextRotationStep,
  revocationValue,
  rotationStatus,
  keyAge,
  type RotationFile,
  type RotationOutcome,
  type RotationKey,
  type RotationState,
  type RotationStatus,
  type RotationStep,
} from '../../../shared/rotation.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow, problem } from '../../../shared/validation/problem.js';
import { normalizeSelector, suggestSelector } from '../../../shared/validation/selector.js';
import { emptyChangeSet, applyRequest, newBackupId, planRequest, type ChangeSet, type ServerState } from '../../server/engine/index.js';
import { keyPath } from '../../server/platform/paths.js';
import { generateDkimKey, parseDkimPrivateKeyPem, publicKeyFingerprint } from '../keys/index.js';
import { readRootFile } from '../ssh/files.js';
import type { RemoteSession } from '../ssh/types.js';
import type { DnsServer } from '../verify/dnsClient.js';
import { checkDkimPublished, notVisibleSentences } from '../verify/publishGate.js';
import {
  cancelChanges,
  currentSigningKeys,
  prepareChanges,
  queueLifetimeSeconds,
  removeChanges,
  rotationFileOf,
  rotationPaths,
  signingChanges,
  stateOnlyChanges,
  takenSelectors,
} from './changes.js';
import { withRotation } from './stateFile.js';

/** The longest TTL Homemail assumes for the old record (its TTL is not read: Node's TXT lookups do not return it). */
export const ASSUMED_RECORD_TTL_SECONDS = 86_400;

export type { RotationOutcome };

export interface RotationContext {
  now?: () => Date;
  /** Where the publish gate and the revocation check look (default: the zone's authoritative servers). */
  dns?: { resolvers?: readonly string[]; publicServers?: readonly DnsServer[] };
  signal?: AbortSignal;
  progress?: (event: ApplyProgress) => void;
  /** Called with each status read or written (the local watch store's mirror). */
  mirror?: (host: string, status: RotationStatus) => void;
}

export interface StartOptions {
  domain: string;
  /** The new selector; default a dated one (YYYYMM). */
  selector?: string;
  /** Which signing key is rotated when the domain has several RSA ones. */
  oldSelector?: string;
  emergency?: boolean;
  /** Shorter than the minimum only when asked for explicitly (shown in status). */
  overlapDays?: number;
  type?: DkimKeyType;
  bits?: number;
}

const nowOf = (context: RotationContext) => (context.now ?? (() => new Date()))();

function recordValue(domain: string): (key: RotationKey) => string {
  return (key) => buildDkimRecord({ domain, selector: key.selector, keyType: key.type, publicKey: key.publicKey, ttl: 3600 }).value;
}

/** The status, with the signing key's age when the server was read (its key file's modification time). */
function statusOf(domain: string, rotation: RotationState | null, now: Date, server?: ServerState): RotationStatus {
  const status = rotationStatus(domain, rotation, now, recordValue(domain));
  if (server === undefined) return status;
  const signing = currentSigningKeys(server, domain).find((k) => k.type === 'rsa');
  const mtime = signing === undefined ? 0 : (server.files.get(signing.keyPath)?.mtime ?? 0);
  return signing === undefined || mtime === 0 ? status : { ...status, key: keyAge(signing.selector, new Date(mtime * 1000)) };
}

async function readServer(session: RemoteSession, domain: string, keys: readonly RotationKey[], signal?: AbortSignal): Promise<ServerState> {
  const empty = emptyChangeSet();
  const outcome = await planRequest(session, { paths: rotationPaths(keys), domain, compute: () => empty }, signal ? { signal } : {});
  return outcome.state;
}

function checkDomain(domain: string): string {
  return orThrow('domain', normalizeDomain(domain));
}

/** Applies one step's change set with the rotation file it carries; the backup id is chosen first so the state can name it. */
async function applyStep(
  session: RemoteSession,
  domain: string,
  keys: readonly RotationKey[],
  compute: (state: ServerState, backupId: string) => ChangeSet,
  context: RotationContext,
): Promise<{ changed: boolean; backupId: string | null }> {
  const backupId = newBackupId(nowOf(context));
  const result = await applyRequest(
    session,
    { paths: rotationPaths(keys), domain, compute: (state) => compute(state, backupId) },
    { backupId, ...(context.signal ? { signal: context.signal } : {}), ...(context.progress ? { progress: context.progress } : {}), ...(context.now ? { now: context.now } : {}) },
  );
  return { changed: result.changed, backupId: result.backupId };
}

function mirrored(session: RemoteSession, status: RotationStatus, context: RotationContext): RotationStatus {
  context.mirror?.(session.target.host, status);
  return status;
}

/** Where the rotation of `domain` stands, read from the server. One round trip. */
export async function readRotationStatus(session: RemoteSession, domainInput: string, context: RotationContext = {}): Promise<RotationStatus> {
  const domain = checkDomain(domainInput);
  const state = await readServer(session, domain, [], context.signal);
  const rotation = rotationFileOf(state).rotations[domain] ?? null;
  return mirrored(session, statusOf(domain, rotation, nowOf(context), state), context);
}

function inProgress(rotation: RotationState | undefined): rotation is RotationState {
  return rotation !== undefined && rotation.done !== 'remove';
}

/**
 * Prepare: a new key (dated selector, the old key's type, RSA at least 2048 bits) written to
 * the server beside the old one, not used yet; the state records both keys' public halves.
 * Run again while a rotation is in progress, it changes nothing and shows that rotation.
 */
export async function startRotation(session: RemoteSession, options: StartOptions, context: RotationContext = {}): Promise<RotationOutcome> {
  const domain = checkDomain(options.domain);
  const selector = options.selector === undefined ? undefined : orThrow('selector', normalizeSelector(options.selector));
  if (options.overlapDays !== undefined && (!Number.isInteger(options.overlapDays) || options.overlapDays < 0 || options.overlapDays > 365)) {
    throw badInput('overlap-days', problem('overlapDays', { value: String(options.overlapDays) }));
  }
  const now = nowOf(context);
  const server = await readServer(session, domain, [], context.signal);
  const file = rotationFileOf(server);
  const existing = file.rotations[domain];
  if (inProgress(existing)) {
    if (selector !== undefined && selector !== existing.new.selector) {
      throw badInput('selector', problem('rotationInProgress', { domain, selector: existing.new.selector }), { key: 'rotationContinueOrUndo', params: { field: 'rotate-continue' } });
    }
    const status = mirrored(session, statusOf(domain, existing, now), context);
    return { changed: false, steps: [], backupId: null, status, ...said([rotationNote('alreadyInProgress', { selector: existing.new.selector })]) };
  }
  const signing = currentSigningKeys(server, domain);
  if (signing.length === 0) {
    throw keyedError('checks-failed', { key: 'rotationNoSigningKey', params: { domain } }, { hint: { key: 'setUpSigningFirst', params: { field: 'apply' } } });
  }
  const candidates = signing.filter((k) => (options.oldSelector === undefined ? k.type === 'rsa' : k.selector === options.oldSelector));
  if (candidates.length !== 1) {
    const why =
      candidates.length > 0
        ? problem('severalRsaKeys', { domain, selectors: candidates.map((k) => k.selector).join(', ') })
        : options.oldSelector === undefined
          ? problem('noRsaSigningKey', { domain })
          : problem('noSuchOldKey', { domain, selector: options.oldSelector });
    throw badInput('old-selector', why, { key: 'nameOldSelector', params: { field: 'old-selector', selectors: signing.map((k) => k.selector).join(', ') } });
  }
  const oldKeyInfo = candidates[0] as (typeof candidates)[number];
  // The old key's public half (type, size, fingerprint): its private key is read into this process only, never kept.
  const oldFile = await readRootFile(session, oldKeyInfo.keyPath, context.signal ? { signal: context.signal } : {});
  if (oldFile.content === null) throw keyedError('checks-failed', { key: 'rotationOldKeyMissing', params: { path: oldKeyInfo.keyPath, selector: oldKeyInfo.selector } });
  const oldKey = parseDkimPrivateKeyPem(oldKeyInfo.selector, domain, oldFile.content.toString('utf8'), oldKeyInfo.keyPath);
  const type = options.type ?? oldKey.type;
  const bits = type === 'rsa' ? (options.bits ?? Math.max(oldKey.bits ?? 2048, 2048)) : undefined;
  const taken = takenSelectors(server);
  const newSelector = selector ?? suggestSelector(now, [...taken]);
  if (taken.has(newSelector) || newSelector === oldKey.selector) throw badInput('selector', problem('selectorTaken', { selector: newSelector }), { key: 'chooseAnotherSelector', params: { field: 'selector' } });
  const fresh = await generateDkimKey({ domain, selector: newSelector, type, ...(bits === undefined ? {} : { bits }), ...(context.signal ? { signal: context.signal } : {}) });
  const minimum = minimumOverlapDays(ASSUMED_RECORD_TTL_SECONDS, queueLifetimeSeconds(server));
  const emergency = options.emergency === true;
  const keyOf = (k: { selector: string; type: DkimKeyType; bits?: number; publicKeyBase64: string }, path: string): RotationKey => ({
    selector: k.selector,
    type: k.type,
    bits: k.bits ?? null,
    keyPath: path,
    fingerprint: publicKeyFingerprint(k.publicKeyBase64),
    publicKey: k.publicKeyBase64,
  });
  const rotation: RotationState = {
    version: 1,
    domain,
    emergency,
    done: 'prepare',
    old: keyOf(oldKey, oldKeyInfo.keyPath),
    new: keyOf(fresh, keyPath(newSelector)),
    overlapDays: options.overlapDays ?? (emergency ? 0 : defaultOverlapDays(minimum)),
    minimumOverlapDays: minimum,
    dates: { prepare: now.toISOString() },
    backups: {},
  };
  const { changed, backupId } = await applyStep(
    session,
    domain,
    [rotation.new],
    (state, id) => {
      const content = withRotation(rotationFileOf(state), domain, { ...rotation, backups: { prepare: id } });
      return prepareChanges(state, { selector: newSelector, keyPath: rotation.new.keyPath, privateKeyPem: fresh.privateKeyPem }, content);
    },
    context,
  );
  const saved = { ...rotation, backups: backupId === null ? {} : { prepare: backupId } };
  const status = mirrored(session, statusOf(domain, saved, now), context);
  const notes = [rotationNote('publishThenContinue', { name: status.record?.name ?? '', value: status.record?.value ?? '', field: 'rotate-continue' })];
  if (emergency) notes.push(rotationNote('emergency'));
  return { changed, steps: ['prepare'], backupId, status, ...said(notes) };
}

function requireRotation(file: RotationFile, domain: string): RotationState {
  const rotation = file.rotations[domain];
  if (rotation === undefined) {
    throw keyedError('not-found', { key: 'rotationNotStarted', params: { domain } }, { details: { field: 'domain' }, hint: { key: 'rotationStartOne', params: { field: 'rotate-start' } } });
  }
  return rotation;
}

async function gate(domain: string, selector: string, publicKey: string, context: RotationContext): Promise<PublishGateReport> {
  return checkDkimPublished({
    domain,
    keys: [{ selector, publicKey }],
    ...(context.dns?.resolvers === undefined ? {} : { resolvers: context.dns.resolvers }),
    ...(context.dns?.publicServers === undefined ? {} : { publicServers: context.dns.publicServers }),
    ...(context.signal ? { signal: context.signal } : {}),
  });
}

const STATE_WHY = planText('rotationState');

/** The change set of doing `step` of `rotation`, leaving `saved` as the state on the server. */
function stepChanges(state: ServerState, rotation: RotationState, saved: RotationState, step: RotationStep, reportTo: string): ChangeSet {
  const content = withRotation(rotationFileOf(state), rotation.domain, saved);
  if (step === 'switch') return signingChanges(state, rotation.domain, rotation.new, rotation.old, reportTo, content);
  if (step === 'remove') return removeChanges(state, rotation.domain, rotation.old, rotation.new, reportTo, content);
  return stateOnlyChanges(state, content, STATE_WHY);
}

/** The plan of the next step (the diff before Switch, the file Remove deletes), changing nothing; null with no next step. */
export async function previewRotation(session: RemoteSession, domainInput: string, context: RotationContext = {}): Promise<Plan | null> {
  const domain = checkDomain(domainInput);
  const now = nowOf(context);
  const first = await readServer(session, domain, [], context.signal);
  const rotation = requireRotation(rotationFileOf(first), domain);
  const next = nextRotationStep(rotation);
  if (next === null) return null;
  const after: RotationState = { ...rotation, done: next, dates: { ...rotation.dates, [next]: now.toISOString() } };
  const outcome = await planRequest(
    session,
    { paths: rotationPaths([rotation.old, rotation.new]), domain, compute: (state) => stepChanges(state, rotation, after, next, session.target.user) },
    context.signal ? { signal: context.signal } : {},
  );
  return outcome.plan;
}

export interface ContinueOptions {
  domain: string;
  /** Do exactly this step (already done: nothing changes); default the next one. */
  step?: RotationStep;
}

/**
 * Does the next step (or the one asked for). Refuses (exit 1, nothing changed) while its
 * condition is not met: the new record not visible (Publish, Switch), the overlap not over,
 * the old record not revoked yet. An emergency rotation goes on from Publish to Overlap in one run.
 */
export async function continueRotation(session: RemoteSession, options: ContinueOptions, context: RotationContext = {}): Promise<RotationOutcome> {
  const domain = checkDomain(options.domain);
  const steps: RotationStep[] = [];
  let backupId: string | null = null;
  let changed = false;
  const notes: KeyedText[] = [];
  for (;;) {
    const now = nowOf(context);
    const first = await readServer(session, domain, [], context.signal);
    const rotation = requireRotation(rotationFileOf(first), domain);
    const next = nextRotationStep(rotation);
    const asked = options.step ?? next;
    if (asked === null || ROTATION_STEPS.indexOf(asked) <= ROTATION_STEPS.indexOf(rotation.done)) {
      if (steps.length === 0) notes.push(asked === null ? rotationNote('finishedNothingToDo') : rotationNote('stepAlreadyDone', { step: asked }));
      return { changed, steps, backupId, status: mirrored(session, statusOf(domain, rotation, now), context), ...said(notes) };
    }
    if (asked !== next && next !== null) throw badInput('step', problem('stepLater', { step: asked, next }));
    const earliest = earliestNextStep(rotation, now);
    if (earliest !== null && earliest.getTime() > now.getTime()) {
      throw keyedError('checks-failed', { key: 'rotationOverlapLasts', params: { earliest: earliest.toISOString() } }, {
        details: { earliest: earliest.toISOString() },
        hint: { key: 'rotationContinueAfter', params: { field: 'rotate-continue' } },
      });
    }
    const after: RotationState = { ...rotation, done: asked, dates: { ...rotation.dates, [asked]: now.toISOString() } };
    const reportTo = session.target.user === 'root' ? 'root' : session.target.user;
    if (asked === 'publish' || asked === 'switch') {
      const report = await gate(domain, rotation.new.selector, rotation.new.publicKey, context);
      if (!report.allVisible) {
        throw keyedError('checks-failed', { key: asked === 'switch' ? 'rotationNotSwitched' : 'rotationNotPublished', params: {} }, {
          notes: notVisibleSentences(report),
          hint: { key: 'rotationPublishNew', params: { name: `${rotation.new.selector}._domainkey.${domain}`, field: 'rotate-continue' } },
          details: { step: asked },
        });
      }
    }
    if (asked === 'revoke') {
      const report = await gate(domain, rotation.old.selector, '', context);
      if (!report.allVisible) {
        throw keyedError('checks-failed', { key: 'rotationNotRevoked', params: { name: `${rotation.old.selector}._domainkey.${domain}`, value: revocationValue(rotation.old.type) } }, {
          notes: notVisibleSentences(report),
          hint: { key: 'rotationRevokeOld', params: { value: revocationValue(rotation.old.type), field: 'rotate-continue' } },
          details: { step: asked },
        });
      }
    }
    const keys = [rotation.old, rotation.new];
    const result = await applyStep(
      session,
      domain,
      keys,
      (state, id) => {
        const current = requireRotation(rotationFileOf(state), domain);
        if (current.done !== rotation.done) throw keyedError('checks-failed', { key: 'rotationChangedMeanwhile', params: {} }, { hint: { key: 'rotationReadAgain', params: { field: 'rotate-status' } } });
        const saved: RotationState = asked === 'switch' || asked === 'remove' ? { ...after, backups: { ...after.backups, [asked]: id } } : after;
        return stepChanges(state, rotation, saved, asked, reportTo);
      },
      context,
    );
    changed ||= result.changed;
    if (result.backupId !== null) backupId = result.backupId;
    steps.push(asked);
    const emergencyGoesOn = rotation.emergency && options.step === undefined && (asked === 'publish' || asked === 'switch');
    if (!emergencyGoesOn) {
      const final = asked === 'switch' || asked === 'remove' ? { ...after, backups: { ...after.backups, ...(result.backupId === null ? {} : { [asked]: result.backupId }) } } : after;
      const status = mirrored(session, statusOf(domain, final, now), context);
      notes.push(...stepNotes(asked, status));
      return { changed, steps, backupId, status, ...said(notes) };
    }
  }
}

/** A note of a rotation run: `rotationNote.<key>` in the catalogs (a `field` param is a step the door names: a command or a button). */
function rotationNote(key: string, params: TextParams = {}): KeyedText {
  return keyedText('rotationNote', key, params);
}

/** The notes as codes (`keyedNotes`) and, for --json and logs, their English (`notes`). */
function said(notes: readonly KeyedText[]): Pick<RotationOutcome, 'notes' | 'keyedNotes'> {
  return { notes: notes.map((n) => n.text), keyedNotes: [...notes] };
}

function stepNotes(step: RotationStep, status: RotationStatus): KeyedText[] {
  const state = status.state as RotationState;
  switch (step) {
    case 'publish':
      return [rotationNote('publishVisible', { selector: state.new.selector, field: 'rotate-continue' })];
    case 'switch': {
      const keep = { selector: state.new.selector, name: `${state.old.selector}._domainkey.${state.domain}`, until: status.earliest ?? '', days: state.overlapDays };
      return [status.overlapShortened ? rotationNote('switchedShortOverlap', { ...keep, minimum: state.minimumOverlapDays }) : rotationNote('switched', keep)];
    }
    case 'overlap':
      return [rotationNote('overlapOver', { name: status.revokeRecord?.name ?? '', value: status.revokeRecord?.value ?? '', field: 'rotate-continue' })];
    case 'revoke':
      return [rotationNote('revoked', { field: 'rotate-continue' })];
    case 'remove':
      return [rotationNote('removed', { backupId: state.backups.remove ?? '', field: 'rollback' })];
    default:
      return [];
  }
}

/**
 * Undoes the last completed step: Prepare (the new key file goes, the rotation is
 * forgotten), Publish, Overlap, Revoke (state only), Switch (OpenDKIM signs with the old key
 * again). Remove cannot be undone here: the engine's rollback restores the old key file.
 */
export async function undoRotation(session: RemoteSession, options: { domain: string }, context: RotationContext = {}): Promise<RotationOutcome> {
  const domain = checkDomain(options.domain);
  const now = nowOf(context);
  const first = await readServer(session, domain, [], context.signal);
  const rotation = requireRotation(rotationFileOf(first), domain);
  const step = rotation.done;
  if (step === 'remove') {
    throw keyedError('checks-failed', { key: 'rotationFinished', params: { domain } }, {
      hint: rotation.backups.remove === undefined ? { key: 'rotationRestoreOld', params: { field: 'rollback' } } : { key: 'rotationRestoreBackup', params: { backupId: rotation.backups.remove, field: 'rollback' } },
    });
  }
  const previous = ROTATION_STEPS[ROTATION_STEPS.indexOf(step) - 1];
  const dates = { ...rotation.dates };
  delete dates[step];
  const backups = { ...rotation.backups };
  delete backups[step];
  const after: RotationState | null = previous === undefined ? null : { ...rotation, done: previous, dates, backups };
  const result = await applyStep(
    session,
    domain,
    [rotation.old, rotation.new],
    (state) => {
      const current = requireRotation(rotationFileOf(state), domain);
      if (current.done !== step) throw keyedError('checks-failed', { key: 'rotationChangedMeanwhile', params: {} }, { hint: { key: 'rotationReadAgain', params: { field: 'rotate-status' } } });
      const content = withRotation(rotationFileOf(state), domain, after);
      if (step === 'prepare') return cancelChanges(state, domain, rotation.new, content);
      if (step === 'switch') return signingChanges(state, domain, rotation.old, rotation.new, session.target.user, content);
      return stateOnlyChanges(state, content, STATE_WHY);
    },
    context,
  );
  const status = mirrored(session, statusOf(domain, after, now), context);
  const note =
    step === 'prepare'
      ? rotationNote('undonePrepare', { selector: rotation.new.selector })
      : step === 'switch'
        ? rotationNote('undoneSwitch', { selector: rotation.old.selector })
        : step === 'revoke'
          ? rotationNote('undoneRevoke', { name: `${rotation.old.selector}._domainkey.${domain}`, value: recordValue(domain)(rotation.old) })
          : rotationNote('undoneStep', { step });
  return { changed: result.changed, steps: [step], backupId: result.backupId, status, ...said([note]) };
}
