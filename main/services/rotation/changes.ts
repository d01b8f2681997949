import { keyedError } from '../../../shared/errors.js';
import { planText } from '../../../shared/i18n/english.js';
import { ED25519_KEYTABLE_ALGORITHM } from '../../../shared/opendkimEd25519.js';
import type { PlanText } from '../../../shared/plan.js';
import type { DkimKeyType } from '../../../shared/records/types.js';
import type { RotationFile, RotationKey } from '../../../shared/rotation.js';
import { readMainCf } from '../../server/config/mainCf.js';
import { parseDataset, readOpendkimConf } from '../../server/config/opendkimConf.js';
import { readKeyTableEntries, readSigningKeys, removeKeyTableEntry } from '../../server/config/tables.js';
import { emptyChangeSet, desiredFile, fileText, removedFile, type ChangeSet, type DesiredFile, type ServerCommand, type ServerState } from '../../server/engine/index.js';
import { KEY_TABLE, MAIN_CF, OPENDKIM_CONF, ROTATION_STATE, SIGNING_TABLE, STATE_DIR } from '../../server/platform/paths.js';
import { serviceCommand } from '../../server/platform/serviceCommands.js';
import { computeChanges, gatherPaths, type ChangeKey } from '../dkim/desired.js';
import { parseRotationFile, rotationFileText } from './stateFile.js';

/**
 * The change sets of a rotation's steps, computed from what the gather read (pure). Every
 * step writes the rotation file in the same transaction as its server change, so the state
 * on the server never disagrees with what OpenDKIM does.
 */

/** A key that signs for the domain now, as OpenDKIM's tables (or single-key settings) say. */
export interface SigningKey {
  name: string;
  selector: string;
  keyPath: string;
  type: DkimKeyType;
}

/** What the gather must read for a rotation: the DKIM change's files, the rotation file, these keys. */
export function rotationPaths(keys: readonly Pick<ChangeKey, 'selector' | 'keyPath'>[] = []): string[] {
  return [...gatherPaths({ keys: keys.map((k) => ({ selector: k.selector, type: 'rsa', privateKeyPem: null, ...(k.keyPath === undefined ? {} : { keyPath: k.keyPath }) })) }), ROTATION_STATE, `dir:${STATE_DIR}`];
}

export function rotationFileOf(state: ServerState): RotationFile {
  return parseRotationFile(fileText(state, ROTATION_STATE));
}

function tablePaths(state: ServerState): { keyTable: string; signing: { path: string; refile: boolean } } {
  const conf = readOpendkimConf(fileText(state, OPENDKIM_CONF));
  const signing = parseDataset(conf.get('signingtable') ?? `refile:${SIGNING_TABLE}`);
  return { keyTable: parseDataset(conf.get('keytable') ?? KEY_TABLE).path, signing: { path: signing.path, refile: signing.type === 'refile' } };
}

/** The keys that sign mail of `domain` now: SigningTable → KeyTable, or the single-key Domain/KeyFile/Selector. */
export function currentSigningKeys(state: ServerState, domain: string): SigningKey[] {
  const conf = readOpendkimConf(fileText(state, OPENDKIM_CONF));
  if (conf.has('keytable') || conf.has('signingtable')) {
    const { keyTable, signing } = tablePaths(state);
    const entries = readKeyTableEntries(fileText(state, keyTable));
    return readSigningKeys(fileText(state, signing.path), domain, signing.refile).flatMap((name) => {
      const entry = entries.find((e) => e.name === name);
      if (entry === undefined || entry.domain.toLowerCase() !== domain) return [];
      return [{ name, selector: entry.selector, keyPath: entry.keyPath, type: entry.algorithm === ED25519_KEYTABLE_ALGORITHM ? 'ed25519' : 'rsa' }];
    });
  }
  const domains = (conf.get('domain') ?? '').split(/[\s,]+/).map((d) => d.toLowerCase());
  const selector = conf.get('selector');
  const keyFile = conf.get('keyfile');
  if (selector === undefined || keyFile === undefined || !domains.includes(domain)) return [];
  return [{ name: `${selector}._domainkey.${domain}`, selector, keyPath: keyFile, type: 'rsa' }];
}

