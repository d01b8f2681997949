// @vitest-environment jsdom
// The server step's login part: "my SSH agent or my usual keys" asks for a key's passphrase
// only after main reported that a key in ~/.ssh needs one (ssh-no-login-method).
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ServerStep } from '../../../renderer/src/steps/ServerStep.js';
import { calls, fail, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { renderStep } from './render.js';

const hostKey = { host: 'mail.example.jp', port: 22, keyType: 'ED25519', bits: 256, fingerprint: `SHA256:${'A'.repeat(43)}` };
const keyFile = '/home/me/.ssh/id_ed25519';

useFakeBridgeInEachTest();

describe('server step: login with the usual keys', () => {
  it('shows no passphrase field at first, asks for the one key that needs it, and sends it', async () => {
    fake('connectServer', (input) =>
      input.passphrase === 'my phrase'
        ? ok({ status: 'connected', sessionId: 'session-0123456789abcdef', target: { user: 'admin', host: 'mail.example.jp', port: 22 }, hostKey })
        : fail({ code: 'ssh-no-login-method', message: `${keyFile} is protected by a passphrase and none was given; it was skipped.`, details: { needsPassphrase: keyFile, serverMethods: 'publickey' } }),
    );
    const goNext = vi.fn();
    await renderStep(<ServerStep goNext={goNext} />);
    fireEvent.change(screen.getByLabelText('SSH server'), { target: { value: 'admin@mail.example.jp' } });
    fireEvent.click(screen.getByLabelText('My SSH agent or my usual keys'));
    expect(screen.queryByLabelText(/passphrase/i)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('ssh-no-login-method');
    fireEvent.change(screen.getByLabelText(`Passphrase of ${keyFile}`), { target: { value: 'my phrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(goNext).toHaveBeenCalledOnce());
    expect(calls.map((c) => c.input)).toEqual([{ target: 'admin@mail.example.jp' }, { target: 'admin@mail.example.jp', passphrase: 'my phrase' }]);
  });

  it('says in Japanese what to do when no login method fits', async () => {
    fake('connectServer', () => fail({ code: 'ssh-no-login-method', message: 'Nothing was offered to the server.', details: { needsPassphrase: null, serverMethods: 'publickey' } }));
    await renderStep(<ServerStep goNext={() => undefined} />, { language: 'ja' });
    fireEvent.change(screen.getByLabelText('SSH サーバー'), { target: { value: 'admin@mail.example.jp' } });
    fireEvent.click(screen.getByRole('button', { name: '接続' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('サーバーが受け付けるログイン方法がありません');
    expect(alert.textContent).toContain('ssh-agent に読み込む');
    expect(screen.queryByLabelText(/パスフレーズ/)).toBeNull();
  });
});
