// The write race (issue 14): /etc/dkimkeys belongs to the opendkim user, so a file Homemail
// prepared in it could be swapped for a symlink between its copy and its chown, and root
// would then chown the link's target. Here the opendkim user does exactly that, as fast as
// it can, for the whole apply, and has also planted a symlink where the key will go: the
// file outside /etc/dkimkeys must not change in any way, and the key must be a plain file.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollbackChanges } from '../../main/server/engine/index.js';
import type { ChangeSettings } from '../../main/services/dkim/desired.js';
import { applyChanges } from '../../main/services/dkim/dkim.js';
import { connectAdmin } from './session.js';
import type { SshSession } from '../../main/services/ssh/session.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const settings: ChangeSettings = { domain: 'example.test', keys: [{ selector: 'hmrace', type: 'rsa', privateKeyPem: pem }], rua: [], ruf: [], reportTo: 'admin' };
const VICTIM = '/etc/homemail-race-victim';

// As the opendkim user: every file that appears in /etc/dkimkeys and is not ours becomes a
// symlink to the victim (what an attacker owning the directory can do between two commands).
const SWAPPER = `while :; do for f in /etc/dkimkeys/.* /etc/dkimkeys/*; do case $f in */.|*/..|*/hmrace.private) continue;; esac; [ -L "$f" ] || { rm -rf "$f" 2>/dev/null; ln -sf ${VICTIM} "$f" 2>/dev/null; }; done; done`;

describe.skipIf(skip !== null)(suite('writing into a directory another user owns'), () => {
  let host: TestHost;
  let session: SshSession;

  beforeAll(async () => {
    host = await resetHost('fresh');
    session = await connectAdmin(host);
  }, 300_000);

  afterAll(async () => {
    await session?.close();
    await host?.runAsRoot('pkill -u opendkim -f "for f in /etc/dkimkeys" 2>/dev/null; true');
  });

  it('a symlink planted by the opendkim user never makes root change a file outside the target', async () => {
    const setup = await host.runAsRoot(
      [
        `printf 'not yours\\n' > ${VICTIM} && chown root:root ${VICTIM} && chmod 0644 ${VICTIM}`,
        `su -s /bin/sh opendkim -c 'ln -s ${VICTIM} /etc/dkimkeys/hmrace.private'`,
        `su -s /bin/sh opendkim -c '${SWAPPER.replace(/'/g, `'\\''`)}' </dev/null >/dev/null 2>&1 &`,
        'sleep 0.5',
        `stat -c '%U:%G %a %s' ${VICTIM}`,
        'ls -la /etc/dkimkeys',
      ].join('\n'),
    );
    expect(setup.code, setup.stderr).toBe(0);
    const victimBefore = `${await host.runAsRoot(`stat -c '%U:%G %a %s %Y' ${VICTIM}; sha256sum < ${VICTIM}`).then((r) => r.stdout)}`;
    expect(victimBefore).toMatch(/^root:root 644 10 /);

    // About the key write, not DNS: publish-before-sign is skipped (--skip-dns-check).
    const result = await applyChanges(session, settings, { dns: { skip: true } });
    expect(result.changed).toBe(true);

    await host.runAsRoot('pkill -u opendkim -f "for f in /etc/dkimkeys" 2>/dev/null; true');
    const victimAfter = (await host.runAsRoot(`stat -c '%U:%G %a %s %Y' ${VICTIM}; sha256sum < ${VICTIM}`)).stdout;
    expect(victimAfter).toBe(victimBefore);
    const key = (await host.runAsRoot(`stat -c '%F %U:%G %a' /etc/dkimkeys/hmrace.private; head -c 31 /etc/dkimkeys/hmrace.private`)).stdout;
    expect(key).toBe('regular file opendkim:opendkim 600\n-----BEGIN RSA PRIVATE KEY-----');
    // no staging directory is left behind anywhere
    expect((await host.runAsRoot('ls -a /etc /etc/dkimkeys /etc/opendkim 2>/dev/null | grep -c homemail-stage || true')).stdout.trim()).toBe('0');
    await rollbackChanges(session, result.backupId);
  });
});
