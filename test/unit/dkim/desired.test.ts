import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HomemailError } from '../../../shared/errors.js';
import { computeChanges, type ChangeSettings } from '../../../main/services/dkim/desired.js';
import { getParameter } from '../../../main/server/config/mainCf.js';
import { readOpendkimConf } from '../../../main/server/config/opendkimConf.js';
import type { ServerState } from '../../../main/server/engine/state.js';
import { buildPlan } from '../../../main/server/engine/planView.js';
import { cliText } from '../../../main/cli/language.js';
import { BOOKWORM_OPENDKIM, debianState, fixture } from './serverState.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

const edPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

const settings: ChangeSettings = { domain: 'example.test', keys: [{ selector: 's1', type: 'rsa', privateKeyPem: pem }], rua: ['dmarc@example.test'], ruf: [], reportTo: 'admin' };

function contentOf(state: ServerState, path: string): string {
  const change = computeChanges(state, settings).files.find((f) => f.path === path);
  if (!change) throw new Error(`${path} unchanged`);
  return change.content;
}

describe('planning on Debian defaults', () => {
  it('replaces the unreachable default socket with TCP on the loopback and wires both milter lists', () => {
    const state = debianState();
    const changes = computeChanges(state, settings);
    expect(changes.socket).toBe('inet:8891@127.0.0.1');
    expect(changes.milter).toBe('inet:127.0.0.1:8891');
    const main = contentOf(state, '/etc/postfix/main.cf');
    expect(getParameter(main, 'smtpd_milters')).toBe('inet:127.0.0.1:8891');
    expect(getParameter(main, 'non_smtpd_milters')).toBe('inet:127.0.0.1:8891');
    expect(getParameter(main, 'milter_default_action')).toBe('accept');
    expect(getParameter(main, 'milter_protocol')).toBe('6');
    // every original line is still there, in order
    expect(main.startsWith(fixture('debian-main.cf'))).toBe(true);
    expect(changes.notes.map((n) => n.key)).toContain('socketReplaced');
  });

  it('with two Socket lines, wires Postfix to the one OpenDKIM uses (the last) and leaves only that one', () => {
    const conf = `${fixture('debian-opendkim.conf')}Socket\t\t\tinet:8892@localhost\nSocket\t\t\tinet:8893@localhost # the one in use\n`;
    const state = debianState({ '/etc/opendkim.conf': conf });
    const changes = computeChanges(state, settings);
    expect(changes.socket).toBe('inet:8893@localhost');
    expect(changes.milter).toBe('inet:127.0.0.1:8893');
    expect(changes.healthSocket).toEqual({ kind: 'inet', port: 8893 });
    const after = contentOf(state, '/etc/opendkim.conf');
    expect(readOpendkimConf(after).get('socket')).toBe('inet:8893@localhost');
    expect(after.split('\n').filter((l) => /^socket/i.test(l))).toEqual(['Socket\t\t\tinet:8893@localhost # the one in use']);
  });

  it('writes the key table, a refile signing table, trusted hosts and keeps the config\'s comments', () => {
    const state = debianState();
    const conf = contentOf(state, '/etc/opendkim.conf');
    const settingsRead = readOpendkimConf(conf);
    expect(settingsRead.get('socket')).toBe('inet:8891@127.0.0.1');
    expect(settingsRead.get('keytable')).toBe('/etc/opendkim/key.table');
    expect(settingsRead.get('signingtable')).toBe('refile:/etc/opendkim/signing.table');
    expect(settingsRead.get('internalhosts')).toBe('/etc/opendkim/trusted.hosts');
    for (const line of fixture('debian-opendkim.conf').split('\n').filter((l) => l.startsWith('#'))) expect(conf).toContain(line);
    expect(contentOf(state, '/etc/opendkim/key.table')).toBe('s1._domainkey.example.test example.test:s1:/etc/dkimkeys/s1.private\n');
    expect(contentOf(state, '/etc/opendkim/signing.table')).toBe('*@example.test s1._domainkey.example.test\n');
    expect(contentOf(state, '/etc/opendkim/trusted.hosts').split('\n')).toEqual(expect.arrayContaining(['127.0.0.1', '::1', '127.0.0.0/8', '::ffff:127.0.0.0/104']));
  });

  it('writes the key as opendkim 0600, marks it secret, and the plan never shows its bytes', () => {
    const state = debianState();
    const changes = computeChanges(state, settings);
    const key = changes.files.find((f) => f.path === '/etc/dkimkeys/s1.private');
    expect(key).toMatchObject({ owner: 'opendkim', group: 'opendkim', mode: '0600', secret: true, expect: 'absent' });
    const plan = buildPlan(changes, { host: 'h', domain: 'example.test', interrupted: [] });
    const body = pem.split('\n')[1] as string;
    expect(JSON.stringify(plan)).not.toContain(body);
    expect(plan.files.find((f) => f.path === '/etc/postfix/main.cf')?.diff).toContain('+non_smtpd_milters = inet:127.0.0.1:8891');
  });

  it('says every plan sentence from the catalog: its English text is plan.<key> filled, and it reads in Japanese', () => {
    const plan = buildPlan(computeChanges(debianState(), settings), { host: 'h', domain: 'example.test', interrupted: [] });
    const sentences = [...plan.files.map((f) => f.why), ...plan.commands.map((c) => c.words), ...plan.notes];
    expect(sentences.length).toBeGreaterThan(8);
    const en = cliText({ LANG: 'C' });
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    for (const sentence of sentences) {
      expect(sentence.text).toBe(en.t(`plan.${sentence.key}`, sentence.params));
      expect(ja.keyed('plan', sentence)).not.toBe(sentence.text);
    }
    expect(plan.files.find((f) => f.path === '/etc/opendkim/key.table')?.why).toEqual({ key: 'keyTable', params: { domain: 'example.test' }, text: 'KeyTable: which key file signs as example.test.' });
  });

  it('adds an alias for a report address of the own domain and runs newaliases', () => {
    const changes = computeChanges(debianState(), settings);
    expect(changes.aliasesChanged).toBe(true);
    expect(changes.files.find((f) => f.path === '/etc/aliases')?.content).toBe('# See man 5 aliases for format\npostmaster:    root\ndmarc: admin\n');
  });

  it('restarts OpenDKIM when the socket changes and reloads Postfix, with the init scripts when systemd is not running', () => {
    const changes = computeChanges(debianState(), settings);
    expect(changes.services.map((s) => s.argv)).toEqual([
      ['/etc/init.d/opendkim', 'restart'],
      ['postfix', 'reload'],
    ]);
    expect(changes.rollbackServices.map((s) => s.argv)).toEqual([
      ['/etc/init.d/opendkim', 'restart'],
      ['postfix', 'reload'],
    ]);
  });

  it('changes nothing when the server already has every setting', () => {
    const first = computeChanges(debianState(), settings);
    const after: Record<string, string | null> = {};
    for (const f of first.files) after[f.path] = f.content;
    const state = debianState(after);
    state.dirs.set('/etc/opendkim', { path: '/etc/opendkim', exists: true, owner: 'root', group: 'root', mode: '755' });
    const second = computeChanges(state, settings);
    expect(second.files).toEqual([]);
    expect(second.changed).toBe(false);
    expect(buildPlan(second, { host: 'h', domain: 'example.test', interrupted: [] }).files).toEqual([]);
  });
});

