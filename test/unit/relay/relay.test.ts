import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeRelayChanges, databaseFile, passwordTable } from '../../../main/services/relay/changes.js';
import { probeRecipientFor, relaySettingsOf } from '../../../main/services/relay/relay.js';
import { encodeBundle } from '../../../main/server/engine/bundle.js';
import { sha256 } from '../../../main/server/engine/changeSet.js';
import { buildPlan } from '../../../main/server/engine/planView.js';
import { formatPlan } from '../../../main/cli/planText.js';
import { cliText } from '../../../main/cli/language.js';
import type { ServerState } from '../../../main/server/engine/state.js';
import { remoteFile } from '../dkim/serverState.js';
import { readMainCf } from '../../../main/server/config/mainCf.js';
import { PLATFORMS } from '../../../main/server/platform/platforms.js';
import { checkRelayPassword, checkRelayUser, parseRelayTarget, presetForHost, RELAY_PRESETS } from '../../../shared/relay.js';
import { contract } from '../../../shared/contract/index.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { runCliCaptured } from '../../support/cli.js';

// Debian 12's main.cf as `apt install postfix` leaves it (the DKIM unit tests' fixture).
const MAIN_CF = readFileSync(new URL('../dkim/fixtures/debian-main.cf', import.meta.url), 'utf8');
const PASSWORD = 'relay Pa55:word';
const bookworm = PLATFORMS.find((p) => p.id === 'debian-12')!;

function state(main = MAIN_CF, table: string | null = null, packages: Record<string, boolean> = { postfix: true, 'libsasl2-modules': true }): ServerState {
  return {
    os: { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: [] },
    platform: bookworm,
    systemd: false,
    initScripts: { opendkim: true, postfix: true },
    apt: true,
    packages,
    running: { postfix: true, opendkim: true },
    opendkimBuild: { packageVersion: null, filterVersionText: '' },
    queueDirectory: '/var/spool/postfix',
    mailVersion: '3.7.11',
    postconfWarnings: '',
    users: ['root'],
    files: new Map([
      ['/etc/postfix/main.cf', remoteFile('/etc/postfix/main.cf', main)],
      ['/etc/postfix/sasl_passwd', remoteFile('/etc/postfix/sasl_passwd', table, true)],
    ]),
    dirs: new Map(),
    journals: [],
    interrupted: [],
    busy: null,
  };
}

const target = { host: 'relay.isp.example', port: 587 };
const settings = relaySettingsOf({ remove: false, target, user: 'home-user', password: PASSWORD, domain: 'example.jp' });

