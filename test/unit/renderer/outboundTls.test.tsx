// @vitest-environment jsdom
// The TLS part of "The way out" against a fake bridge: shown when outbound TLS is off or a
// Let's Encrypt certificate is offered; plans with the offered name, applies after
// confirmation (ChangeReview), and stays hidden when nothing would change. The real back end
// is in test/host/tls.test.ts.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OutboundReport } from '../../../shared/outbound.js';
import { OutboundView } from '../../../renderer/src/steps/OutboundStep.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { appliedResult, mainCfPlan } from './fixtures.js';
import { renderStep } from './render.js';
import { judgeRelaySpf, relaySpfCheck, senderDependentChecks } from '../../../main/services/outbound/relaySpf.js';

const sessionId = 'session-0123456789abcdef';
useFakeBridgeInEachTest();

const FULLCHAIN = '/etc/letsencrypt/live/mail.example.jp/fullchain.pem';
function report(outboundLevel: string, offer: boolean): OutboundReport {
  const summary = { subject: 'CN=mail.example.jp', issuer: 'CN=R11', names: ['mail.example.jp'], notAfter: '2027-02-01T00:00:00.000Z', daysLeft: 63, fingerprint256: 'AA' };
  return {
    port25: 'open',
    port25Probe: { status: 'open', probeDomain: 'gmail.com', host: 'gmail-smtp-in.l.google.com', address: '192.0.2.1', port25: { port: 25, result: 'banner', banner: '220 ok' }, port587: { port: 587, result: 'banner', banner: '220 ok' }, reason: null },
    publicAddress: '203.0.113.5',
    publicAddressVia: null,
    policyListed: { status: 'not-listed', zone: 'zen.spamhaus.org', address: '203.0.113.5', answers: [], reason: null },
    reverseName: { address: '203.0.113.5', names: [], generic: false, forwardConfirmed: false, myhostname: null, heloName: null, myhostnameMatches: false, heloMatches: false },
    tls: { outboundLevel, inboundStarttls: true },
    certificate: {
      status: 'warn',
      presented: null,
      expectedName: 'mail.example.jp',
      problems: ['snakeoil'],
      verifyCode: null,
      verifyText: null,
      configuredFile: '/etc/ssl/certs/ssl-cert-snakeoil.pem',
      letsEncrypt: offer ? { name: 'mail.example.jp', certificate: '/etc/letsencrypt/live/mail.example.jp/cert.pem', fullchain: FULLCHAIN, privkey: '/etc/letsencrypt/live/mail.example.jp/privkey.pem', summary } : null,
    },
    relay: { relayhost: null, saslEnabled: false, saslPasswordMaps: null, saslSecurityOptions: null, senderDependentRelayhostMaps: null },
    checks: [],
    ok: false,
    roundTrips: 1,
  };
}

const plan = mainCfPlan('+smtp_tls_security_level = may\n', { key: 'tlsBoth', params: { certificate: FULLCHAIN }, text: '…' });
const applied = appliedResult(plan, '20261130-074500-a1b2c3');

