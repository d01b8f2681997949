import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBundle } from '../../../../main/server/engine/bundle.js';
import { findPlatform } from '../../../../main/server/platform/platforms.js';
import type { ChangeSet } from '../../../../main/server/engine/changeSet.js';
import { serviceCommand, postfixCommand } from '../../../../main/server/platform/serviceCommands.js';
import { parseGather } from '../../../../main/server/engine/state.js';
import { failureError, logEntry, newBackupId, parseScriptReport, rollbackOutcome } from '../../../../main/server/engine/transaction.js';
import { cliText } from '../../../../main/cli/language.js';
import { errorTexts } from '../../../../main/cli/main.js';
import { serializeError } from '../../../../shared/errors.js';
import { applyLogText, interruptedApplyText, serverReasonText } from '../../../../shared/i18n/keyedText.js';
import { dnsblProbeScript, inboundReadScript, inspectScript, sendTestScript, smtpdListenerScript, transactionScript } from '../../../../main/server/scripts/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const bookworm = (() => {
  const row = findPlatform({ id: 'debian', versionId: '12' });
  if (row === null) throw new Error('no Debian 12 row');
  return row;
})();

describe('the server-side scripts', () => {
  it('arrive as the .sh files\' text, which their shells parse (shellcheck runs in npm run lint)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hm-tx-'));
    for (const [name, text, shell] of [
      ['transaction.sh', transactionScript, 'dash'],
      ['inspect.sh', inspectScript, 'dash'],
      ['send-test.sh', sendTestScript, 'bash'],
      ['inbound-read.sh', inboundReadScript, 'dash'],
      ['dnsbl-probe.sh', dnsblProbeScript, 'dash'],
      ['smtpd-listener.sh', smtpdListenerScript, 'dash'],
    ] as const) {
      expect(text.startsWith('#!/bin/')).toBe(true);
      const file = path.join(dir, name);
      writeFileSync(file, text);
      execFileSync(shell, ['-n', file]);
    }
    expect(transactionScript).toContain("dpkg-query -W -f='${Package} ${Status}");
    // the production script has no way to inject a fault by itself: only a sent hook can
    expect(transactionScript).toMatch(/^fault_at\(\) \{ return 1; \}$/m);
    expect(transactionScript).not.toMatch(/kill -KILL|FAULT/);
  });
});

describe('service commands', () => {
  it('uses systemctl where systemd runs, the init script otherwise, else service', () => {
    expect(serviceCommand({ systemd: true, initScripts: { opendkim: true, postfix: true } }, 'opendkim', 'reload')).toEqual(['systemctl', 'reload', 'opendkim']);
    expect(serviceCommand({ systemd: false, initScripts: { opendkim: true, postfix: true } }, 'opendkim', 'restart')).toEqual(['/etc/init.d/opendkim', 'restart']);
    expect(serviceCommand({ systemd: false, initScripts: { opendkim: false, postfix: false } }, 'opendkim', 'start')).toEqual(['service', 'opendkim', 'start']);
    expect(postfixCommand({ systemd: true, initScripts: { opendkim: false, postfix: false } }, 'reload')).toEqual(['systemctl', 'reload', 'postfix']);
    expect(postfixCommand({ systemd: false, initScripts: { opendkim: false, postfix: true } }, 'start')).toEqual(['postfix', 'start']);
  });
});

const minimalChanges = (content: string, extra: Partial<ChangeSet> = {}): ChangeSet => ({
  files: [
    {
      path: '/etc/dkimkeys/s1.private',
      before: undefined,
      content,
      owner: 'opendkim',
      group: 'opendkim',
      mode: '0600',
      secret: true,
      expect: 'absent',
      why: { key: 'k', params: {}, text: 't' },
    },
  ],
  dirs: [],
  install: [],
  uninstall: 'purge',
  aliasesChanged: false,
  validate: [{ label: 'postfix check', argv: ['postfix', 'check'], words: { key: 'k', params: {}, text: 't' } }],
  services: [],
  rollbackServices: [],
  socket: 'inet:8891@127.0.0.1',
  milter: 'inet:127.0.0.1:8891',
  healthSocket: { kind: 'inet', port: 8891 },
  healthMail: { from: 'postmaster@example.test', to: "ad'min", domain: 'example.test', selectors: ['s1'] },
  notes: [],
  changed: true,
  ...extra,
});

