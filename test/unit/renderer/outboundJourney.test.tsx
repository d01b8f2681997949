// @vitest-environment jsdom
// The way from a blocked port 25 to the sender requirements, page by page against a fake
// bridge: the relay page says what the way-out page found, takes the ISP's documented SPF
// include, hands it to the records step and leads there; the way-out page keeps the receiving
// domain tried and asks the same DNS servers; the requirements page says why each row says
// what it says and is judged again when what it is judged from changed. The real back end is
// in test/e2e/outboundJourney.test.ts.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { checkText, type Check } from '../../../shared/checks.js';
import type { OutboundReport, RequirementsReport } from '../../../shared/outbound.js';
import { RelayPage } from '../../../renderer/src/pages/RelayPage.js';
import { OutboundView } from '../../../renderer/src/steps/OutboundStep.js';
import { RequirementsView } from '../../../renderer/src/steps/RequirementsStep.js';
import { PagesContext, type Pages } from '../../../renderer/src/wizard/pages.js';
import { useWizard } from '../../../renderer/src/wizard/state.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { appliedResult, mainCfPlan } from './fixtures.js';
import { renderStep } from './render.js';

const sessionId = 'session-0123456789abcdef';
useFakeBridgeInEachTest();

const blockedReport: OutboundReport = {
  port25: 'blocked',
  port25Probe: { status: 'blocked', probeDomain: 'blocked.example.jp', host: 'mx.blocked.example.jp', address: '192.0.2.66', port25: { port: 25, result: 'closed', banner: null }, port587: { port: 587, result: 'banner', banner: '220 ok' }, reason: null },
  publicAddress: 'unknown',
  publicAddressVia: null,
  policyListed: { status: 'unknown', zone: 'zen.spamhaus.org', address: null, answers: [], reason: null },
  reverseName: { address: null, names: [], generic: false, forwardConfirmed: null, myhostname: 'mail.example.jp', heloName: 'mail.example.jp', myhostnameMatches: null, heloMatches: null },
  tls: { outboundLevel: 'may', inboundStarttls: true },
  certificate: { status: 'pass', presented: null, expectedName: 'mail.example.jp', problems: [], verifyCode: 0, verifyText: 'ok', configuredFile: null, letsEncrypt: null },
  relay: { relayhost: null, saslEnabled: false, saslPasswordMaps: null, saslSecurityOptions: null, senderDependentRelayhostMaps: null },
  checks: [],
  ok: false,
  roundTrips: 1,
};

const plan = mainCfPlan('+relayhost = [smtp.isp.example.jp]:587\n', { key: 'relayMainCf', params: { relay: '[smtp.isp.example.jp]:587' }, text: '…' });
const applied = appliedResult(plan, '20261130-091500-a1b2c3');

/** What the page hands on through the wizard's state. */
function Handed() {
  const { values } = useWizard();
  return <output data-testid="handed">{JSON.stringify({ include: values.relayInclude, outbound: values.outbound === null, requirements: values.requirements === null })}</output>;
}

function withPages(ui: React.ReactElement, went: string[]) {
  const pages: Pages = { open: (id) => went.push(`page:${id}`), has: () => true, go: (id) => went.push(id) };
  return <PagesContext.Provider value={pages}>{ui}</PagesContext.Provider>;
}