describe('the way out: TLS', () => {
  it('plans may and the offered Let\'s Encrypt certificate, applies after confirmation (Japanese)', async () => {
    fake('planTls', () => ok(plan));
    fake('applyTls', () => ok({ result: applied }));
    fake('checkOutbound', () => ok(report('may', false)));
    await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound: report('none', true) }, language: 'ja' });
    expect(screen.getByText(/smtp_tls_security_level = none/)).toBeTruthy();
    expect((screen.getByLabelText("受信側の接続に Let's Encrypt の証明書 mail.example.jp を使う") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'TLS の変更内容を表示' }));
    expect(await screen.findByText(/Postfix: 相手が対応していれば TLS で送信し/)).toBeTruthy();
    expect(calls.at(-1)).toEqual({ name: 'planTls', input: { sessionId, domain: 'example.jp', letsEncrypt: 'mail.example.jp' } });
    fireEvent.click(screen.getByLabelText(/変更内容を読みました/));
    fireEvent.click(screen.getByRole('button', { name: '変更を適用する' }));
    expect(await screen.findByText('適用しました。バックアップ: 20261130-074500-a1b2c3。')).toBeTruthy();
    // The findings the apply changed are checked again at once; the outcome stays above them.
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['planTls', 'applyTls', 'checkOutbound']));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'TLS の変更内容を表示' })).toBeNull());
    expect(screen.queryByText(/smtp_tls_security_level = none/)).toBeNull();
    expect(screen.getByText('適用しました。バックアップ: 20261130-074500-a1b2c3。')).toBeTruthy();
  });

  it('without the certificate it plans may only; with may set and no offer there is nothing to show', async () => {
    fake('planTls', () => ok(plan));
    const view = await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound: report('', true) } });
    fireEvent.click(screen.getByLabelText("Use the Let's Encrypt certificate mail.example.jp for incoming connections"));
    fireEvent.click(screen.getByRole('button', { name: 'Show the TLS changes' }));
    await screen.findByText(/smtp_tls_security_level = may/);
    expect(calls.at(-1)).toEqual({ name: 'planTls', input: { sessionId, domain: 'example.jp', letsEncrypt: null } });
    view.unmount();
    await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound: report('may', false) } });
    expect(screen.queryByRole('button', { name: 'Show the TLS changes' })).toBeNull();
  });
});

describe('the way out: the relay\'s SPF', () => {
  const relaySpf = judgeRelaySpf({ domain: 'example.jp', relayHost: 'smtp.sendgrid.net', include: 'sendgrid.net', includeListed: false, addresses: [], spfUnreadable: false });
  const withRelay = (): OutboundReport => ({ ...report('may', false), relay: { relayhost: '[smtp.sendgrid.net]:587', saslEnabled: true, saslPasswordMaps: 'hash:/etc/postfix/sasl_passwd', saslSecurityOptions: 'noanonymous', senderDependentRelayhostMaps: null }, relaySpf, checks: [relaySpfCheck(relaySpf)] });

  it('the generic check list shows the relay.spf check with the records command, in English and Japanese', async () => {
    const view = await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound: withRelay() } });
    expect(screen.getByText(/SPF of example.jp for the relay smtp.sendgrid.net/)).toBeTruthy();
    expect(screen.getByText(/homemail records --domain example.jp --include sendgrid.net/)).toBeTruthy();
    view.unmount();
    await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound: withRelay() }, language: 'ja' });
    expect(screen.getByText(/リレー smtp.sendgrid.net に対する example.jp の SPF/)).toBeTruthy();
    expect(screen.getByText(/SPF レコードにリレーの include を追加してください: homemail records --domain example.jp --include sendgrid.net/)).toBeTruthy();
  });

  it('a sender_dependent_relayhost_maps relay gets its own SPF check, and a table not read says so (English and Japanese)', async () => {
    const dependent = { map: 'hash:/etc/postfix/sender_relay', sender: '@example.jp', relayhost: '[smtp.sendgrid.net]:587', domain: 'example.jp', spf: relaySpf };
    const relays = { maps: [{ map: 'mysql:/etc/postfix/relay.cf', read: 'unsupported' as const }], relays: [dependent] };
    const checks = senderDependentChecks(relays);
    const outbound: OutboundReport = { ...report('may', false), relay: { ...withRelay().relay, relayhost: null, senderDependentRelayhostMaps: 'hash:/etc/postfix/sender_relay, mysql:/etc/postfix/relay.cf' }, senderDependentRelays: relays, checks };
    const view = await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound } });
    expect(view.container.querySelector('[data-check="relay.spf:@example.jp"]')?.getAttribute('data-status')).toBe('fail');
    expect(screen.getByText(/SPF of example.jp for the relay smtp.sendgrid.net of the senders @example.jp/)).toBeTruthy();
    expect(screen.getByText(/mysql:\/etc\/postfix\/relay.cf is not a file table/)).toBeTruthy();
    view.unmount();
    await renderStep(<OutboundView />, { values: { sessionId, domain: 'example.jp', outbound }, language: 'ja' });
    expect(screen.getByText(/送信者 @example.jp のリレー smtp.sendgrid.net に対する example.jp の SPF/)).toBeTruthy();
  });
});