describe('relay change set', () => {
  it('sets relayhost, SASL and TLS in main.cf and writes the login table root-only, built by postmap', () => {
    const changes = computeRelayChanges(state(), settings);
    const main = changes.files.find((f) => f.path === '/etc/postfix/main.cf');
    const values = readMainCf(main?.content ?? '');
    expect(values.get('relayhost')).toBe('[relay.isp.example]:587');
    expect(values.get('smtp_sasl_auth_enable')).toBe('yes');
    expect(values.get('smtp_sasl_password_maps')).toBe('hash:/etc/postfix/sasl_passwd');
    expect(values.get('smtp_sasl_security_options')).toBe('noanonymous');
    expect(values.get('smtp_tls_security_level')).toBe('encrypt');
    expect(values.has('smtp_tls_wrappermode')).toBe(false);
    // Unrelated settings stay as they were.
    expect(values.get('myhostname')).toBe(readMainCf(MAIN_CF).get('myhostname'));
    const table = changes.files.find((f) => f.path === '/etc/postfix/sasl_passwd');
    expect(table).toMatchObject({ owner: 'root', group: 'root', mode: '0600', secret: true, password: true, expect: 'absent' });
    expect(table?.content).toBe(`[relay.isp.example]:587 home-user:${PASSWORD}\n`);
    expect(changes.generated).toEqual(['/etc/postfix/sasl_passwd.db']);
    expect(changes.validate.map((c) => c.label)).toEqual(['postmap', 'postfix check']);
    expect(changes.validate[0]?.argv).toEqual(['sh', '-c', 'umask 077 && exec postmap "$1"', 'postmap', 'hash:/etc/postfix/sasl_passwd']);
    expect(changes.healthRelay).toEqual({ recipient: 'postmaster@relay.isp.example', relay: '[relay.isp.example]:587' });
    expect(changes.install).toEqual([]);
  });

  it('never puts the password in the plan, its text, its commands or its JSON; only in the bundle (stdin)', () => {
    const changes = computeRelayChanges(state(), settings);
    const plan = buildPlan(changes, { host: 'mail.example.jp', domain: 'example.jp', interrupted: [] });
    expect(JSON.stringify(plan)).not.toContain(PASSWORD);
    expect(formatPlan(plan, cliText({ LANG: 'C' }))).not.toContain(PASSWORD);
    expect(formatPlan(plan, cliText({ LANG: 'ja_JP.UTF-8' }))).not.toContain(PASSWORD);
    expect(plan.files.find((f) => f.path === '/etc/postfix/sasl_passwd')?.diff).toBe('create /etc/postfix/sasl_passwd (password, not shown)\n');
    expect(plan.commands.find((c) => c.kind === 'health-check')?.command).toBe('sendmail -bv postmaster@relay.isp.example');
    const bundle = encodeBundle(changes, null, bookworm);
    expect(bundle).not.toContain(PASSWORD);
    expect(Buffer.from(bundle.split('\n').find((l) => l.startsWith('file ') && l.includes(Buffer.from('/etc/postfix/sasl_passwd').toString('base64')))?.split(' ').at(-1) ?? '', 'base64').toString()).toContain(PASSWORD);
    expect(bundle).toContain(`generated ${Buffer.from('/etc/postfix/sasl_passwd.db').toString('base64')}`);
    expect(bundle).toMatch(/^health-relay /m);
  });

  it('port 465 turns on wrapper mode; an address relay is bracketed', () => {
    const changes = computeRelayChanges(state(), relaySettingsOf({ remove: false, target: { host: '192.0.2.25', port: 465 }, user: 'u', password: 'p', domain: 'example.jp' }));
    const values = readMainCf(changes.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '');
    expect(values.get('relayhost')).toBe('[192.0.2.25]:465');
    expect(values.get('smtp_tls_wrappermode')).toBe('yes');
    expect(changes.healthRelay?.recipient).toBe('postmaster@[192.0.2.25]');
  });

  it('changes nothing when the server already relays with the same login (the table compared by hash)', () => {
    const first = computeRelayChanges(state(), settings);
    const main = first.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '';
    const again = computeRelayChanges(state(main, passwordTable(target, 'home-user', PASSWORD)), settings);
    expect(again.changed).toBe(false);
    expect(again.files).toEqual([]);
    // A new password alone rewrites only the table.
    const newPassword = computeRelayChanges(state(main, passwordTable(target, 'home-user', 'old')), settings);
    expect(newPassword.files.map((f) => f.path)).toEqual(['/etc/postfix/sasl_passwd']);
    expect(newPassword.files[0]?.expect).toBe(sha256(passwordTable(target, 'home-user', 'old')));
  });

  it('installs the SASL modules when the server lacks them', () => {
    expect(computeRelayChanges(state(MAIN_CF, null, { postfix: true, 'libsasl2-modules': false }), settings).install).toEqual(['libsasl2-modules']);
  });

  it('remove: relayhost and SASL off, TLS back to may, the table and its .db deleted, no relay health check', () => {
    const relayed = computeRelayChanges(state(), settings).files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '';
    const relayedState = state(relayed, passwordTable(target, 'home-user', PASSWORD));
    relayedState.files.set('/etc/postfix/sasl_passwd.db', remoteFile('/etc/postfix/sasl_passwd.db', 'binary', true));
    const changes = computeRelayChanges(relayedState, { kind: 'remove' });
    const values = readMainCf(changes.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '');
    expect(values.get('relayhost')).toBe('');
    expect(values.get('smtp_sasl_auth_enable')).toBe('no');
    expect(values.get('smtp_tls_security_level')).toBe('may');
    expect(changes.files.filter((f) => f.remove === true).map((f) => f.path)).toEqual(['/etc/postfix/sasl_passwd', '/etc/postfix/sasl_passwd.db']);
    expect(changes.generated).toEqual([]);
    const plan = buildPlan(changes, { host: 'mail.example.jp', domain: 'example.jp', interrupted: [] });
    expect(plan.files.find((f) => f.path === '/etc/postfix/sasl_passwd')?.diff).toBe('delete /etc/postfix/sasl_passwd (password, not shown; kept in the backup)\n');
    expect(changes.healthRelay).toBeNull();
    // Without a relay, outbound TLS is raised to may when it was off.
    const none = computeRelayChanges(state(`${MAIN_CF}smtp_tls_security_level = none\n`), { kind: 'remove' });
    expect(readMainCf(none.files[0]?.content ?? '').get('smtp_tls_security_level')).toBe('may');
  });

  it('postmap output file per table type', () => {
    expect(databaseFile('hash', '/etc/postfix/sasl_passwd')).toBe('/etc/postfix/sasl_passwd.db');
    expect(databaseFile('lmdb', '/etc/postfix/sasl_passwd')).toBe('/etc/postfix/sasl_passwd.lmdb');
  });
});