describe('from the way-out page to the relay', () => {
  it('says what the way-out page found, takes the provider\'s SPF include, clears the stale findings and leads to the key and records (Japanese)', async () => {
    fake('planRelay', () => ok(plan));
    fake('applyRelay', () => ok({ result: applied }));
    const went: string[] = [];
    await renderStep(withPages(<><RelayPage sessionId={sessionId} /><Handed /></>, went), {
      values: { sessionId, domain: 'example.jp', outbound: blockedReport, requirements: { domain: 'example.jp', rows: [], checks: [], serverChecked: true, ok: true } },
      language: 'ja',
    });
    expect(screen.getByText('メールの出口の確認で、ポート 25 が遮断されていることがわかりました: mx.blocked.example.jp はポート 25 では応答せず、ポート 587 では応答しました。ポート 587 のリレー経由で送れば、メールを外に出せます。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('リレーのホスト名'), { target: { value: 'smtp.isp.example.jp' } });
    fireEvent.change(screen.getByLabelText('ログイン名'), { target: { value: 'home-user' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'pw' } });
    const show = screen.getByRole('button', { name: '変更内容を表示する' }) as HTMLButtonElement;
    // A bad include is named and holds the plan back.
    fireEvent.change(screen.getByLabelText('このリレーの SPF の include(任意)'), { target: { value: 'spf isp' } });
    expect(screen.getByText('SPF の include に使えるドメイン名ではありません。')).toBeTruthy();
    expect(show.disabled).toBe(true);
    // Pasted with its "include:", as providers often write it.
    fireEvent.change(screen.getByLabelText('このリレーの SPF の include(任意)'), { target: { value: 'include:_spf.isp.example.jp' } });
    expect(screen.getByText('メールはこのサービスのサーバーから送られるようになります。レコードのステップで SPF レコードに include:_spf.isp.example.jp を追加します。')).toBeTruthy();
    expect(show.disabled).toBe(false);
    fireEvent.click(show);
    fireEvent.click(await screen.findByLabelText(/変更内容を読みました/));
    fireEvent.click(screen.getByRole('button', { name: '変更を適用する' }));
    await screen.findByText('サーバーはリレー経由で送信するようになりました。バックアップ: 20261130-091500-a1b2c3。');
    expect(JSON.parse(screen.getByTestId('handed').textContent ?? '')).toEqual({ include: '_spf.isp.example.jp', outbound: true, requirements: true });
    // No key yet: the domain step makes it and the records with the relay's include.
    fireEvent.click(screen.getByRole('button', { name: 'リレーを SPF レコードに加える' }));
    expect(went).toEqual(['domain']);
  });

  it('without a way-out finding or an include it says nothing of port 25 and offers no records step', async () => {
    fake('planRelay', () => ok(plan));
    fake('applyRelay', () => ok({ result: applied }));
    const went: string[] = [];
    await renderStep(withPages(<><RelayPage sessionId={sessionId} /><Handed /></>, went), { values: { sessionId, domain: 'example.jp' } });
    expect(document.querySelector('[data-from="outbound"]')).toBeNull();
    fireEvent.change(screen.getByLabelText('Relay host name'), { target: { value: 'smtp.isp.example.jp' } });
    fireEvent.change(screen.getByLabelText('Login name'), { target: { value: 'home-user' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show the changes' }));
    fireEvent.click(await screen.findByLabelText(/^I have read these changes/));
    fireEvent.click(screen.getByRole('button', { name: 'Apply the changes' }));
    await screen.findByText('The server now sends through the relay. Backup: 20261130-091500-a1b2c3.');
    expect(JSON.parse(screen.getByTestId('handed').textContent ?? '').include).toBe('');
    expect(screen.queryByRole('button', { name: 'Add the relay to your SPF record' })).toBeNull();
  });
});

describe('back on the relay page', () => {
  it('still shows the relay in use and, until its SPF passes, the way to the records; not once it passes', async () => {
    const went: string[] = [];
    const withRelay = (status: 'pass' | 'unknown'): OutboundReport => ({
      ...blockedReport,
      relay: { ...blockedReport.relay, relayhost: '[smtp.isp.example.jp]:587' },
      relaySpf: { domain: 'example.jp', relayHost: 'smtp.isp.example.jp', include: 'unknown', includeListed: null, addresses: [{ address: '192.0.2.25', verdict: status === 'pass' ? 'pass' : 'softfail' }], status, reason: status === 'pass' ? 'addresses-pass' : 'addresses-not-passing' },
    });
    const { unmount } = await renderStep(withPages(<RelayPage sessionId={sessionId} />, went), { values: { sessionId, domain: 'example.jp', keys: [{ domain: 'example.jp' } as never], relayInclude: '_spf.isp.example.jp', outbound: withRelay('unknown') } });
    expect(screen.getByText('The server sends through [smtp.isp.example.jp]:587 now.')).toBeTruthy();
    // Port 25 is still blocked, but the relay already answers it: no second call to set one up.
    expect(document.querySelector('[data-from="outbound"]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add the relay to your SPF record' }));
    expect(went).toEqual(['records']);
    unmount();
    await renderStep(withPages(<RelayPage sessionId={sessionId} />, went), { values: { sessionId, domain: 'example.jp', relayInclude: '_spf.isp.example.jp', outbound: withRelay('pass') } });
    expect(screen.queryByRole('button', { name: 'Add the relay to your SPF record' })).toBeNull();
  });
});

describe('the way-out page with a relay', () => {
  it('port 25 still blocked, but the relay takes the mail out: said so calmly, nothing more to set up (Japanese)', async () => {
    const relayed: OutboundReport = { ...blockedReport, relay: { ...blockedReport.relay, relayhost: '[smtp.isp.example.jp]:587' } };
    await renderStep(withPages(<OutboundView />, []), { values: { sessionId, domain: 'example.jp', outbound: relayed }, language: 'ja' });
    const notice = document.querySelector('[data-port25="blocked"]');
    expect(notice?.className).toContain('ok');
    expect(notice?.textContent).toContain('このサーバーはリレー [smtp.isp.example.jp]:587 経由で送信しているため、ポート 25 が遮断されていてもメールは送れます。');
    expect(screen.queryByRole('button', { name: 'リレーを設定する' })).toBeNull();
  });
});

describe('the way-out page, again', () => {
  it('tries the receiving domain tried before and asks the DNS servers the person gave', async () => {
    fake('checkOutbound', () => ok(blockedReport));
    await renderStep(withPages(<OutboundView />, []), { values: { sessionId, domain: 'example.jp', probeDomain: 'blocked.example.jp', resolvers: '192.0.2.53:5353' } });
    await waitFor(() => expect(calls.some((c) => c.name === 'checkOutbound')).toBe(true));
    expect(calls.find((c) => c.name === 'checkOutbound')?.input).toEqual({ sessionId, probeDomain: 'blocked.example.jp', domain: 'example.jp', resolvers: ['192.0.2.53:5353'] });
    expect((screen.getByLabelText('Try another receiving domain') as HTMLInputElement).value).toBe('blocked.example.jp');
  });
});

const check = (id: string, status: Check['status'], found: Check['found']): Check => ({ id, area: 'ptr', status, title: checkText('outMyhostnameHeloTitle', { name: 'mail.example.jp' }), expected: null, found, fix: null });

function requirementsReport(dkim: 'pass' | 'unknown'): RequirementsReport {
  const row = (id: string, status: 'pass' | 'fail' | 'unknown', basis: string[]) => ({ receiver: id.split('.')[0] as 'gmail', id, requirement: '…', scope: 'all' as const, status, source: 'https://support.google.com/a/answer/81126', basis, found: '…', reasons: [] });
  return {
    domain: 'example.jp',
    rows: [row('gmail.ptr', 'unknown', ['names.myhostname']), row('gmail.spamRate', 'unknown', []), row('outlook.dkim', dkim, dkim === 'pass' ? ['dkim:s1'] : [])],
    checks: [check('names.myhostname', 'unknown', checkText('outNameUnknown')), { ...check('dkim:s1', 'pass', null), area: 'dkim' }],
    serverChecked: true,
    ok: true,
  };
}

describe('the sender requirements', () => {
  it('says why each row says what it says: the check behind it, the receiver-only rule, the row nothing could check (Japanese)', async () => {
    fake('checkRequirements', () => ok(requirementsReport('unknown')));
    await renderStep(<RequirementsView />, { values: { sessionId, domain: 'example.jp' }, language: 'ja' });
    const ptr = await screen.findByText((_, el) => el?.tagName === 'TR' && el.getAttribute('data-requirement') === 'gmail.ptr');
    expect(ptr.getAttribute('data-status')).toBe('unknown');
    expect(ptr.querySelector('td.basis li[data-check="names.myhostname"]')?.textContent).toBe('myhostname と HELO 名 mail.example.jp: 判定できません: グローバル IP アドレスがわかりません');
    expect(document.querySelector('tr[data-requirement="gmail.spamRate"] td.basis')?.textContent).toBe('Homemail からは見えません。知っているのは受信側だけで、送信者には Gmail の Postmaster Tools で知らされます。');
    expect(document.querySelector('tr[data-requirement="outlook.dkim"] td.basis')?.textContent).toBe('まだ確かめていません。サーバーに接続していないか、調べる DKIM セレクターがありません。');
  });

  it('is judged again on arrival when what it is judged from changed (a key made since), not when nothing did', async () => {
    fake('checkRequirements', () => ok(requirementsReport('pass')));
    const key = { domain: 'example.jp', selector: 's1', type: 'rsa' as const, publicKey: 'MIIB', bits: 2048 } as never;
    const stale = requirementsReport('unknown');
    const { unmount } = await renderStep(<RequirementsView />, { values: { sessionId, domain: 'example.jp', keys: [key], requirements: stale, requirementsFor: '{"domain":"example.jp","dkim":[],"addresses":[],"resolvers":[],"sessionId":"session-0123456789abcdef"}' } });
    await waitFor(() => expect(document.querySelector('tr[data-requirement="outlook.dkim"]')?.getAttribute('data-status')).toBe('pass'));
    expect(calls.filter((c) => c.name === 'checkRequirements')).toHaveLength(1);
    unmount();
    calls.length = 0;
    const request = { domain: 'example.jp', dkim: [], addresses: [], resolvers: [], sessionId };
    await renderStep(<RequirementsView />, { values: { sessionId, domain: 'example.jp', requirements: stale, requirementsFor: JSON.stringify(request) } });
    expect(document.querySelector('tr[data-requirement="outlook.dkim"]')?.getAttribute('data-status')).toBe('unknown');
    expect(calls.filter((c) => c.name === 'checkRequirements')).toHaveLength(0);
  });
});
