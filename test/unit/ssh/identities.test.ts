// Which key files are tried, in which order, and what happens to keys that cannot be used.
// Keys are generated here with ssh2's own generator (no fixtures on disk).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { defaultIdentityNames, identityCandidates, loadIdentities } from '../../../main/services/ssh/identities.js';
import { expandHome } from '../../../main/services/ssh/paths.js';

const { utils } = ssh2;

describe('identity files', () => {
  it("uses OpenSSH's default files in readconf.c's order, only when no -i and no IdentityFile is given", () => {
    expect(defaultIdentityNames).toEqual(['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_mldsa44_ed25519']);
    expect(identityCandidates(undefined, [], '/home/u').map((c) => c.file)).toEqual(defaultIdentityNames.map((name) => `/home/u/.ssh/${name}`));
    expect(identityCandidates('/k/explicit', ['/k/config', '/k/explicit'], '/home/u')).toEqual([
      { file: '/k/explicit', origin: 'option' },
      { file: '/k/config', origin: 'config' },
    ]);
    expect(identityCandidates(undefined, ['/k/config'], '/home/u')).toEqual([{ file: '/k/config', origin: 'config' }]);
  });

  it('expands ~ and ~/ only (not ~name)', () => {
    expect(expandHome('~/.ssh/id_ed25519', '/home/u')).toBe(path.join('/home/u', '.ssh/id_ed25519'));
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~other/key', '/home/u')).toBe('~other/key');
    expect(expandHome('/abs/key', '/home/u')).toBe('/abs/key');
  });

  it('skips a passphrase-protected default key with a note and keeps the usable one; a missing -i key is an error naming the path', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'hm-ids-'));
    mkdirSync(path.join(home, '.ssh'));
    const locked = utils.generateKeyPairSync('ed25519', { passphrase: 'secret phrase', cipher: 'aes256-ctr', rounds: 4 });
    const open = utils.generateKeyPairSync('ecdsa', { bits: 256 });
    writeFileSync(path.join(home, '.ssh', 'id_ed25519'), locked.private);
    writeFileSync(path.join(home, '.ssh', 'id_ecdsa'), open.private);
    const loaded = await loadIdentities(identityCandidates(undefined, [], home), undefined);
    expect(loaded.keys.map((k) => path.basename(k.file))).toEqual(['id_ecdsa']);
    expect(loaded.needPassphrase).toEqual([path.join(home, '.ssh', 'id_ed25519')]);
    expect(loaded.notes).toEqual([`${path.join(home, '.ssh', 'id_ed25519')} is protected by a passphrase and none was given; it was skipped.`]);

    const withPhrase = await loadIdentities(identityCandidates(undefined, [], home), 'secret phrase');
    expect(withPhrase.keys.map((k) => path.basename(k.file))).toEqual(['id_ecdsa', 'id_ed25519']);
    const wrongPhrase = await loadIdentities(identityCandidates(undefined, [], home), 'a login password');
    expect(wrongPhrase.keys.map((k) => path.basename(k.file))).toEqual(['id_ecdsa']);
    expect(wrongPhrase.notes[0]).toContain('does not open');

    await expect(loadIdentities(identityCandidates(path.join(home, 'nope'), [], home), undefined)).rejects.toMatchObject({ code: 'bad-input', details: { path: path.join(home, 'nope') } });
    await expect(loadIdentities(identityCandidates(path.join(home, '.ssh', 'id_ed25519'), [], home), 'wrong')).rejects.toMatchObject({ code: 'auth-failed' });
    // Two key generations and five bcrypt-pbkdf passphrase tries: seconds on a loaded machine.
  }, 30_000);
});