describe('relay input', () => {
  it('parses HOST[:PORT] and [HOST]:PORT, 587 by default', () => {
    expect(parseRelayTarget('smtp.ISP.example')).toEqual({ ok: true, value: { host: 'smtp.isp.example', port: 587 } });
    expect(parseRelayTarget('[smtp.isp.example]:465')).toEqual({ ok: true, value: { host: 'smtp.isp.example', port: 465 } });
    expect(parseRelayTarget('192.0.2.1:2525')).toEqual({ ok: true, value: { host: '192.0.2.1', port: 2525 } });
    for (const bad of ['', 'smtp.isp.example:0', 'smtp.isp.example:70000', 'a b', 'smtp.isp.example\n', '[x]:1:2', 'https://smtp.example']) expect(parseRelayTarget(bad).ok, bad).toBe(false);
  });

  it('refuses logins and passwords that would break the table line', () => {
    expect(checkRelayUser('me@example.jp')).toBeNull();
    for (const bad of ['', 'a b', 'a:b', 'a\nb']) expect(checkRelayUser(bad), bad).not.toBeNull();
    expect(checkRelayPassword('pa ss:wo#rd')).toBeNull();
    for (const bad of ['', ' lead', 'trail ', 'a\nb', 'a\tb']) expect(checkRelayPassword(bad), JSON.stringify(bad)).not.toBeNull();
    expect(() => relaySettingsOf({ remove: false, target, user: 'u', password: 'x\ny', domain: 'd.example' })).toThrow(/control/);
  });

  it('the health check asks about the login when it is an address, else postmaster at the relay', () => {
    expect(probeRecipientFor({ user: 'me@example.jp', target })).toBe('me@example.jp');
    expect(probeRecipientFor({ user: 'apikey', target })).toBe('postmaster@relay.isp.example');
    expect(probeRecipientFor({ user: 'apikey', target, probeRecipient: 'check@example.net' })).toBe('check@example.net');
    expect(() => probeRecipientFor({ user: 'u', target, probeRecipient: 'not an address' })).toThrow();
  });

  it('the contract refuses a bad relay, login or password and accepts a good one', () => {
    const ok = { sessionId: 'A'.repeat(20), remove: false, relay: 'smtp.isp.example', user: 'u', password: 'p w', domain: 'example.jp' };
    expect(contract.planRelay.input.safeParse(ok).success).toBe(true);
    expect(contract.planRelay.input.safeParse({ ...ok, relay: 'x:99999' }).success).toBe(false);
    expect(contract.planRelay.input.safeParse({ ...ok, user: 'a:b' }).success).toBe(false);
    expect(contract.planRelay.input.safeParse({ ...ok, password: 'a\rb' }).success).toBe(false);
    expect(contract.planRelay.input.safeParse({ sessionId: 'A'.repeat(20), remove: true, domain: 'example.jp' }).success).toBe(true);
  });
});