/** Every selector the KeyTable names and every key file it uses (a new selector must clash with none). */
export function takenSelectors(state: ServerState): Set<string> {
  const { keyTable } = tablePaths(state);
  const taken = new Set(readKeyTableEntries(fileText(state, keyTable)).map((e) => e.selector));
  const single = readOpendkimConf(fileText(state, OPENDKIM_CONF)).get('selector');
  if (single !== undefined) taken.add(single);
  return taken;
}

/** Postfix's maximal_queue_lifetime in seconds (default 5d): how long mail signed before Switch may still be on its way. */
export function queueLifetimeSeconds(state: ServerState): number {
  const value = readMainCf(fileText(state, MAIN_CF)).get('maximal_queue_lifetime') ?? '5d';
  const m = /^(\d+)([smhdw]?)$/.exec(value.trim());
  if (m === null) return 5 * 86_400;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, '': 86_400 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w' | ''];
  return Number(m[1]) * unit;
}

/** Adds the rotation file's new content (root 0600 in a root-only directory) to a change set. */
export function withRotationFile(state: ServerState, changes: ChangeSet, content: RotationFile, why: PlanText): ChangeSet {
  const file = desiredFile(state, ROTATION_STATE, rotationFileText(content), why, { owner: 'root', group: 'root', mode: '0600' });
  const dirs = state.dirs.get(STATE_DIR)?.exists ? changes.dirs : [...changes.dirs, { path: STATE_DIR, owner: 'root', group: 'root', mode: '0700' }];
  const files = file === null ? changes.files : [...changes.files, file];
  return { ...changes, files, dirs, changed: changes.changed || file !== null || dirs.length > changes.dirs.length };
}

/** State only (Publish, Overlap, Revoke and their undo): nothing but the rotation file changes. */
export function stateOnlyChanges(state: ServerState, content: RotationFile, why: PlanText): ChangeSet {
  return withRotationFile(state, emptyChangeSet(), content, why);
}

/** Prepare: the new key's file beside the old one (not used for signing yet) and the state. */
export function prepareChanges(state: ServerState, key: { selector: string; keyPath: string; privateKeyPem: string }, content: RotationFile): ChangeSet {
  const before = state.files.get(key.keyPath);
  if (before?.exists) {
    throw keyedError('bad-input', { key: 'keyFileExistsOnServer', params: { path: key.keyPath } }, { details: { field: 'selector' }, hint: { key: 'chooseAnotherSelector', params: { field: 'selector' } } });
  }
  const platform = state.platform;
  const keyFile: DesiredFile = {
    path: key.keyPath,
    before,
    content: key.privateKeyPem,
    owner: platform.opendkim.user,
    group: platform.opendkim.group,
    mode: '0600',
    secret: true,
    expect: 'absent',
    why: planText('rotationNewKey', { selector: key.selector }),
  };
  return withRotationFile(state, { ...emptyChangeSet(), files: [keyFile], changed: true }, content, planText('rotationState'));
}

const onServer = (key: Pick<RotationKey, 'selector' | 'type' | 'keyPath'>): ChangeKey => ({ selector: key.selector, type: key.type, privateKeyPem: null, keyPath: key.keyPath });

/**
 * Switch (and its undo): OpenDKIM signs the domain's mail with `signWith` instead of the
 * other rotation key, through the DKIM change itself (KeyTable, SigningTable; a single-key
 * setup moves into the tables). Other keys of the domain (an Ed25519 one) keep signing.
 */
export function signingChanges(state: ServerState, domain: string, signWith: RotationKey, replaced: RotationKey, reportTo: string, content: RotationFile): ChangeSet {
  const others = currentSigningKeys(state, domain).filter((k) => k.selector !== replaced.selector && k.selector !== signWith.selector);
  const changes = computeChanges(state, { domain, keys: [onServer(signWith), ...others.map(onServer)], rua: [], ruf: [], reportTo });
  return withRotationFile(state, changes, content, planText('rotationState'));
}