describe('planning on other servers', () => {
  const singleKey = [
    'Syslog yes',
    'Domain   example.test',
    'KeyFile  /etc/dkimkeys/postfix.private',
    'Selector postfix',
    'Socket   inet:8892@localhost',
    '',
  ].join('\n');

  it('migrates a single-key config to tables and keeps its reachable socket', () => {
    const state = debianState({ '/etc/opendkim.conf': singleKey, '/etc/postfix/main.cf': `${fixture('debian-main.cf')}smtpd_milters = inet:127.0.0.1:8892\n` });
    const changes = computeChanges(state, settings);
    expect(changes.socket).toBe('inet:8892@localhost');
    const conf = changes.files.find((f) => f.path === '/etc/opendkim.conf')?.content ?? '';
    expect(conf).toContain('#Domain   example.test');
    expect(conf).toContain('#KeyFile  /etc/dkimkeys/postfix.private');
    expect(readOpendkimConf(conf).get('socket')).toBe('inet:8892@localhost');
    const main = changes.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '';
    expect(getParameter(main, 'smtpd_milters')).toBe('inet:127.0.0.1:8892');
    expect(getParameter(main, 'non_smtpd_milters')).toBe('inet:127.0.0.1:8892');
    // the socket did not change: OpenDKIM reloads (no gap), it is not restarted
    expect(changes.services[0]?.argv).toEqual(['/etc/init.d/opendkim', 'reload']);
  });

  it('keeps signing another domain of a single-key config with its old key', () => {
    const state = debianState({ '/etc/opendkim.conf': singleKey.replace('Domain   example.test', 'Domain   example.org') });
    const changes = computeChanges(state, settings);
    expect(changes.files.find((f) => f.path === '/etc/opendkim/signing.table')?.content).toBe(
      '*@example.org postfix._domainkey.example.org\n*@example.test s1._domainkey.example.test\n',
    );
  });

  it('keeps other milters and the content filter, and adds OpenDKIM after them', () => {
    const main = `${fixture('debian-main.cf')}smtpd_milters = inet:127.0.0.1:11332\nnon_smtpd_milters = inet:127.0.0.1:11332\nmilter_default_action = accept\ncontent_filter = smtp-amavis:[127.0.0.1]:10024\n`;
    const changes = computeChanges(debianState({ '/etc/postfix/main.cf': main }), settings);
    const out = changes.files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '';
    expect(getParameter(out, 'smtpd_milters')).toBe('inet:127.0.0.1:11332, inet:127.0.0.1:8891');
    expect(getParameter(out, 'content_filter')).toBe('smtp-amavis:[127.0.0.1]:10024');
  });

  it('reads non_smtpd_milters = $smtpd_milters as the list it expands to: OpenDKIM goes into smtpd_milters once, the reference stays', () => {
    // A common hand-written setup: "the same milters for sendmail". Adding OpenDKIM beside the
    // reference used to run it twice on every message from sendmail.
    for (const smtpd of ['inet:127.0.0.1:11332', '']) {
      const main = `${fixture('debian-main.cf')}${smtpd === '' ? '' : `smtpd_milters = ${smtpd}\n`}non_smtpd_milters = $smtpd_milters\n`;
      const out = computeChanges(debianState({ '/etc/postfix/main.cf': main }), settings).files.find((f) => f.path === '/etc/postfix/main.cf')?.content ?? '';
      expect(getParameter(out, 'smtpd_milters')).toBe(smtpd === '' ? 'inet:127.0.0.1:8891' : `${smtpd}, inet:127.0.0.1:8891`);
      expect(getParameter(out, 'non_smtpd_milters')).toBe('$smtpd_milters');
    }
    // Already there through the reference: main.cf's milter lists are left alone.
    const wired = `${fixture('debian-main.cf')}smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = \${smtpd_milters}\nmilter_default_action = accept\nmilter_protocol = 6\n`;
    const conf = fixture('debian-opendkim.conf').replace(/^Socket.*$/m, 'Socket inet:8891@localhost');
    const again = computeChanges(debianState({ '/etc/postfix/main.cf': wired, '/etc/opendkim.conf': conf }), settings);
    expect(again.files.find((f) => f.path === '/etc/postfix/main.cf')).toBeUndefined();
  });

  it('installs the packages first when OpenDKIM is missing, starting from a template', () => {
    const state = debianState({ '/etc/opendkim.conf': null }, { packages: { postfix: true, opendkim: false, 'opendkim-tools': false }, running: { postfix: true, opendkim: false } });
    const changes = computeChanges(state, settings);
    expect(changes.install).toEqual(['opendkim', 'opendkim-tools']);
    expect(changes.uninstall).toBe('purge');
    expect(changes.files.find((f) => f.path === '/etc/opendkim.conf')?.expect).toBe('any');
    // packages removed by rollback stop the service; no stop command that would fail afterwards
    expect(changes.rollbackServices.map((s) => s.label)).toEqual(['reload postfix']);
  });

  it('uses systemctl where systemd runs', () => {
    const changes = computeChanges(debianState({}, { systemd: true }), settings);
    expect(changes.services.map((s) => s.argv)).toEqual([
      ['systemctl', 'restart', 'opendkim'],
      ['systemctl', 'reload', 'postfix'],
    ]);
  });

  it('refuses a KeyTable it cannot edit', () => {
    expect(() => computeChanges(debianState({ '/etc/opendkim.conf': 'KeyTable db:/etc/opendkim/keys.db\n' }), settings)).toThrow(/cannot edit/);
  });
});

