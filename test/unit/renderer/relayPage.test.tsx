// @vitest-environment jsdom
// The relay page against a fake bridge: presets, the password field that is never shown
// back, the plan with the password file named but not shown, apply after confirmation and
// the SPF include handed to the records step. The real back end is in the e2e suite.
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/plan.js';
import { RelayPage } from '../../../renderer/src/pages/RelayPage.js';
import { useWizard } from '../../../renderer/src/wizard/state.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { appliedResult } from './fixtures.js';
import { renderStep } from './render.js';

const sessionId = 'session-0123456789abcdef';
const PASSWORD = 'relay Pa55:word';
useFakeBridgeInEachTest();

const plan: Plan = {
  host: 'mail.example.jp',
  domain: 'example.jp',
  changed: true,
  files: [
    { path: '/etc/postfix/sasl_passwd', kind: 'create', owner: 'root', group: 'root', mode: '0600', secret: true, password: true, diff: 'create /etc/postfix/sasl_passwd (password, not shown)\n', why: { key: 'relayPasswordFile', params: {}, text: 'The relay login (user and password), readable by root only.' } },
    { path: '/etc/postfix/main.cf', kind: 'modify', owner: 'root', group: 'root', mode: '0644', secret: false, diff: '--- a/etc/postfix/main.cf\n+++ b/etc/postfix/main.cf\n+relayhost = [smtp.gmail.com]:587\n', why: { key: 'relayMainCf', params: { relay: '[smtp.gmail.com]:587' }, text: 'Postfix: send outgoing mail through [smtp.gmail.com]:587, logged in (SASL) over TLS.' } },
  ],
  commands: [{ kind: 'health-check', command: 'sendmail -bv me@example.jp', words: { key: 'healthCheckRelay', params: { relay: '[smtp.gmail.com]:587', recipient: 'me@example.jp' }, text: '…' } }],
  backedUp: ['/etc/postfix/main.cf'],
  notes: [],
  opendkimSocket: '',
  milter: '',
  interrupted: [],
};
const applied = appliedResult(plan, '20261130-061500-a1b2c3');

function Include() {
  const { values } = useWizard();
  return <output data-testid="include">{values.relayInclude}</output>;
}

describe('relay page', () => {
  it('plans a preset with the login, shows the password file without content, applies after confirmation, clears the password and hands the SPF include on (Japanese)', async () => {
    fake('planRelay', () => ok(plan));
    fake('applyRelay', () => ok({ result: applied }));
    await renderStep(
      <>
        <RelayPage sessionId={sessionId} />
        <Include />
      </>,
      { values: { sessionId, domain: 'example.jp' }, language: 'ja' },
    );
    fireEvent.click(screen.getByLabelText('Gmail / Google Workspace'));
    fireEvent.change(screen.getByLabelText('ログイン名'), { target: { value: 'me@example.jp' } });
    const password = screen.getByLabelText('パスワード') as HTMLInputElement;
    expect(password.type).toBe('password');
    fireEvent.change(password, { target: { value: PASSWORD } });
    // Held by the field alone: not in the DOM (a controlled input would mirror it into its value attribute).
    expect(document.body.innerHTML).not.toContain(PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: '変更内容を表示する' }));
    expect(await screen.findByText('これはリレーのパスワードです。所有者だけが読める権限で書き込み、表示はしません。')).toBeTruthy();
    expect(calls.at(-1)).toEqual({ name: 'planRelay', input: { sessionId, remove: false, relay: 'smtp.gmail.com:587', user: 'me@example.jp', password: PASSWORD, domain: 'example.jp' } });
    expect(document.body.innerHTML).not.toContain(PASSWORD);
    const apply = screen.getByRole('button', { name: '変更を適用する' });
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/変更内容を読みました/));
    fireEvent.click(apply);
    expect(await screen.findByText('サーバーはリレー経由で送信するようになりました。バックアップ: 20261130-061500-a1b2c3。')).toBeTruthy();
    expect(password.value).toBe('');
    expect(screen.getByTestId('include').textContent).toBe('_spf.google.com');
    expect(screen.getByRole('button', { name: 'これまでの変更' })).toBeTruthy();
  });

  it('the generic form needs a host: a bad one is named, and the plan waits for host, login and password', async () => {
    fake('planRelay', () => ok(plan));
    await renderStep(<RelayPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' } });
    const show = screen.getByRole('button', { name: 'Show the changes' }) as HTMLButtonElement;
    expect(show.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Relay host name'), { target: { value: 'smtp isp' } });
    const why = screen.getByRole('alert').textContent ?? '';
    expect(why).toContain('This is not a host name or address Homemail can use.');
    expect(why).toContain('is not a host name or IPv4 address.');
    fireEvent.change(screen.getByLabelText('Relay host name'), { target: { value: 'smtp.isp.example.jp' } });
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '465' } });
    fireEvent.change(screen.getByLabelText('Login name'), { target: { value: 'home-user' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    expect(show.disabled).toBe(false);
    fireEvent.click(show);
    expect(await screen.findByText('Review the changes')).toBeTruthy();
    expect(calls.at(-1)).toEqual({ name: 'planRelay', input: { sessionId, remove: false, relay: 'smtp.isp.example.jp:465', user: 'home-user', password: 'pw', domain: 'example.jp' } });
  });

  it('stopping the relay asks for a removal plan without any login', async () => {
    fake('planRelay', () => ok({ ...plan, files: [] }));
    await renderStep(<RelayPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Stop using a relay…' }));
    expect(await screen.findByText('Changes to stop using the relay')).toBeTruthy();
    expect(calls.at(-1)).toEqual({ name: 'planRelay', input: { sessionId, remove: true, domain: 'example.jp' } });
  });
});

describe('records after a relay', () => {
  it('the SPF record the records step builds includes the relay, and the published query follows its include', async () => {
    const { recordSetOf, publishedQueryOf } = await import('../../../renderer/src/wizard/records.js');
    const { initialValues } = await import('../../../renderer/src/wizard/state.js');
    const values = { ...initialValues, domain: 'example.jp', relayInclude: '_spf.google.com' };
    const outcome = recordSetOf(values);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.set.records.find((r) => r.purpose === 'spf')?.value).toBe('v=spf1 mx include:_spf.google.com ~all');
    expect(outcome.set.spfLookups).toBe(2);
    expect(publishedQueryOf(values, 'example.jp').includes).toEqual(['_spf.google.com']);
  });
});
