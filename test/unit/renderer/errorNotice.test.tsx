// @vitest-environment jsdom
// An error notice in the wizard: the service's sentence and hint from their codes, in the
// person's language, a field named by its label; a program's own output only as labelled,
// quoted technical output, never an English sentence of ours.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorNotice } from '../../../renderer/src/components/ErrorNotice.js';
import { renderStep } from './render.js';

afterEach(cleanup);

describe('error notice', () => {
  it('renders a keyed SSH error and its hint in Japanese, the field by its label', async () => {
    await renderStep(
      <ErrorNotice
        error={{
          code: 'ssh-no-login-method',
          message: 'Homemail had no way to log in…',
          hint: 'Give a private key (Key file), start ssh-agent with your key, or give the password.',
          sentence: { key: 'noLoginMethod', params: { user: 'admin', host: 'mail.example.jp', accepts: 'publickey' } },
          notes: [{ key: 'identityNeedsPassphrase', params: { file: '/home/me/.ssh/id_ed25519' } }],
          hintSentence: { key: 'giveLogin', params: { field: 'identity' } },
        }}
      />,
      { language: 'ja' },
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('admin@mail.example.jp にログインする手段がありません。');
    expect(alert.textContent).toContain('/home/me/.ssh/id_ed25519 はパスフレーズで保護されていますが');
    expect(alert.textContent).toContain('秘密鍵を指定するか(鍵ファイル)');
    expect(alert.textContent).not.toMatch(/Give a private key|-i FILE|--password-stdin/);
    expect(alert.querySelector('details.technical')).toBeNull();
  });

  it('shows the output of a server command as quoted technical output, and no English hint', async () => {
    await renderStep(
      <ErrorNotice
        error={{ code: 'command-failed', message: 'Could not read the report mailbox.', hint: 'Run homemail apply --json', sentence: { key: 'reportMailboxUnreadable', params: {} }, output: 'cat: /var/mail/dmarc: Permission denied' }}
      />,
      { language: 'ja' },
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('レポートのメールボックスを読めませんでした。');
    expect(alert.querySelector('details.technical summary')?.textContent).toBe('技術的な詳細(サーバーやプログラムが出力したまま)');
    expect(alert.querySelector('details.technical pre')?.textContent).toBe('cat: /var/mail/dmarc: Permission denied');
    expect(alert.textContent).not.toContain('Run homemail apply');
  });

  it('says the problem of a refused value in the chosen language, the field by its label', async () => {
    await renderStep(
      <ErrorNotice error={{ code: 'bad-input', message: 'x', details: { field: 'relay' }, sentence: { namespace: 'validation', key: 'relayPort', params: { value: '0' } } }} />,
      { language: 'ja' },
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('ポートは 1 から 65535 までの数で指定してください(0 は使えません)。');
    expect(alert.textContent).toContain('リレー先(スマートホスト)');
  });

  it('names a field inside a list by the label of its list', async () => {
    await renderStep(
      <ErrorNotice error={{ code: 'bad-input', message: 'x', details: { field: 'dkim.0.selector' }, sentence: { namespace: 'validation', key: 'selectorChars', params: { value: 'a b' } } }} />,
      { language: 'ja' },
    );
    expect(screen.getByRole('alert').textContent).toContain('DKIM 鍵');
    expect(screen.getByRole('alert').textContent).not.toContain('dkim.0.selector');
  });
});
