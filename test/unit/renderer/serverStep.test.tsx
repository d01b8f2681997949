// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ServerStep } from '../../../renderer/src/steps/ServerStep.js';
import { calls, fail, fake, ok, pendingUntilCancelled, useFakeBridgeInEachTest } from './fakeBridge.js';
import { renderStep } from './render.js';
import ja from '../../../renderer/src/locales/ja.json' with { type: 'json' };

const hostKey = { host: 'mail.example.jp', port: 22, keyType: 'ED25519', bits: 256, fingerprint: `SHA256:${'A'.repeat(43)}` };

useFakeBridgeInEachTest();

function fillServer(target = 'admin@mail.example.jp:2222') {
  fireEvent.change(screen.getByLabelText('SSH server'), { target: { value: target } });
  fireEvent.click(screen.getByLabelText('A password'));
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret pass' } });
}

describe('server step', () => {
  it('says why a server address is refused beside the field, in Japanese', async () => {
    await renderStep(<ServerStep goNext={vi.fn()} />, { language: 'ja' });
    fireEvent.change(screen.getByRole('textbox', { name: ja.server.targetLabel }), { target: { value: 'admin@mail.example.jp:70000' } });
    const problem = document.querySelector('.field-problem')?.textContent ?? '';
    expect(problem).toContain('ポートは 1 から 65535 までの数で指定してください(「70000」は使えません)。');
    expect(problem).not.toMatch(/The port must/);
  });

  it('shows the host key for consent, connects with the accepted fingerprint, and saves the server without the password', async () => {
    fake('connectServer', (input) =>
      input.acceptFingerprint ? ok({ status: 'connected', sessionId: 'session-0123456789abcdef', target: { user: 'admin', host: 'mail.example.jp', port: 2222 }, hostKey }) : ok({ status: 'confirm-host-key', hostKey }),
    );
    const goNext = vi.fn();
    await renderStep(<ServerStep goNext={goNext} />);
    fillServer();
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByTestId('host-fingerprint')).toHaveProperty('textContent', hostKey.fingerprint);
    expect(goNext).not.toHaveBeenCalled();
    // Kept by the field for the consent's second attempt, never in the DOM (no value attribute).
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('s3cret pass');
    expect(document.body.innerHTML).not.toContain('s3cret');
    fireEvent.click(screen.getByRole('button', { name: 'Yes, this is my server: connect' }));
    await waitFor(() => expect(goNext).toHaveBeenCalledOnce());
    expect(calls.map((c) => c.input)).toEqual([
      { target: 'admin@mail.example.jp:2222', password: 's3cret pass' },
      { target: 'admin@mail.example.jp:2222', password: 's3cret pass', acceptFingerprint: hostKey.fingerprint },
    ]);
    const saved = window.localStorage.getItem('homemail.profiles') ?? '';
    expect(JSON.parse(saved)).toMatchObject([{ sshTarget: 'admin@mail.example.jp:2222', loginMethod: 'password' }]);
    expect(saved).not.toContain('s3cret');
    expect(saved).not.toContain('session-');
  });

  it('refuses a malformed address before calling anything', async () => {
    await renderStep(<ServerStep goNext={() => undefined} />);
    fillServer('admin@mail example');
    expect(screen.getByText(/does not look like a server address/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);
    expect(calls).toEqual([]);
  });

  it('stops at a changed host key: a full-stop warning and no way to accept it', async () => {
    fake('connectServer', () => fail({ code: 'host-key-changed', message: 'The host key of mail.example.jp has changed.', hint: 'Remove the old line from known_hosts.', details: { host: 'mail.example.jp', port: 22, fingerprint: `SHA256:${'B'.repeat(43)}` } }));
    await renderStep(<ServerStep goNext={() => undefined} />);
    fillServer();
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('heading', { name: "Stop: the server's identity has changed" })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /this is my server/ })).toBeNull();
    // The service's command-line advice (edit known_hosts) gives way to the wizard's own way: confirm, then forget.
    expect(screen.queryByText('Remove the old line from known_hosts.')).toBeNull();
    expect(screen.getByText('The server really has a new key: confirm it and forget the old one')).toBeTruthy();
  });

  it('says what to do next when login is refused, in Japanese too', async () => {
    fake('connectServer', () => fail({ code: 'auth-failed', message: 'admin@mail.example.jp refused the password.' }));
    await renderStep(<ServerStep goNext={() => undefined} />, { language: 'ja' });
    fireEvent.change(screen.getByLabelText('SSH サーバー'), { target: { value: 'admin@mail.example.jp' } });
    fireEvent.click(screen.getByRole('button', { name: '接続' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('auth-failed');
    expect(alert.textContent).toContain('ユーザー名、パスワードまたは鍵ファイル');
    expect(screen.getByRole('button', { name: 'もう一度' })).toBeTruthy();
  });

  it('shows progress while connecting and can be cancelled', async () => {
    fake('connectServer', (_input, hooks) => pendingUntilCancelled(hooks));
    await renderStep(<ServerStep goNext={() => undefined} />);
    fillServer();
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Connecting to admin@mail.example.jp:2222…')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Cancelled.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connect' })).toBeTruthy();
  });
});
