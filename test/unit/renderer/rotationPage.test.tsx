// @vitest-environment jsdom
// The Rotation page and the rotation summary against a fake bridge: what they show for each
// state (shapes from shared/rotation.ts) and which calls they make. The real back end is in
// test/e2e/rotation.test.ts and test/host/rotation.test.ts.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RotationPage } from '../../../renderer/src/pages/RotationPage.js';
import type { Plan } from '../../../shared/plan.js';
import { rotationStatus, type RotationOutcome, type RotationState, type RotationStatus } from '../../../shared/rotation.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { RSA_PUBLIC_KEY } from './fixtures.js';
import { renderStep } from './render.js';

const sessionId = 'session-0123456789abcdef';
useFakeBridgeInEachTest();

const publicKey = RSA_PUBLIC_KEY;
const key = (selector: string) => ({ selector, type: 'rsa' as const, bits: 2048, keyPath: `/etc/dkimkeys/${selector}.private`, fingerprint: `SHA256:${selector}`, publicKey });
const state = (done: RotationState['done'], extra: Partial<RotationState> = {}): RotationState => ({
  version: 1,
  domain: 'example.jp',
  emergency: false,
  done,
  old: key('hm1'),
  new: key('202611'),
  overlapDays: 7,
  minimumOverlapDays: 6,
  dates: { prepare: '2026-11-01T00:00:00.000Z', publish: '2026-11-01T01:00:00.000Z', switch: '2026-11-02T00:00:00.000Z' },
  backups: {},
  ...extra,
});
const statusOf = (s: RotationState | null): RotationStatus => ({
  ...rotationStatus('example.jp', s, new Date('2026-11-03T00:00:00Z'), (k) => `v=DKIM1; h=sha256; k=rsa; p=${k.publicKey}`),
  key: { selector: 'hm1', since: '2026-05-01T00:00:00.000Z', suggestedRotation: '2026-11-01T00:00:00.000Z' },
});
const outcome = (s: RotationState | null): RotationOutcome => ({ changed: true, steps: [], backupId: null, status: statusOf(s), notes: [], keyedNotes: [] });
const plan: Plan = {
  host: 'mail.example.jp',
  domain: 'example.jp',
  changed: true,
  files: [{ path: '/etc/opendkim/signing.table', kind: 'modify', owner: 'root', group: 'root', mode: '0644', secret: false, diff: '-*@example.jp hm1._domainkey.example.jp\n+*@example.jp 202611._domainkey.example.jp\n', why: { key: 'signingTable', params: {}, text: '' } }],
  commands: [],
  backedUp: [],
  notes: [],
  opendkimSocket: 'inet:8891@127.0.0.1',
  milter: 'inet:127.0.0.1:8891',
  interrupted: [],
};

describe('Rotation page', () => {
  it('with no rotation: shows the key age and starts one with the chosen options', async () => {
    fake('rotationStatus', () => ok(statusOf(null)));
    fake('startRotation', () => ok(outcome(state('prepare'))));
    await renderStep(<RotationPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' } });
    expect(await screen.findByText(/Selector hm1 signs since/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/^Emergency: the current key may have leaked/));
    fireEvent.change(screen.getByLabelText('Overlap in days (optional)'), { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Prepare the new key' }));
    expect(await screen.findByText('The new DKIM record to publish')).toBeTruthy();
    expect(calls.find((c) => c.name === 'startRotation')?.input).toEqual({ sessionId, domain: 'example.jp', emergency: true, overlapDays: 0 });
    expect(screen.getByText(/^202611\._domainkey\.example\.jp\.$/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the value of 202611._domainkey.example.jp' })).toBeTruthy();
  });

  it('before Switch: shows the diff and sends the DNS servers with continue', async () => {
    fake('rotationStatus', () => ok(statusOf(state('publish'))));
    fake('previewRotation', () => ok(plan));
    fake('continueRotation', () => ok(outcome(state('switch'))));
    await renderStep(<RotationPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp', resolvers: '192.0.2.53:5353' } });
    expect(await screen.findByText('What Switch changes on the server')).toBeTruthy();
    expect(screen.getByText(/\+\*@example\.jp 202611\._domainkey\.example\.jp/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Switch to the new key' }));
    await waitFor(() => expect(calls.some((c) => c.name === 'continueRotation')).toBe(true));
    expect(calls.find((c) => c.name === 'continueRotation')?.input).toEqual({ sessionId, domain: 'example.jp', resolvers: ['192.0.2.53:5353'] });
    expect(await screen.findByText(/Next step: Overlap/)).toBeTruthy();
  });

  it('during the overlap: the next step waits for its date, the revocation record is shown, a short overlap is warned about', async () => {
    fake('rotationStatus', () => ok(statusOf(state('switch', { overlapDays: 3, dates: { switch: '2999-01-01T00:00:00.000Z' } }))));
    await renderStep(<RotationPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' } });
    const end = await screen.findByRole('button', { name: 'End the overlap' });
    expect((end as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('The old selector\'s record, revoked')).toBeTruthy();
    expect(screen.getByText('v=DKIM1; k=rsa; p=')).toBeTruthy();
    expect(screen.getByText(/shorter than the recommended 6/)).toBeTruthy();
  });

  it('after Switch: the test message proves the new signature only when it passes with the new selector', async () => {
    fake('rotationStatus', () => ok(statusOf(state('switch'))));
    const auth = (s: string) => `dkim=pass header.d=example.jp header.s=${s}; spf=pass smtp.mailfrom=example.jp; dmarc=pass header.from=example.jp`;
    let selector = 'hm1';
    fake('sendTest', () => ok({ from: 'a@example.jp', to: 'admin', mailbox: '/var/mail/admin', messages: [{ path: 'sendmail', sent: true, sendDetail: '', message: '', authenticationResults: auth(selector) }], checks: [], summary: { pass: 1, warn: 0, fail: 0, unknown: 0 }, ok: true }));
    await renderStep(<RotationPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test message' }));
    expect(await screen.findByText(/No verified DKIM signature with selector 202611/)).toBeTruthy();
    selector = '202611';
    fireEvent.click(screen.getByRole('button', { name: 'Send a test message' }));
    expect(await screen.findByText(/carries a DKIM signature with selector 202611, and it verifies/)).toBeTruthy();
  });

  it('speaks Japanese', async () => {
    fake('rotationStatus', () => ok(statusOf(state('prepare'))));
    await renderStep(<RotationPage sessionId={sessionId} />, { values: { sessionId, domain: 'example.jp' }, language: 'ja' });
    expect(await screen.findByText('公開する新しい DKIM レコード')).toBeTruthy();
    expect(screen.getByRole('button', { name: '公開したので確認する' })).toBeTruthy();
    expect(screen.getByText(/セレクター hm1 で/)).toBeTruthy();
  });
});