/** The change set with `name` taken out of the KeyTable (checked with opendkim -n, then OpenDKIM reloads), when it is listed. */
function withoutKeyTableEntry(state: ServerState, changes: ChangeSet, name: string, why: PlanText): ChangeSet {
  const { keyTable } = tablePaths(state);
  const table = desiredFile(state, keyTable, removeKeyTableEntry(fileText(state, keyTable), name), why, { owner: 'root', group: 'root', mode: '0644' });
  if (table === null) return changes;
  const env = { systemd: state.systemd, initScripts: state.initScripts };
  const reload: ServerCommand = { label: 'reload opendkim', argv: serviceCommand(env, 'opendkim', 'reload'), words: planText('reloadService', { service: 'OpenDKIM' }) };
  return {
    ...changes,
    files: [...changes.files, table],
    validate: [...changes.validate, { label: 'opendkim -n', argv: ['opendkim', '-n', '-x', OPENDKIM_CONF], words: planText('validateOpendkim') }],
    services: [...changes.services, reload],
    rollbackServices: [...changes.rollbackServices, { ...reload, words: planText('rollbackOpendkim') }],
  };
}

/** Remove: the old key's KeyTable entry and file go (backed up: rollback restores them); mail stays signed by the new key. */
export function removeChanges(state: ServerState, domain: string, old: RotationKey, current: RotationKey, reportTo: string, content: RotationFile): ChangeSet {
  const signing = currentSigningKeys(state, domain);
  if (signing.some((k) => k.keyPath === old.keyPath)) {
    throw keyedError('checks-failed', { key: 'rotationOldStillSigns', params: { selector: old.selector, domain } }, { hint: { key: 'rotationSwitchAgain', params: { field: 'rotate-switch' } } });
  }
  const { keyTable } = tablePaths(state);
  const entries = readKeyTableEntries(fileText(state, keyTable));
  const oldName = `${old.selector}._domainkey.${domain}`;
  const changes = withoutKeyTableEntry(state, emptyChangeSet(), oldName, planText('rotationKeyTable', { name: oldName }));
  const sharedFile = entries.some((e) => e.name !== oldName && e.keyPath === old.keyPath);
  if (sharedFile) {
    changes.notes.push(planText('rotationKeyShared', { path: old.keyPath }));
  } else {
    const removed = removedFile(state, old.keyPath, planText('rotationOldKey', { selector: old.selector }), true);
    if (removed !== null) changes.files.push(removed);
  }
  const conf = readOpendkimConf(fileText(state, OPENDKIM_CONF));
  changes.socket = conf.get('socket') ?? '';
  changes.healthMail = { from: `postmaster@${domain}`, to: reportTo, domain, selectors: [current.selector] };
  changes.changed = changes.files.length > 0;
  return withRotationFile(state, changes, content, planText('rotationState'));
}

/** Undo of Prepare: the unused new key file goes and the rotation is forgotten. */
export function cancelChanges(state: ServerState, domain: string, fresh: RotationKey, content: RotationFile): ChangeSet {
  if (currentSigningKeys(state, domain).some((k) => k.keyPath === fresh.keyPath)) {
    throw keyedError('checks-failed', { key: 'rotationNewAlreadySigns', params: { selector: fresh.selector, domain } }, { hint: { key: 'rotationUndoSwitch', params: { field: 'rotate-undo' } } });
  }
  const name = `${fresh.selector}._domainkey.${domain}`;
  const changes = withoutKeyTableEntry(state, emptyChangeSet(), name, planText('rotationCancelKeyTable', { name }));
  const removed = removedFile(state, fresh.keyPath, planText('rotationCancelKey', { selector: fresh.selector }), true);
  if (removed !== null) changes.files.push(removed);
  changes.changed = changes.files.length > 0;
  return withRotationFile(state, changes, content, planText('rotationState'));
}