describe('the bundle', () => {
  it('carries file bytes and every free-text word only as base64, one field per token', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIsecret\n-----END RSA PRIVATE KEY-----\n';
    const bundle = encodeBundle(minimalChanges(key), null, bookworm);
    expect(bundle).not.toContain('MIIsecret');
    expect(bundle).not.toContain("ad'min");
    const file = bundle.split('\n').find((l) => l.startsWith('file '))?.split(' ') ?? [];
    expect(file).toEqual(['file', b64('/etc/dkimkeys/s1.private'), 'opendkim', 'opendkim', '0600', 'absent', b64(key)]);
    expect(bundle).toContain(`validate ${b64('postfix check')} - ${b64('postfix')} ${b64('check')}`);
    expect(bundle.trimEnd().endsWith('end')).toBe(true);
    expect(bundle).not.toMatch(/^hook /m);
  });
  it('refuses owners or package names that are not plain tokens', () => {
    const changes = minimalChanges('x');
    (changes.files[0] as { owner: string }).owner = 'root; rm -rf /';
    expect(() => encodeBundle(changes, null, bookworm)).toThrow(/unusual value to the server: "root; rm -rf \/"/);
    expect(() => encodeBundle(minimalChanges('x', { install: ['opendkim $(x)'] }), null, bookworm)).toThrow(/unusual value to the server: "opendkim \$\(x\)"/);
  });
  it('carries a validation command\'s expected answer in base64 after its label', () => {
    const check = { label: 'map lookup', argv: ['postmap', '-q', 'a b', 'cidr:/etc/x'], words: { key: 'k', params: {}, text: 't' }, expect: 'OK yes' };
    const bundle = encodeBundle(minimalChanges('x', { validate: [check] }), null, bookworm);
    expect(bundle).toContain(`validate ${b64('map lookup')} ${b64('OK yes')} ${b64('postmap')} ${b64('-q')} ${b64('a b')} ${b64('cidr:/etc/x')}`);
  });
  it("installs with the platform row's command and takes the packages back with its purge or remove, argv in base64", () => {
    const words = (bundle: string, kind: string) => (bundle.split('\n').find((l) => l.startsWith(`${kind} `)) ?? '').split(' ').slice(1).map((w) => Buffer.from(w, 'base64').toString());
    const purged = encodeBundle(minimalChanges('x', { install: ['opendkim', 'opendkim-tools'], uninstall: 'purge' }), null, bookworm);
    expect(words(purged, 'install')).toEqual([...bookworm.packageCommands.install, 'opendkim', 'opendkim-tools']);
    expect(words(purged, 'uninstall')).toEqual([...bookworm.packageCommands.purge, 'opendkim', 'opendkim-tools']);
    const removed = encodeBundle(minimalChanges('x', { install: ['opendkim'], uninstall: 'remove' }), null, bookworm);
    expect(words(removed, 'uninstall')).toEqual([...bookworm.packageCommands.remove, 'opendkim']);
    // a made-up platform's own commands travel as they are: the script has none of its own
    const other = { ...bookworm, packageCommands: { install: ['pkg', 'add'], purge: ['pkg', 'delete', '--purge'], remove: ['pkg', 'delete'] } };
    expect(words(encodeBundle(minimalChanges('x', { install: ['opendkim'] }), null, other), 'install')).toEqual(['pkg', 'add', 'opendkim']);
    expect(words(encodeBundle(minimalChanges('x'), null, bookworm), 'install')).toEqual([]);
    expect(transactionScript).not.toMatch(/apt-get (install|purge|remove)/);
  });
  it('sends a test hook first, as base64, only when a test gives one', () => {
    expect(encodeBundle(minimalChanges('x'), { script: 'FAULT=drop:restart' }, bookworm).split('\n')[0]).toBe(`hook ${b64('FAULT=drop:restart')}`);
  });
});

