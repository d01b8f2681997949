// Rotation's pure parts: the step rules, the state file, the change sets of each step against a
// gathered Debian state (fixtures: Debian 12's packaged main.cf, master.cf, opendkim.conf, as in
// test/unit/dkim). The steps against the real programs are in test/host/rotation.test.ts.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../main/server/engine/changeSet.js';
import { encodeBundle } from '../../../main/server/engine/bundle.js';
import { buildPlan } from '../../../main/server/engine/planView.js';
import type { ServerState } from '../../../main/server/engine/state.js';
import { debianState, fixture } from '../dkim/serverState.js';
import { readSigningKeys, removeKeyTableEntry } from '../../../main/server/config/tables.js';
import {
  cancelChanges,
  currentSigningKeys,
  prepareChanges,
  queueLifetimeSeconds,
  removeChanges,
  signingChanges,
  stateOnlyChanges,
} from '../../../main/services/rotation/changes.js';
import { historyMirror } from '../../../main/services/rotation/mirror.js';
import { openHistoryStore } from '../../../main/services/watch/store.js';
import { parseRotationFile, rotationFileText, withRotation } from '../../../main/services/rotation/stateFile.js';
import { earliestNextStep, minimumOverlapDays, nextRotationStep, defaultOverlapDays, rotationStatus, type RotationKey, type RotationState } from '../../../shared/rotation.js';
import { HomemailError } from '../../../shared/errors.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const TABLES_CONF = `${fixture('debian-opendkim.conf')}\nKeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\n`;
const serverState = (contents: Record<string, string | null>): ServerState => debianState(contents);

const key = (selector: string, bits = 2048): RotationKey => ({ selector, type: 'rsa', bits, keyPath: `/etc/dkimkeys/${selector}.private`, fingerprint: `SHA256:${selector}`, publicKey: 'QUJD' });

function rotation(done: RotationState['done'], extra: Partial<RotationState> = {}): RotationState {
  return { version: 1, domain: 'example.jp', emergency: false, done, old: key('hm1'), new: key('202611'), overlapDays: 7, minimumOverlapDays: 6, dates: { prepare: '2026-11-01T00:00:00.000Z', switch: '2026-11-02T00:00:00.000Z' }, backups: {}, ...extra };
}

const tablesState = (extra: Record<string, string | null> = {}) =>
  serverState({
    '/etc/opendkim.conf': TABLES_CONF,
    '/etc/opendkim/key.table': 'hm1._domainkey.example.jp example.jp:hm1:/etc/dkimkeys/hm1.private\n',
    '/etc/opendkim/signing.table': '# mine\n*@example.jp hm1._domainkey.example.jp\n*@other.jp x._domainkey.other.jp\n',
    '/etc/opendkim/trusted.hosts': '127.0.0.1\n::1\nlocalhost\n',
    '/etc/dkimkeys/hm1.private': 'secret',
    '/etc/dkimkeys/202611.private': 'secret',
    ...extra,
  });

describe('rotation steps and dates', () => {
  it('goes Prepare → Publish → Switch → Overlap → Revoke → Remove, the overlap ending overlapDays after Switch', () => {
    expect(nextRotationStep(rotation('prepare'))).toBe('publish');
    expect(nextRotationStep(rotation('remove'))).toBeNull();
    const now = new Date('2026-11-03T00:00:00Z');
    expect(earliestNextStep(rotation('switch'), now)?.toISOString()).toBe('2026-11-09T00:00:00.000Z');
    expect(earliestNextStep(rotation('switch', { overlapDays: 0 }), now)?.toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(earliestNextStep(rotation('publish'), now)).toEqual(now);
  });

  it('the overlap is 7 days unless TTL plus the queue lifetime needs more; a shorter one shows in status', () => {
    expect(minimumOverlapDays(86_400, 5 * 86_400)).toBe(6);
    expect(defaultOverlapDays(6)).toBe(7);
    expect(defaultOverlapDays(9)).toBe(9);
    const status = rotationStatus('example.jp', rotation('switch', { overlapDays: 0 }), new Date('2026-11-03T00:00:00Z'), () => 'v=DKIM1; p=QUJD');
    expect(status.overlapShortened).toBe(true);
    expect(status.next).toBe('overlap');
    expect(status.revokeRecord).toEqual({ name: 'hm1._domainkey.example.jp', type: 'TXT', value: 'v=DKIM1; k=rsa; p=' });
  });

  it('reads the queue lifetime with Postfix\'s units (days by default)', () => {
    expect(queueLifetimeSeconds(serverState({}))).toBe(5 * 86_400);
    expect(queueLifetimeSeconds(serverState({ '/etc/postfix/main.cf': 'maximal_queue_lifetime = 2w\n' }))).toBe(14 * 86_400);
    expect(queueLifetimeSeconds(serverState({ '/etc/postfix/main.cf': 'maximal_queue_lifetime = 3\n' }))).toBe(3 * 86_400);
  });
});

describe('the rotation file', () => {
  it('round-trips and refuses what Homemail did not write', () => {
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('prepare'));
    expect(parseRotationFile(rotationFileText(content))).toEqual(content);
    expect(parseRotationFile('')).toEqual({ version: 1, rotations: {} });
    expect(() => parseRotationFile('{')).toThrow(HomemailError);
    const bad = rotationFileText(content).replace('/etc/dkimkeys/hm1.private', 'etc/x; rm -rf /');
    expect(() => parseRotationFile(bad)).toThrow(/not one Homemail wrote/);
    expect(withRotation(content, 'example.jp', null).rotations).toEqual({});
  });
});

