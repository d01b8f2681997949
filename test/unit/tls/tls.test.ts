import { describe, expect, it } from 'vitest';
import { checkLetsEncryptFiles, computeTlsChanges, letsEncryptFilesOf } from '../../../main/services/tls/changes.js';
import { readMainCf } from '../../../main/server/config/mainCf.js';
import { encodeBundle } from '../../../main/server/engine/bundle.js';
import { buildPlan } from '../../../main/server/engine/planView.js';
import { PLATFORMS } from '../../../main/server/platform/platforms.js';
import { HomemailError } from '../../../shared/errors.js';
import { debianState, fixture } from '../dkim/serverState.js';
import { smtpdListenerScript } from '../../../main/server/scripts/index.js';

// Debian 12's main.cf as `apt install postfix` leaves it (test/unit/dkim/fixtures/debian-main.cf).
const DEBIAN_MAIN = fixture('debian-main.cf');
const LE = letsEncryptFilesOf('mail.example.test');
const withLevel = (level: string | null) =>
  level === null ? DEBIAN_MAIN.replace(/^smtp_tls_security_level=.*\n/m, '') : DEBIAN_MAIN.replace(/^smtp_tls_security_level=.*$/m, `smtp_tls_security_level=${level}`);
const mainAfter = (changes: ReturnType<typeof computeTlsChanges>) => readMainCf(changes.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '');

describe('tls change set', () => {
  it('raises an unset or none outbound level to may, and reloads Postfix', () => {
    for (const level of [null, 'none', '']) {
      const changes = computeTlsChanges(debianState({ '/etc/postfix/main.cf': withLevel(level) }), { letsEncrypt: null });
      expect(changes.changed).toBe(true);
      expect(mainAfter(changes).get('smtp_tls_security_level')).toBe('may');
      expect(changes.services.map((s) => s.label)).toEqual(['reload postfix']);
      expect(changes.files[0]?.why.key).toBe('tlsOutboundMay');
    }
  });

  it('never weakens a stricter level, and changes nothing when may is already set', () => {
    for (const level of ['may', 'encrypt', 'dane', 'verify', 'secure']) {
      const changes = computeTlsChanges(debianState({ '/etc/postfix/main.cf': withLevel(level) }), { letsEncrypt: null });
      expect(changes.changed).toBe(false);
      expect(changes.files).toEqual([]);
      expect(changes.services).toEqual([]);
    }
  });

  it("wires the Let's Encrypt fullchain and key, drops smtpd_tls_chain_files, and checks the key matches", () => {
    const main = `${withLevel('none')}smtpd_tls_chain_files = /etc/ssl/old.pem\n`;
    const state = debianState({ '/etc/postfix/main.cf': main, [LE.fullchain]: 'CERT', [LE.privkey]: 'KEY' });
    const changes = computeTlsChanges(state, { letsEncrypt: LE });
    const values = mainAfter(changes);
    expect(values.get('smtpd_tls_cert_file')).toBe('/etc/letsencrypt/live/mail.example.test/fullchain.pem');
    expect(values.get('smtpd_tls_key_file')).toBe('/etc/letsencrypt/live/mail.example.test/privkey.pem');
    expect(values.get('smtpd_tls_chain_files')).toBe('');
    expect(values.get('smtp_tls_security_level')).toBe('may');
    expect(changes.files[0]?.why.key).toBe('tlsBoth');
    const keyCheck = changes.validate.find((v) => v.label === 'certificate key');
    expect(keyCheck?.expect).toBe('match');
    expect(keyCheck?.argv.slice(-2)).toEqual([LE.fullchain, LE.privkey]);
  });

  it('refuses a certificate that is not on the server', () => {
    expect(() => computeTlsChanges(debianState(), { letsEncrypt: LE })).toThrow(/does not exist on the server/);
  });

  it('refuses names and paths outside /etc/letsencrypt/live', () => {
    for (const name of ['../../ssl', 'a/b', '', '.hidden', 'x y']) expect(() => letsEncryptFilesOf(name)).toThrow(HomemailError);
    for (const files of [
      { fullchain: '/etc/ssl/certs/ssl-cert-snakeoil.pem', privkey: LE.privkey },
      { fullchain: LE.fullchain, privkey: '/etc/letsencrypt/live/../archive/x/privkey1.pem' },
      { fullchain: 'etc/letsencrypt/live/x/fullchain.pem', privkey: LE.privkey },
    ]) {
      expect(() => checkLetsEncryptFiles(files)).toThrow(/is not inside \/etc\/letsencrypt\/live/);
    }
    expect(checkLetsEncryptFiles(LE)).toEqual(LE);
  });

  it('declares the presented-certificate health check only when it switches the certificate; the bundle carries it as one line', () => {
    const files = { [LE.fullchain]: 'CERT', [LE.privkey]: 'KEY' };
    const switching = computeTlsChanges(debianState({ '/etc/postfix/main.cf': withLevel('none'), ...files }), { letsEncrypt: LE });
    expect(switching.healthCertificate).toEqual({ certificate: LE.fullchain });
    const platform = PLATFORMS[0];
    if (!platform) throw new Error('no platform');
    const lines = encodeBundle(switching, null, platform).split('\n');
    const line = lines.find((l) => l.startsWith('health-certificate '));
    expect(line).toBe(`health-certificate ${Buffer.from(LE.fullchain).toString('base64')} ${Buffer.from(smtpdListenerScript).toString('base64')}`);
    expect(lines.indexOf(line ?? '')).toBe(lines.indexOf('end') - 1);
    const plan = buildPlan(switching, { host: 'mail.example.test', domain: 'example.test', interrupted: [] });
    expect(plan.commands.filter((c) => c.kind === 'health-check').map((c) => c.words.key)).toEqual(['healthCheckPostfix', 'healthCheckCertificate']);

    // Outbound only, or the certificate already in place: nothing to prove on port 25.
    const outboundOnly = computeTlsChanges(debianState({ '/etc/postfix/main.cf': withLevel('none') }), { letsEncrypt: null });
    expect(outboundOnly.healthCertificate).toBeNull();
    expect(encodeBundle(outboundOnly, null, platform)).not.toMatch(/^health-certificate /m);
    const inPlace = `${withLevel('none').replace(/^smtpd_tls_cert_file=.*$/m, `smtpd_tls_cert_file=${LE.fullchain}`).replace(/^smtpd_tls_key_file=.*$/m, `smtpd_tls_key_file=${LE.privkey}`)}`;
    const already = computeTlsChanges(debianState({ '/etc/postfix/main.cf': inPlace, ...files }), { letsEncrypt: LE });
    expect(readMainCf(inPlace).get('smtpd_tls_cert_file')).toBe(LE.fullchain);
    expect(already.changed).toBe(true);
    expect(already.healthCertificate).toBeNull();
  });
});
