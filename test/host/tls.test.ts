// homemail tls against the real test host (bookworm Postfix 3.7 by default): an outbound level of
// `none` becomes `may`; a certificate placed under /etc/letsencrypt/live/mail.example.test/
// (the test CA's right.pem/right.key from hostctl.sh test-certs, standing in for certbot's
// fullchain.pem/privkey.pem) is wired into smtpd, which then presents it to
// `openssl s_client -starttls smtp`; bad names change nothing; rollback restores byte for byte.
// The health stage compares that presented certificate with the fullchain: a master.cf override
// on the smtp service (its own cert file, or TLS off) fails apply and restores byte for byte.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from './cli.js';
import { smtpdListenVariant } from './outboundWorld.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);
const work = mkdtempSync(path.join(tmpdir(), 'homemail-tls-host-'));
const cli = (argv: string[], stdin = ''): Promise<CliRun> => runCliIn(work, argv, stdin);
const LIVE = '/etc/letsencrypt/live/mail.example.test';

describe.skipIf(skip !== null)(suite('homemail tls on the test host'), () => {
  let host: TestHost;
  let certs: string;
  let before: Awaited<ReturnType<TestHost['snapshot']>>;
  const ssh = (): string[] => ['--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', host.users.deploy.keyPath, '--known-hosts', host.knownHostsPath];
  /** The SHA-256 fingerprint of the certificate smtpd presents on 25 after STARTTLS. */
  const presented = async (): Promise<string> => {
    const r = await host.runAsRoot('openssl s_client -starttls smtp -connect 127.0.0.1:25 -servername mail.example.test </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256');
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  const fingerprint = async (file: string): Promise<string> => (await host.runAsRoot(`openssl x509 -noout -fingerprint -sha256 -in ${file}`)).stdout.trim();
  const postconf = async (...names: string[]): Promise<string[]> => (await host.runAsRoot(`postconf -h ${names.join(' ')}`)).stdout.trim().split('\n');

  beforeAll(async () => {
    host = await resetHost('fresh');
    certs = await host.makeTestCertificates();
    const setup = await host.runAsRoot(
      `postconf -e 'smtp_tls_security_level = none' && postfix reload && mkdir -p ${LIVE} && cp ${certs}/right.pem ${LIVE}/fullchain.pem && cp ${certs}/right.key ${LIVE}/privkey.pem && chmod -R go-rwx /etc/letsencrypt`,
    );
    expect(setup.code, setup.stderr).toBe(0);
    before = await host.snapshot();
  }, 120_000);

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await resetHost('fresh').catch(() => undefined);
  });

  it('refuses a name outside /etc/letsencrypt/live before connecting, and a certificate that is not there; nothing changes', async () => {
    const outside = await cli(['tls', ...ssh(), '--use-letsencrypt', '../../ssl/private', '--apply', '--json']);
    expect(outside.code, outside.stderr).toBe(2);
    expect(outside.stderr).toMatch(/not a certificate name/);
    const missing = await cli(['tls', ...ssh(), '--use-letsencrypt', 'other.example.test', '--apply', '--json']);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('/etc/letsencrypt/live/other.example.test/fullchain.pem does not exist on the server.');
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('plans may and the certificate without changing anything', async () => {
    const plan = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as { plan: { changed: boolean; files: { path: string; diff: string }[] } };
    expect(json.plan.changed).toBe(true);
    const main = json.plan.files.find((f) => f.path === '/etc/postfix/main.cf');
    expect(main?.diff).toContain('+smtp_tls_security_level = may');
    expect(main?.diff).toContain(`+smtpd_tls_cert_file = ${LIVE}/fullchain.pem`);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  });

  it('applies: none becomes may, smtpd presents the Let\'s Encrypt certificate; rollback restores byte for byte', async () => {
    const snakeoil = await fingerprint('/etc/ssl/certs/ssl-cert-snakeoil.pem');
    expect(await presented()).toBe(snakeoil);

    const applied = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect((JSON.parse(applied.stdout) as { changed: boolean }).changed).toBe(true);
    expect(await postconf('smtp_tls_security_level', 'smtpd_tls_cert_file', 'smtpd_tls_key_file')).toEqual(['may', `${LIVE}/fullchain.pem`, `${LIVE}/privkey.pem`]);
    expect(await presented()).toBe(await fingerprint(`${certs}/right.pem`));

    const again = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply', '--json']);
    expect((JSON.parse(again.stdout) as { changed: boolean }).changed).toBe(false);

    const rolled = await cli(['rollback', ...ssh(), '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    expect(await postconf('smtp_tls_security_level')).toEqual(['none']);
    expect(await presented()).toBe(snakeoil);
  });

  it('a master.cf override on the smtp service that defeats the switch fails health (exit 4) and the server is restored byte for byte', async () => {
    const snakeoil = await fingerprint('/etc/ssl/certs/ssl-cert-snakeoil.pem');
    const overrides = [
      { options: ['smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem', 'smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key'], reason: /presents another certificate/ },
      { options: ['smtpd_tls_security_level=none'], reason: /did not offer STARTTLS/ },
    ];
    for (const { options, reason } of overrides) {
      const set = await host.runAsRoot(`cp -p /etc/postfix/master.cf /root/master.cf.orig && ${options.map((o) => `postconf -P 'smtp/inet/${o}'`).join(' && ')} && postfix reload`);
      expect(set.code, set.stderr).toBe(0);
      const defeated = await host.snapshot();
      const r = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply']);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(r.stdout + r.stderr).toMatch(/health/);
      expect(r.stdout + r.stderr).toMatch(reason);
      expect(host.diffSnapshots(defeated, await host.snapshot())).toEqual([]);
      expect(await postconf('smtpd_tls_cert_file')).toEqual(['/etc/ssl/certs/ssl-cert-snakeoil.pem']);
      const unset = await host.runAsRoot('mv /root/master.cf.orig /etc/postfix/master.cf && postfix reload');
      expect(unset.code, unset.stderr).toBe(0);
    }
    expect(await presented()).toBe(snakeoil);
  });

  // Where smtpd really listens, as master.cf and inet_interfaces say (Postfix itself binds it):
  // the health check asks that address, and says so when nothing takes mail on port 25.
  describe('smtpd not on 127.0.0.1:25', () => {
    const variant = (service: string | null, mainCf: string[] = []) => smtpdListenVariant(host, service, mainCf);
    const presentedAt = async (connect: string): Promise<string> =>
      (await host.runAsRoot(`openssl s_client -starttls smtp -connect '${connect}' </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`)).stdout.trim();
    const applyAndRollBack = async (connect: string) => {
      const applied = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply', '--json']);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(JSON.parse(applied.stdout)).toMatchObject({ changed: true, warnings: [] });
      expect(await presentedAt(connect)).toBe(await fingerprint(`${certs}/right.pem`));
      const rolled = await cli(['rollback', ...ssh(), '--json']);
      expect(rolled.code, rolled.stderr).toBe(0);
    };

    it.each([
      { name: 'master.cf binds 127.0.0.3:smtp: the health check asks 127.0.0.3:25 and passes', service: '127.0.0.3:smtp', settings: [], connect: '127.0.0.3:25' },
      { name: 'inet_interfaces = loopback-only with inet_protocols = ipv6: smtpd listens on [::1]:25 only, and is asked there', service: 'smtp', settings: ['inet_protocols = ipv6'], connect: '[::1]:25' },
    ])('$name (nothing listens on 127.0.0.1:25)', async ({ service, settings, connect }) => {
      const undo = await variant(service, settings);
      try {
        expect((await host.runAsRoot('openssl s_client -starttls smtp -connect 127.0.0.1:25 </dev/null')).code).not.toBe(0);
        await applyAndRollBack(connect);
      } finally {
        await undo();
      }
    });

    it('no smtpd on port 25 (only 2525): apply succeeds and says the certificate could not be checked (coded, in Japanese too)', async () => {
      const undo = await variant('2525');
      try {
        const applied = await cli(['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply', '--json']);
        expect(applied.code, applied.stdout + applied.stderr).toBe(0);
        const json = JSON.parse(applied.stdout) as { changed: boolean; warnings: Array<{ key: string; params: Record<string, string>; text: string }> };
        expect(json.changed).toBe(true);
        expect(json.warnings).toEqual([{ key: 'smtpdNotListening', params: { path: `${LIVE}/fullchain.pem`, services: '2525' }, text: expect.stringContaining('smtpd takes no mail on port 25') }]);
        expect((await cli(['rollback', ...ssh(), '--json'])).code).toBe(0);
        const ja = await runCliIn(work, ['tls', ...ssh(), '--use-letsencrypt', 'mail.example.test', '--apply'], '', { LANG: 'ja_JP.UTF-8' });
        expect(ja.code, ja.stdout + ja.stderr).toBe(0);
        expect(ja.stdout).toContain('smtpd はポート 25 でメールを受け付けていません');
        expect((await cli(['rollback', ...ssh(), '--json'])).code).toBe(0);
      } finally {
        await undo();
      }
    });
  });
});