describe('change sets of the steps', () => {
  it('finds the signing key from the tables or the single-key settings', () => {
    expect(currentSigningKeys(tablesState(), 'example.jp')).toEqual([{ name: 'hm1._domainkey.example.jp', selector: 'hm1', keyPath: '/etc/dkimkeys/hm1.private', type: 'rsa' }]);
    const single = serverState({ '/etc/opendkim.conf': `${fixture('debian-opendkim.conf')}\nDomain example.jp\nKeyFile /etc/dkimkeys/postfix.private\nSelector postfix\n` });
    expect(currentSigningKeys(single, 'example.jp').map((k) => k.selector)).toEqual(['postfix']);
    expect(currentSigningKeys(single, 'other.jp')).toEqual([]);
  });

  it('Prepare writes the new key (opendkim 0600, expected absent) and the root-only state, nothing else', () => {
    const state = tablesState({ '/etc/dkimkeys/202611.private': null });
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('prepare'));
    const changes = prepareChanges(state, { selector: '202611', keyPath: '/etc/dkimkeys/202611.private', privateKeyPem: pem }, content);
    expect(changes.files.map((f) => [f.path, f.owner, f.mode, f.expect])).toEqual([
      ['/etc/dkimkeys/202611.private', 'opendkim', '0600', 'absent'],
      ['/var/lib/homemail/rotation.json', 'root', '0600', 'absent'],
    ]);
    expect(changes.dirs).toEqual([{ path: '/var/lib/homemail', owner: 'root', group: 'root', mode: '0700' }]);
    expect(changes.services).toEqual([]);
    const plan = buildPlan(changes, { host: 'h', domain: 'example.jp', interrupted: [] });
    expect(JSON.stringify(plan)).not.toContain(pem.split('\n')[1]);
    expect(() => prepareChanges(tablesState(), { selector: '202611', keyPath: '/etc/dkimkeys/202611.private', privateKeyPem: pem }, content)).toThrow(/already exists/);
  });

  it('Switch points the SigningTable at the new key, keeps the old entry and other domains, and checks the new signature', () => {
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('switch'));
    const changes = signingChanges(tablesState(), 'example.jp', key('202611'), key('hm1'), 'admin', content);
    const signing = changes.files.find((f) => f.path === '/etc/opendkim/signing.table')?.content ?? '';
    expect(readSigningKeys(signing, 'example.jp', true)).toEqual(['202611._domainkey.example.jp']);
    expect(signing).toContain('*@other.jp x._domainkey.other.jp');
    const table = changes.files.find((f) => f.path === '/etc/opendkim/key.table')?.content ?? '';
    expect(table).toContain('hm1._domainkey.example.jp example.jp:hm1:/etc/dkimkeys/hm1.private');
    expect(table).toContain('202611._domainkey.example.jp example.jp:202611:/etc/dkimkeys/202611.private');
    expect(changes.files.some((f) => f.path.endsWith('.private'))).toBe(false);
    expect(changes.healthMail?.selectors).toEqual(['202611']);
    expect(changes.files.map((f) => f.path)).toContain('/var/lib/homemail/rotation.json');
  });

  it('Switch refuses when the new key file is missing on the server', () => {
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('switch'));
    expect(() => signingChanges(tablesState({ '/etc/dkimkeys/202611.private': null }), 'example.jp', key('202611'), key('hm1'), 'admin', content)).toThrow(/not on the server/);
  });

  it('Remove deletes the old key file and its KeyTable entry (backed up), and refuses while the old key still signs', () => {
    const switched = tablesState({
      '/etc/opendkim/key.table': 'hm1._domainkey.example.jp example.jp:hm1:/etc/dkimkeys/hm1.private\n202611._domainkey.example.jp example.jp:202611:/etc/dkimkeys/202611.private\n',
      '/etc/opendkim/signing.table': '*@example.jp 202611._domainkey.example.jp\n',
    });
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('remove'));
    const changes = removeChanges(switched, 'example.jp', key('hm1'), key('202611'), 'admin', content);
    const removed = changes.files.find((f) => f.remove === true);
    expect(removed?.path).toBe('/etc/dkimkeys/hm1.private');
    expect(changes.files.find((f) => f.path === '/etc/opendkim/key.table')?.content).toBe('202611._domainkey.example.jp example.jp:202611:/etc/dkimkeys/202611.private\n');
    const bundle = encodeBundle(changes, null, switched.platform);
    expect(bundle).toContain(`remove ${Buffer.from('/etc/dkimkeys/hm1.private').toString('base64')} ${sha256('secret')}`);
    const plan = buildPlan(changes, { host: 'h', domain: 'example.jp', interrupted: [] });
    expect(plan.files.find((f) => f.kind === 'delete')?.diff).toMatch(/^delete \/etc\/dkimkeys\/hm1\.private/);
    expect(() => removeChanges(tablesState(), 'example.jp', key('hm1'), key('202611'), 'admin', content)).toThrow(/still signs/);
  });

  it('a state-only step writes only the rotation file; writing the same state again changes nothing', () => {
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', rotation('publish'));
    const text = rotationFileText(content);
    const state = tablesState({ '/var/lib/homemail/rotation.json': text });
    state.dirs.set('/var/lib/homemail', { path: '/var/lib/homemail', exists: true, owner: 'root', group: 'root', mode: '700' });
    expect(stateOnlyChanges(state, content, { key: 'k', params: {}, text: '' }).changed).toBe(false);
    const next = withRotation(content, 'example.jp', rotation('switch'));
    expect(stateOnlyChanges(state, next, { key: 'k', params: {}, text: '' }).files.map((f) => f.path)).toEqual(['/var/lib/homemail/rotation.json']);
  });

  it('undo of Prepare deletes the unused key, but never one that signs', () => {
    const content = withRotation({ version: 1, rotations: {} }, 'example.jp', null);
    expect(cancelChanges(tablesState(), 'example.jp', key('202611'), content).files.find((f) => f.remove === true)?.path).toBe('/etc/dkimkeys/202611.private');
    expect(() => cancelChanges(tablesState(), 'example.jp', key('hm1'), content)).toThrow(expect.objectContaining({ sentence: { key: 'rotationNewAlreadySigns', params: { selector: 'hm1', domain: 'example.jp' } }, hintSentence: { key: 'rotationUndoSwitch', params: { field: 'rotate-undo' } } }));
    const listed = tablesState({ '/etc/opendkim/key.table': 'hm1._domainkey.example.jp example.jp:hm1:/etc/dkimkeys/hm1.private\n202611._domainkey.example.jp example.jp:202611:/etc/dkimkeys/202611.private\n' });
    const cancel = cancelChanges(listed, 'example.jp', key('202611'), content);
    expect(cancel.files.find((f) => f.path === '/etc/opendkim/key.table')?.content).toBe('hm1._domainkey.example.jp example.jp:hm1:/etc/dkimkeys/hm1.private\n');
    expect(cancel.services.map((c) => c.label)).toEqual(['reload opendkim']);
  });

  it('table helpers: removing a KeyTable entry keeps the rest', () => {
    expect(removeKeyTableEntry('# c\na x:a:/k\nb x:b:/l\n', 'a')).toBe('# c\nb x:b:/l\n');
    expect(readSigningKeys('example.jp a\nEXAMPLE.jp b\n', 'example.jp', false)).toEqual(['a', 'b']);
  });
});

describe('the local mirror', () => {
  it('keeps the latest status per server and domain, forgets it when nothing is left, and never creates the store', () => {
    const store = openHistoryStore(':memory:');
    const status = rotationStatus('example.jp', rotation('switch'), new Date('2026-11-03T00:00:00Z'), () => 'v=DKIM1; p=QUJD');
    store.mirrorRotation('mail.example.jp', 'example.jp', status);
    store.mirrorRotation('mail.example.jp', 'example.jp', { ...status, next: 'revoke' });
    expect(store.rotations()).toEqual([{ host: 'mail.example.jp', status: { ...status, next: 'revoke' } }]);
    store.mirrorRotation('mail.example.jp', 'example.jp', rotationStatus('example.jp', null, new Date(), () => ''));
    expect(store.rotations()).toEqual([]);
    store.close();
    const dir = mkdtempSync(join(tmpdir(), 'homemail-mirror-'));
    historyMirror(join(dir, 'history.sqlite'))('mail.example.jp', status);
    expect(existsSync(join(dir, 'history.sqlite'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
