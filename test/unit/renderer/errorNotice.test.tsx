// @vitest-environment jsdom
// An error notice in the wizard: the service's sentence and hint from their codes, in the
// person's language, a field named by its label; only a hint without a code stays demoted.
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

  it('still demotes a hint that has no code', async () => {
    await renderStep(<ErrorNotice error={{ code: 'command-failed', message: 'x', hint: 'Run homemail apply --json' }} />, { language: 'ja' });
    expect(screen.getByRole('alert').querySelector('details.technical')?.textContent).toContain('Run homemail apply');
  });
});