describe('reading the script output', () => {
  it('parses the gather report, including recovered journals and a running apply', () => {
    const out = [
      'recovered 20260101-000000-aaaaaa undone',
      'HOMEMAIL-GATHER 1',
      `os-release ${b64('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')}`,
      'manager other',
      'initscript opendkim 1',
      'apt 1',
      'package opendkim 0',
      `opendkim-package ${b64('2.11.0~beta2-8+deb12u1')}`,
      `opendkim-filter ${b64('OpenDKIM Filter v2.11.0\n\tSupported signing algorithms:\n\t\trsa-sha256\n\t\ted25519-sha256\n')}`,
      'running postfix 1',
      `postconf queue_directory ${b64('/var/spool/postfix')}`,
      `users ${b64('root admin ')}`,
      `file ${b64('/etc/postfix/main.cf')} 1 root root 644 1700000000 abc ${b64('a = 1\n')}`,
      `file ${b64('/etc/dkimkeys/s.private')} 1 opendkim opendkim 600 1700000000 def -`,
      `file ${b64('/etc/opendkim.conf')} 0 - - - 0 - -`,
      `dir ${b64('/etc/dkimkeys')} 1 opendkim opendkim 700 1`,
      'journal 20260102-000000-bbbbbb unfinished write',
      'busy 4242',
      'end',
    ].join('\n');
    const state = parseGather(out);
    expect(state.files.get('/etc/postfix/main.cf')).toMatchObject({ exists: true, mode: '644', sha256: 'abc', content: 'a = 1\n' });
    expect(state.files.get('/etc/dkimkeys/s.private')).toMatchObject({ exists: true, content: null, sha256: 'def' });
    expect(state.files.get('/etc/opendkim.conf')?.exists).toBe(false);
    expect(state.packages.opendkim).toBe(false);
    expect(state.opendkimBuild.packageVersion).toBe('2.11.0~beta2-8+deb12u1');
    expect(state.opendkimBuild.filterVersionText).toContain('ed25519-sha256');
    expect(state.users).toEqual(['root', 'admin']);
    expect(state.platform.id).toBe('debian-12');
    expect(state.interrupted.map((i) => [i.backupId, i.outcome])).toEqual([
      ['20260101-000000-aaaaaa', 'undone'],
      ['20260102-000000-bbbbbb', 'pending'],
    ]);
    // what became of them, from the catalogs: English for --json, each door in its language
    expect(state.interrupted[0]?.text).toBe('An earlier apply (20260101-000000-aaaaaa) was interrupted before it finished; its changes have been undone.');
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    expect(interruptedApplyText(ja, state.interrupted[0]!)).toBe('前回の適用(20260101-000000-aaaaaa)は完了前に中断していました。その変更は取り消しました。');
    expect(applyLogText(ja, { stage: 'gather', status: 'info', text: state.interrupted[1]!.text, interrupted: state.interrupted[1]! })).toBe('前回の適用(20260102-000000-bbbbbb)は完了していません。次の適用で、先に完了させるか取り消します。');
    expect(state.busy).toBe(4242);
  });
  it('refuses a cut-off gather report', () => {
    expect(() => parseGather('HOMEMAIL-GATHER 1\nmanager other\n')).toThrow(/did not answer/);
  });
  it('parses the apply report: stages, failure reason, result', () => {
    const report = parseScriptReport(['STAGE check', 'STAGE packages', `FAIL validate ${b64('postfix check: bad')}`, `WARN ${b64('w')}`, `RESULT rolled-back validate ${b64('postfix check: bad')}`].join('\n'));
    expect(report.status).toBe('rolled-back');
    expect(report.stage).toBe('validate');
    expect(report.reason).toBe('postfix check: bad');
    expect(report.warnings).toEqual([{ key: '', params: {}, text: 'w' }]);
    expect(report.log.map((e) => `${e.stage}:${e.status}`)).toEqual(['check:start', 'packages:start', 'validate:failed']);
  });
  it('reads a reason the script gives as a code with params, for each door to render', () => {
    const reason = ['notSigned', 'msgid=abc@mail.example.jp', 'selectors= s=s1', 'domain=example.jp'].join('\t');
    const report = parseScriptReport([`FAIL health ${b64(reason)}`, `RESULT rolled-back health ${b64(reason)}`].join('\n'));
    expect(report.reason).toBe('the test message (Message-ID <abc@mail.example.jp>) was not signed with s=s1, d=example.jp within 30 seconds');
    expect(report.reasonSentence).toEqual({ key: 'notSigned', params: { msgid: 'abc@mail.example.jp', selectors: ' s=s1', domain: 'example.jp' } });
    expect(report.log.at(-1)?.text).toBe(report.reason);
    const error = serializeError(failureError(report, '20261130-010203-abcdef'));
    expect(errorTexts(error, cliText({ LANG: 'ja_JP.UTF-8' })).message).toBe(
      '動作確認の段階で適用に失敗しました: テストメール(Message-ID <abc@mail.example.jp>)が 30 秒以内に s=s1、d=example.jp で署名されませんでした。サーバーはバックアップ 20261130-010203-abcdef から元に戻しました。',
    );
  });
  it('writes its progress lines from the catalog: the English text is the English door\'s line, the same entry reads in Japanese', () => {
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const en = cliText({ LANG: 'C' });
    const send = logEntry('send', 'start', { backup: '20261130-010203-abcdef' });
    expect(send).toEqual({ stage: 'send', status: 'start', params: { backup: '20261130-010203-abcdef' }, text: 'Applying as one transaction (backup 20261130-010203-abcdef)' });
    expect(applyLogText(ja, send)).toBe('ひとまとまりの処理として適用しています(バックアップ 20261130-010203-abcdef)');
    expect(logEntry('gather', 'start').text).toBe(applyLogText(en, { stage: 'gather', status: 'start', text: '' }));
    expect(applyLogText(ja, logEntry('gather', 'start'))).toBe('サーバーの設定を読んでいます');
    expect(logEntry('done', 'ok').text).toBe('Finished');
    // a stage without a line of its own: its stage and status words
    const report = parseScriptReport(['STAGE check 1700000000000', 'STAGE health-ok 1700000000500'].join('\n'));
    expect(report.log).toEqual([
      { stage: 'check', status: 'start', text: 'Checking: started', atMs: 1700000000000 },
      { stage: 'health', status: 'ok', text: 'Health check passed', atMs: 1700000000500 },
    ]);
    expect(applyLogText(ja, report.log[1]!)).toBe('動作確認に合格しました');
  });
  it('gives a warning\'s and a failed stage\'s reason as a code each door renders', () => {
    const report = parseScriptReport([`WARN ${b64('noMailLogToConfirm')}`, `FAIL write ${b64(['cannotWrite', 'path=/etc/postfix/main.cf'].join('\t'))}`].join('\n'));
    expect(report.warnings).toEqual([{ key: 'noMailLogToConfirm', params: {}, text: "there is no mail log to confirm the test message's signature" }]);
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    expect(serverReasonText(ja, report.warnings[0]!)).toBe('テストメールの署名を確かめられるメールログがありません');
    expect(applyLogText(ja, report.log.at(-1)!)).toBe('/etc/postfix/main.cf に書き込めません');
    expect(applyLogText(cliText({ LANG: 'C' }), report.log.at(-1)!)).toBe('cannot write /etc/postfix/main.cf');
  });
  it('says why a restore did not happen in the person\'s language: the rollback mode\'s reasons as codes', () => {
    const result = (line: string) => ({ code: 0, stdout: `${line}\n`, stderr: '' });
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const said = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        const serialized = serializeError(error);
        return { code: serialized.code, en: serialized.message, ja: errorTexts(serialized, ja).message, hint: errorTexts(serialized, ja).hint };
      }
      throw new Error('no error');
    };
    expect(rollbackOutcome(result('RESULT ok 20261130-010203-abcdef'), null)).toEqual({ backupId: '20261130-010203-abcdef', restored: true, interrupted: [] });
    expect(said(() => rollbackOutcome(result(`RESULT not-found - ${b64('noBackupToRestore')}`), null))).toMatchObject({
      code: 'not-found',
      en: 'Nothing to restore: there is no backup of a finished apply to restore.',
      ja: '復元できません: 復元できるバックアップ(完了した適用のもの)がありません。',
      hint: 'バックアップはサーバーの /var/backups/homemail/ にあります。一覧を表示して選んでください(homemail rollback --list)。',
    });
    expect(said(() => rollbackOutcome(result(`RESULT not-found 20261130-010203-abcdef ${b64('backupWasUndone\tid=20261130-010203-abcdef')}`), '20261130-010203-abcdef')).ja).toBe(
      '復元できません: バックアップ 20261130-010203-abcdef の適用は、失敗した時点ですでに取り消されています。',
    );
    expect(said(() => rollbackOutcome(result(`RESULT busy - ${b64('applyRunning')}`), null))).toMatchObject({ code: 'command-failed', ja: 'サーバーは処理中です: このサーバーでは別の Homemail の適用が実行中です。' });
    const failed = said(() => rollbackOutcome(result(`RESULT restore-failed 20261130-010203-abcdef ${b64('restoreFailed\toutput=Job for postfix.service failed.')}`), null));
    expect(failed.en).toBe('Restoring backup 20261130-010203-abcdef failed: some files or services could not be put back: Job for postfix.service failed..');
    expect(failed.ja).toBe('バックアップ 20261130-010203-abcdef の復元に失敗しました: 一部のファイルまたはサービスを元に戻せませんでした: Job for postfix.service failed.。');
  });
  it('reads the warning that no smtpd takes port-25 mail as a code, rendered in each language', () => {
    const coded = ['smtpdNotListening', 'path=/etc/letsencrypt/live/mail.example.jp/fullchain.pem', 'services=2525'].join('\t');
    const report = parseScriptReport([`WARN ${b64(coded)}`, 'RESULT ok'].join('\n'));
    expect(report.warnings).toEqual([{ key: 'smtpdNotListening', params: { path: '/etc/letsencrypt/live/mail.example.jp/fullchain.pem', services: '2525' }, text: expect.stringContaining('smtpd takes no mail on port 25') }]);
    const ja = serverReasonText(cliText({ LANG: 'ja_JP.UTF-8' }), report.warnings[0] ?? { key: '', params: {}, text: '' });
    expect(ja).toContain('smtpd はポート 25 でメールを受け付けていません');
    expect(ja).toContain('2525');
  });
  it('carries the smtpd listener script with the certificate health check', () => {
    const line = encodeBundle({ ...minimalChanges('x'), healthCertificate: { certificate: '/etc/letsencrypt/live/a/fullchain.pem' } }, null, bookworm).split('\n').find((l) => l.startsWith('health-certificate ')) ?? '';
    const [, cert = '', listener = ''] = line.split(' ');
    expect(Buffer.from(cert, 'base64').toString()).toBe('/etc/letsencrypt/live/a/fullchain.pem');
    expect(Buffer.from(listener, 'base64').toString()).toBe(smtpdListenerScript);
  });
  it('makes sortable backup ids from the clock', () => {
    expect(newBackupId(new Date('2026-11-28T09:05:07Z'))).toMatch(/^20261128-090507-[0-9a-f]{6}$/);
  });
});