describe('relay presets', () => {
  it('each names a host, port and SPF include (or unknown), with its sources; includes are valid DNS names', () => {
    expect(RELAY_PRESETS[0]?.id).toBe('generic');
    for (const preset of RELAY_PRESETS) {
      expect(preset.sources.length, preset.id).toBeGreaterThan(0);
      if (preset.id === 'generic') continue;
      expect(parseRelayTarget(`${preset.host}:${preset.port}`).ok, preset.id).toBe(true);
      if (preset.spfInclude !== 'unknown') expect(normalizeDomain(preset.spfInclude, { allowUnderscore: true }).ok, preset.id).toBe(true);
    }
    expect(presetForHost('SMTP.gmail.com')?.spfInclude).toBe('_spf.google.com');
    expect(presetForHost('smtp.isp.example')).toBeNull();
  });

  it('include: targets may hold "_" in labels other than the last (host names may not)', () => {
    expect(normalizeDomain('_spf.google.com', { allowUnderscore: true })).toEqual({ ok: true, value: '_spf.google.com' });
    expect(normalizeDomain('_spf.google.com').ok).toBe(false);
    expect(normalizeDomain('spf.google._com', { allowUnderscore: true }).ok).toBe(false);
  });
});

describe('homemail relay: bad input is refused before any connection (exit 2)', () => {
  const ssh = ['--ssh', 'admin@192.0.2.1:2222', '--known-hosts', '/nonexistent/known_hosts'];
  it.each([
    ['no relay', [...ssh], ''],
    ['a bad relay', [...ssh, '--relay', 'smtp isp', '--relay-user', 'u', '--relay-password-stdin'], 'pw\n'],
    ['no login', [...ssh, '--relay', 'smtp.isp.example'], ''],
    ['the password on the command line only', [...ssh, '--relay', 'smtp.isp.example', '--relay-user', 'u'], ''],
    ['an empty stdin', [...ssh, '--relay', 'smtp.isp.example', '--relay-user', 'u', '--relay-password-stdin'], ''],
    ['no second line after the sudo password', [...ssh, '--password-stdin', '--relay', 'smtp.isp.example', '--relay-user', 'u', '--relay-password-stdin'], 'sudo-pw\n'],
    ['--remove with a relay', [...ssh, '--remove', '--relay', 'smtp.isp.example'], ''],
  ])('%s', async (_name, argv, stdin) => {
    const run = await runCliCaptured(['relay', ...argv], { stdin });
    expect(run.code, run.err).toBe(2);
    expect(run.err).not.toContain('sudo-pw');
  });
});

describe('relay presets: documented caveats', () => {
  const catalogs = ['en', 'ja'].map((lang) => JSON.parse(readFileSync(new URL(`../../../renderer/src/locales/${lang}.json`, import.meta.url), 'utf8')) as { relay: { caveat: Record<string, string> } });

  it('Microsoft 365 warns that password login is being retired, and Google asks for an app password', () => {
    expect(RELAY_PRESETS.find((p) => p.id === 'microsoft365')?.caveat).toBe('basicAuthRetiring');
    expect(RELAY_PRESETS.find((p) => p.id === 'microsoft365')?.sources.some((s) => s.includes('retire-basic-auth'))).toBe(true);
    expect(RELAY_PRESETS.find((p) => p.id === 'google')?.caveat).toBe('appPassword');
  });

  it('every caveat a preset names is written in both languages', () => {
    for (const preset of RELAY_PRESETS.filter((p) => p.caveat !== undefined)) {
      for (const catalog of catalogs) expect(catalog.relay.caveat[preset.caveat ?? '']).toMatch(/\S/);
    }
  });
});
