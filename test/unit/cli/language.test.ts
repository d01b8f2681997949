// The CLI's words come from the wizard's catalogs and follow LANG / LC_MESSAGES / LC_ALL.
import { describe, expect, it } from 'vitest';
import { backupLines } from '../../../main/cli/commands/rollback.js';
import { cliLanguage, cliText } from '../../../main/cli/language.js';
import { formatPlan } from '../../../main/cli/planText.js';
import { backupList } from '../renderer/fixtures.js';
import { runCliCaptured } from '../../support/cli.js';


describe('CLI language', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(cliLanguage({ LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(cliLanguage({ LANG: 'ja_JP.UTF-8', LC_MESSAGES: 'C' })).toBe('en');
    expect(cliLanguage({ LANG: 'en_US.UTF-8', LC_ALL: 'ja_JP.eucJP' })).toBe('ja');
    expect(cliLanguage({ LANG: 'C.UTF-8' })).toBe('en');
    expect(cliLanguage({})).toBe('en');
    expect(cliLanguage({ LANG: 'jam_JM' })).toBe('en');
  });

  it('lists backups in Japanese under LANG=ja_JP.UTF-8', () => {
    expect(backupLines(backupList, cliText({ LANG: 'ja_JP.UTF-8' }))).toEqual([
      '20261130-031500-a1b2c3  2026-11-30 03:15 UTC  [適用中]  /etc/postfix/main.cf, /etc/postfix/homemail_client_allow (この変更で作成), /etc/dkimkeys/202611.private (この変更で作成), この変更でインストールしたパッケージを削除します: opendkim',
      '20261129-120000-000000  2026-11-29 12:00 UTC  [元に戻し済み]  /etc/opendkim.conf',
    ]);
    expect(backupLines(backupList, cliText({ LANG: 'en_US.UTF-8' }))[0]).toContain('[in place]');
    expect(backupLines({ root: '/var/backups/homemail', backups: [] }, cliText({ LANG: 'ja_JP.UTF-8' }))).toEqual(['Homemail はまだこのサーバーを変更していません。戻すものはありません。']);
  });

  it('renders a service\'s plan sentence from the catalog', () => {
    const note = { key: 'inboundMainCfLists', params: { zones: 'all.rbl.jp' }, text: 'Postfix: remove the dead DNS lists all.rbl.jp.' };
    expect(cliText({ LANG: 'ja_JP.UTF-8' }).keyed('plan', note)).toBe('Postfix: 動いていない DNS リスト all.rbl.jp を外します。');
    expect(cliText({ LANG: 'en_GB.UTF-8' }).keyed('plan', note)).toBe(note.text);
  });

  it('prints a plan\'s sentences in Japanese under LANG=ja_JP.UTF-8', () => {
    const why = { key: 'inboundMainCfLists', params: { zones: 'all.rbl.jp' }, text: 'Postfix: remove the dead DNS lists all.rbl.jp.' };
    const plan = {
      host: 'mail.example.jp', domain: 'example.jp', changed: true, backedUp: [], notes: [], opendkimSocket: '', milter: '', interrupted: [],
      files: [{ path: '/etc/postfix/main.cf', kind: 'modify' as const, owner: 'root', group: 'root', mode: '0644', secret: false, diff: '-a\n+b\n', why }],
      commands: [{ kind: 'validate' as const, command: 'postfix check', words: { key: 'validatePostfix', params: {}, text: 'Check the Postfix configuration (postfix check, postconf warnings).' } }],
    };
    const text = cliText({ LANG: 'ja_JP.UTF-8' });
    const printed = formatPlan(plan, text);
    expect(printed).toContain('== 編集 /etc/postfix/main.cf(root:root 0644) — Postfix: 動いていない DNS リスト all.rbl.jp を外します。');
    expect(printed).toContain('1. Postfix の設定を検査します(postfix check と postconf の警告)。');
    expect(printed).toContain('mail.example.jp(example.jp)への変更: ファイル 1 件、コマンド 1 件。');
    const english = formatPlan(plan, cliText({ LANG: 'C' }));
    expect(english).toContain('== edit /etc/postfix/main.cf (root:root 0644) — Postfix: remove the dead DNS lists all.rbl.jp.');
    expect(english).toContain('Plan for mail.example.jp (example.jp): 1 file(s), 1 command(s).');
  });

  it('says a refused input in Japanese, and in English as before', async () => {
    const ja = await runCliCaptured(['rollback', '--ssh', 'admin@mail.example.jp', '--backup', 'not an id!'], { env: { LANG: 'ja_JP.UTF-8' } });
    expect(ja.code).toBe(2);
    expect(ja.err).toContain('homemail rollback: 入力内容を確認してください: ');
    expect(ja.err).toContain('次にすること: 示された値を直して、もう一度試してください。');
    const en = await runCliCaptured(['rollback', '--ssh', 'admin@mail.example.jp', '--backup', 'not an id!'], { env: { LANG: 'C' } });
    expect(en.code).toBe(2);
    expect(en.err).toMatch(/^homemail rollback: "not an id!" is not a Homemail backup id\./);
  });
});
