// @vitest-environment jsdom
// The Status page against the fake bridge: a status as watchStatus returns it (shape from
// shared/watch.ts), the export and delete calls, the schedule switch.
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/App.js';
import { StatusPage } from '../../../renderer/src/pages/StatusPage.js';
import { keyedError, serializeError } from '../../../shared/errors.js';
import { watchSkip, type WatchStatus } from '../../../shared/watch.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { renderStep } from './render.js';

useFakeBridgeInEachTest();

const status: WatchStatus = {
  storePath: '/home/u/.local/share/homemail/history.sqlite',
  schemaVersion: 3,
  schedule: { enabled: true, intervalHours: 24, lastRunAt: null },
  rotations: [],
  targets: [
    {
      domain: 'example.jp',
      server: { host: '192.0.2.10', port: 22, hostKeyFingerprint: 'SHA256:abc' },
      lastRunAt: '2026-11-30T06:00:00.000Z',
      runs: 6,
      // why, as the watch stored it: the error with its codes
      skipped: [watchSkip('send-test', serializeError(keyedError('sudo-failed', { key: 'sudoNeedsPassword', params: { user: 'deploy', host: '192.0.2.10' } })))],
      changes: [
        {
          kind: 'dkim-changed',
          severity: 'worse',
          subject: 'dkim:postfix',
          before: 'v=DKIM1; p=A',
          after: 'v=DKIM1; p=B',
          params: { name: 'postfix._domainkey.example.jp', before: 'v=DKIM1; p=A', after: 'v=DKIM1; p=B' },
          text: 'The DKIM record postfix._domainkey.example.jp changed.',
        },
      ],
      latest: [
        {
          id: 5,
          kind: 'verify',
          domain: 'example.jp',
          server: null,
          at: '2026-11-30T06:00:00.000Z',
          resolvers: ['192.0.2.53'],
          checks: [
            { checkId: 'mx', area: 'mx', status: 'pass', title: 'MX of example.jp', found: 'mail.example.jp', titleKey: 'mxTitle', foundKey: 'mxFoundOk', params: { domain: 'example.jp', hosts: 'mail.example.jp' }, values: {} },
            { checkId: 'dkim:postfix', area: 'dkim', status: 'fail', title: 'DKIM record postfix._domainkey.example.jp', found: 'no TXT record', titleKey: 'dkimTitle', foundKey: 'dkimFoundNone', params: { name: 'postfix._domainkey.example.jp' }, values: { record: null } },
          ],
        },
      ],
      trends: {
        reports: 2,
        rows: 3,
        daily: [
          { date: '2026-11-28', pass: 30, fail: 0 },
          { date: '2026-11-29', pass: 10, fail: 10 },
        ],
        reporters: [{ orgName: 'google.com', pass: 40, fail: 10 }],
        sources: [{ sourceIp: '192.0.2.10', count: 40, fail: 0 }, { sourceIp: '203.0.113.5', count: 10, fail: 10 }],
      },
    },
  ],
};

describe('Status page', () => {
  it('shows the change, every check, what was skipped and the trends with their numbers', async () => {
    fake('watchStatus', () => ok(status));
    await renderStep(<StatusPage />);
    await screen.findByRole('heading', { level: 2, name: 'example.jp' });
    expect(screen.getByText(/The DKIM record postfix._domainkey.example.jp changed: it was "v=DKIM1; p=A", now "v=DKIM1; p=B"/)).toBeTruthy();
    expect(screen.getByText('Test message: deploy needs a password for sudo on 192.0.2.10, and none was given.')).toBeTruthy();
    expect(document.querySelector('[data-check="dkim:postfix"]')?.getAttribute('data-status')).toBe('fail');
    expect(screen.getByRole('img', { name: 'Messages that passed and failed DMARC per day for example.jp' })).toBeTruthy();
    const daily = screen.getByRole('table', { name: 'DMARC pass rate per day' });
    expect([...daily.querySelectorAll('tbody tr')].map((tr) => tr.textContent)).toEqual(['2026-11-28300100%', '2026-11-29101050%']);
  });

  it('in Japanese', async () => {
    fake('watchStatus', () => ok(status));
    await renderStep(<StatusPage />, { language: 'ja' });
    await screen.findByRole('heading', { level: 2, name: 'example.jp' });
    expect(screen.getByText(/DKIM レコード postfix._domainkey.example.jp が変わりました/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('状態');
    expect(screen.getByText('テストメール: 192.0.2.10 で deploy が sudo を使うにはパスワードが必要ですが、入力されていません。')).toBeTruthy();
  });

  it('exports, deletes a server history after a second click, and switches the schedule off', async () => {
    fake('watchStatus', () => ok(status));
    fake('exportHistory', () => ok({ filename: 'h.csv', mediaType: 'text/csv', text: 'at\r\n' }));
    fake('deleteServerHistory', () => ok({ runs: 3 }));
    fake('setWatchSchedule', (input) => ok({ ...input, lastRunAt: null }));
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => undefined;
    await renderStep(<StatusPage />);
    await screen.findByRole('heading', { level: 2, name: 'example.jp' });
    fireEvent.click(screen.getByRole('button', { name: 'Export history as CSV' }));
    await waitFor(() => expect(calls.some((c) => c.name === 'exportHistory')).toBe(true));
    expect(calls.find((c) => c.name === 'exportHistory')?.input).toEqual({ domain: 'example.jp', format: 'csv' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete the history of 192.0.2.10…' }));
    expect(calls.some((c) => c.name === 'deleteServerHistory')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete every stored result of 192.0.2.10' }));
    await waitFor(() => expect(calls.find((c) => c.name === 'deleteServerHistory')?.input).toEqual({ host: '192.0.2.10', port: 22 }));
    fireEvent.click(screen.getByLabelText('Check on a schedule'));
    await waitFor(() => expect(calls.find((c) => c.name === 'setWatchSchedule')?.input).toEqual({ enabled: false, intervalHours: 24 }));
  });

  it('is reachable from any step and gives the wizard back where it was', async () => {
    fake('watchStatus', () => ok(status));
    await renderStep(<App />);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    screen.getByRole('heading', { level: 1, name: 'Which server?' });
    fireEvent.click(screen.getByRole('button', { name: 'Status' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Status' });
    expect(document.activeElement).toBe(heading);
    expect(screen.queryByRole('heading', { level: 1, name: 'Which server?' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Back to the step/ }));
    screen.getByRole('heading', { level: 1, name: 'Which server?' });
  });
});
