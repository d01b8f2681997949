// SSH failures cross as codes with params: the CLI renders them in LANG's language with its
// options, the wizard (test/unit/renderer/errorNotice.test.tsx) with its field labels.
import { describe, expect, it } from 'vitest';
import { errorTexts } from '../../../main/cli/main.js';
import { cliText } from '../../../main/cli/language.js';
import { commandFailure } from '../../../main/services/ssh/commandFailure.js';
import { connectionError } from '../../../main/services/ssh/connect.js';
import { keyFileError } from '../../../main/services/ssh/privateKey.js';
import { notVisibleSentences } from '../../../main/services/verify/publishGate.js';
import { checkText } from '../../../shared/checks.js';
import { keyedError, serializeError } from '../../../shared/errors.js';

const target = { user: 'admin', host: 'mail.example.jp', port: 2222 };
const ja = cliText({ LANG: 'ja_JP.UTF-8' });
const en = cliText({ LANG: 'en_US.UTF-8' });

describe('SSH errors as codes', () => {
  it('keeps the English message and hint for --json and logs, and adds the codes beside them', () => {
    const error = serializeError(connectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), target, 10_000));
    expect(error).toMatchObject({
      code: 'ssh-refused',
      message: 'Connection refused by mail.example.jp port 2222: nothing listens there.',
      hint: 'Check the port (SSH is usually 22) and that the SSH server is running.',
      sentence: { key: 'connectRefused', params: { host: 'mail.example.jp', port: 2222 } },
      hintSentence: { key: 'checkPort', params: {} },
    });
  });

  it('renders message and hint in Japanese under LANG=ja_JP.UTF-8', () => {
    const error = serializeError(connectionError(Object.assign(new Error('timed out'), { level: 'client-timeout' }), target, 10_000));
    expect(errorTexts(error, ja)).toEqual({
      message: 'mail.example.jp のポート 2222 から 10 秒以内に応答がありませんでした。',
      hint: 'アドレスとポート、ファイアウォールが SSH を通すかを確認してください。',
    });
    expect(errorTexts(error, en).message).toBe('mail.example.jp port 2222 did not answer within 10 s.');
  });

  it('names the field a hint points at by the CLI\'s option, not the wizard\'s label', () => {
    const error = serializeError(keyFileError('/home/me/.ssh/missing', 'ENOENT'));
    expect(errorTexts(error, ja).message).toBe('秘密鍵ファイル /home/me/.ssh/missing がありません。');
    const legacy = serializeError(connectionError(Object.assign(new Error('no matching host key format'), { level: 'handshake' }), target, 10_000));
    expect(errorTexts(legacy, en).hint).toContain('(--allow-legacy-algorithms)');
    expect(errorTexts(legacy, ja).hint).toContain('(--allow-legacy-algorithms)');
    // --json's English hint names no CLI option: it is the same text the wizard would show.
    expect(legacy.hint).not.toContain('CLI');
  });

  it('says in Japanese why apply waits for DNS, selector by selector', () => {
    const gate = { domain: 'example.jp', allVisible: false, problem: null, selectors: [{ selector: 's1', name: 's1._domainkey.example.jp', visible: 'no' as const, servers: [{ server: 'ns1.example.jp', answer: checkText('gateNoRecord'), visible: 'no' as const }] }] };
    const error = serializeError(keyedError('checks-failed', { key: 'notVisibleYet', params: {} }, { notes: notVisibleSentences(gate), hint: { key: 'publishThenApply', params: {} } }));
    expect(error.message).toBe('Not applied: the DKIM record is not visible yet at your DNS servers.\ns1._domainkey.example.jp: not visible yet at ns1.example.jp.');
    expect(errorTexts(error, ja)).toEqual({
      message: '適用していません: DKIM レコードがまだ DNS サーバーから見えません。\ns1._domainkey.example.jp: ns1.example.jp ではまだ見えません。',
      hint: 'DNS レコードを公開し、確認で見えるようになってから、もう一度適用してください。',
    });
  });

  it('falls back to the English message for an error that has no code yet', () => {
    expect(errorTexts({ code: 'internal', message: 'Unexpected error: x', hint: 'Please report this.' }, ja)).toEqual({ message: 'Unexpected error: x', hint: 'Please report this.' });
  });
});

describe('a failed server command', () => {
  it('gives its exit status as a coded note in both languages and its stderr as quoted output, never an English "exit N"', () => {
    const silent = serializeError(keyedError('command-failed', { key: 'postconfNoAnswer', params: { host: 'mail.example.jp' } }, { hint: { key: 'isPostfixInstalled', params: {} }, ...commandFailure({ stderr: '  \n', code: 127 }) }));
    expect(silent.message).toBe('postconf did not answer on mail.example.jp.\nThe command ended with exit status 127.');
    expect(silent.output).toBeUndefined();
    expect(errorTexts(silent, ja).message).toBe('mail.example.jp で postconf が応答しませんでした。\nコマンドは終了コード 127 で終了しました。');
    expect(errorTexts(silent, en).message).toBe(silent.message);
    const said = serializeError(keyedError('command-failed', { key: 'sendTestUnfinished', params: { host: 'mail.example.jp' } }, commandFailure({ stderr: `bash: base64: command not found\n${'x'.repeat(400)}`, code: 1 })));
    expect(errorTexts(said, ja).message).toBe('mail.example.jp でテスト送信のスクリプトが最後まで終わりませんでした。\nコマンドは終了コード 1 で終了しました。');
    expect(said.output).toMatch(/^bash: base64: command not found\nx+$/);
    expect(said.output).toHaveLength(300);
  });
});