describe('several keys and Ed25519', () => {
  const dual: ChangeSettings = {
    ...settings,
    keys: [
      { selector: 's1', type: 'rsa', privateKeyPem: pem },
      { selector: 'e1', type: 'ed25519', privateKeyPem: edPem },
    ],
  };

  it('refuses an Ed25519 key beside RSA on OpenDKIM 2.11.0 Beta2, naming the field and the version, before anything is planned', () => {
    let error: unknown;
    try {
      computeChanges(debianState(), dual);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HomemailError);
    const he = error as HomemailError;
    expect(he.code).toBe('bad-input');
    expect(he.message).toMatch(/selector e1.*2\.11\.0~beta2-8\+deb12u1.*cannot add an Ed25519 signature beside the RSA one/s);
    expect(he.details).toMatchObject({ field: 'dkim', opendkimVersion: '2.11.0~beta2-8+deb12u1' });
    expect(he.hint).toMatch(/RSA key alone/);
  });

  it('refuses it too when OpenDKIM is not installed and apt would install Beta2', () => {
    const state = debianState({}, { packages: { opendkim: false, 'opendkim-tools': false, postfix: true }, opendkimBuild: { packageVersion: '2.11.0~beta2-8+deb12u1', filterVersionText: '' } });
    expect(() => computeChanges(state, dual)).toThrow(/cannot add an Ed25519 signature beside the RSA one/);
  });

  it('refuses it when nothing is known about the OpenDKIM build', () => {
    const state = debianState({}, { opendkimBuild: { packageVersion: null, filterVersionText: '' } });
    expect(() => computeChanges(state, dual)).toThrow(/version could not be read/);
  });

  it('on a build with per-key algorithms: the Ed25519 KeyTable entry names ed25519-sha256, both keys sign and the health check waits for both', () => {
    const state = debianState({}, { opendkimBuild: { packageVersion: '2.11.0-1', filterVersionText: BOOKWORM_OPENDKIM.filterVersionText } });
    const changes = computeChanges(state, dual);
    const keyTable = changes.files.find((f) => f.path === '/etc/opendkim/key.table')?.content ?? '';
    expect(keyTable).toContain('s1._domainkey.example.test example.test:s1:/etc/dkimkeys/s1.private\n');
    expect(keyTable).toContain('e1._domainkey.example.test example.test:e1:/etc/dkimkeys/e1.private:ed25519-sha256\n');
    const signing = changes.files.find((f) => f.path === '/etc/opendkim/signing.table')?.content ?? '';
    expect(signing.split('\n').filter((l) => l.startsWith('*@example.test '))).toHaveLength(2);
    expect(readOpendkimConf(changes.files.find((f) => f.path === '/etc/opendkim.conf')?.content ?? '').get('multiplesignatures')).toBe('yes');
    expect(changes.healthMail?.selectors).toEqual(['s1', 'e1']);
  });

  it('two RSA keys (rotation) sign side by side and the health check waits for both selectors', () => {
    const pem2 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const changes = computeChanges(debianState(), { ...settings, keys: [{ selector: 's1', type: 'rsa', privateKeyPem: pem }, { selector: 's2', type: 'rsa', privateKeyPem: pem2 }] });
    expect(changes.healthMail?.selectors).toEqual(['s1', 's2']);
    expect(changes.files.find((f) => f.path === '/etc/opendkim/key.table')?.content).not.toContain('sha256');
  });
});
