// @vitest-environment jsdom
// The inbound step, the "Changes made" page and the changed-host-key flow against a fake
// bridge: what they show and which calls they make. The real back end is in the e2e suite.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { InboundReport } from '../../../shared/inbound.js';
import { HostKeyChanged } from '../../../renderer/src/components/HostKeyChanged.js';
import { ChangesPage } from '../../../renderer/src/pages/ChangesPage.js';
import { allowEntries, InboundStep } from '../../../renderer/src/steps/InboundStep.js';
import { useKeyedText } from '../../../renderer/src/text.js';
import { checkText } from '../../../shared/checks.js';
import { calls, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { appliedResult, backupList, deadListPlan, inspection } from './fixtures.js';
import { renderStep } from './render.js';

const sessionId = 'session-0123456789abcdef';
useFakeBridgeInEachTest();

const probe = (name: string) => ({ name, status: 'NXDOMAIN', answers: [] });
const report: InboundReport = {
  blocklists: [
    {
      use: { parameter: 'smtpd_client_restrictions', kind: 'reject_rbl_client', zone: 'all.rbl.jp', text: 'reject_rbl_client all.rbl.jp' },
      status: 'not-listing',
      listed: probe('2.0.0.127.all.rbl.jp'),
      unlisted: probe('1.0.0.127.all.rbl.jp'),
      remove: true,
      text: 'all.rbl.jp does not list its test entry (English from the service)',
    },
    {
      use: { parameter: 'smtpd_client_restrictions', kind: 'reject_rbl_client', zone: 'bl.spamcop.net', text: 'reject_rbl_client bl.spamcop.net' },
      status: 'working',
      listed: { name: '2.0.0.127.bl.spamcop.net', status: 'NOERROR', answers: ['127.0.0.2'] },
      unlisted: probe('1.0.0.127.bl.spamcop.net'),
      remove: false,
      text: 'works',
    },
  ],
  clientHostname: { current: 'reverse', parameter: 'smtpd_client_restrictions', unknownClients: 3, connections: 40, text: 'English explanation from the service' },
  suggestions: [],
  resolverWarning: null,
  roundTrips: 2,
};

const plan = deadListPlan();

const applied = appliedResult(plan, '20261130-031500-a1b2c3');

describe('inbound step', () => {
  it('shows each list with its health in Japanese, plans the removal of the dead one, and applies only after confirmation', async () => {
    fake('checkInbound', () => ok(report));
    fake('planInbound', () => ok({ inbound: report, plan }));
    fake('applyInbound', () => ok({ inbound: report, result: applied }));
    await renderStep(<InboundStep />, { values: { sessionId, domain: 'example.jp', inspection: inspection() }, language: 'ja' });
    const row = (await screen.findByText('all.rbl.jp')).closest('tr');
    expect(row && within(row).getByText('停止')).toBeTruthy();
    expect(screen.queryByText(/English from the service/)).toBeNull();
    expect(screen.getByText('メールログでは、40 件の接続のうち 3 件が名前の確認できない接続元からでした。')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '変更内容を表示する' }));
    expect(await screen.findByText('Postfix: 動いていない DNS リスト all.rbl.jp を外します。', { exact: false })).toBeTruthy();
    expect(calls.at(-1)).toEqual({ name: 'planInbound', input: { sessionId, removeDead: true, hostnameRule: 'keep', allow: [], domain: 'example.jp' } });
    const apply = screen.getByRole('button', { name: '変更を適用する' });
    expect((apply as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/変更内容を読みました/));
    fireEvent.click(apply);
    expect(await screen.findByText('適用しました。バックアップ: 20261130-031500-a1b2c3。')).toBeTruthy();
    // After the apply the lists are tested again, so the page shows the server as it is now.
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['checkInbound', 'planInbound', 'applyInbound', 'checkInbound']));
    expect(screen.getByRole('button', { name: 'これまでの変更' })).toBeTruthy();
  });

  it('sends the host-name rule with the allowlist lines as typed', async () => {
    fake('checkInbound', () => ok(report));
    fake('planInbound', () => ok({ inbound: report, plan }));
    await renderStep(<InboundStep />, { values: { sessionId, domain: 'example.jp' } });
    fireEvent.click(await screen.findByLabelText('Refuse clients whose reverse name does not match (strict)'));
    fireEvent.change(screen.getByLabelText(/^Allowlist/), { target: { value: 'partner.example.com\n# a comment\n198.51.100.0/24\n/\\.example\\.net$/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show the changes' }));
    await screen.findByText(/remove the dead DNS lists/);
    expect(calls.at(-1)?.input).toMatchObject({
      hostnameRule: 'strict',
      allow: [
        { kind: 'name', value: 'partner.example.com' },
        { kind: 'address', value: '198.51.100.0/24' },
        { kind: 'regexp', value: '/\\.example\\.net$/' },
      ],
    });
  });

  it('does not propose removing every list when none answered (the server\'s resolver is the likelier culprit): unchecked until the person checks it', async () => {
    const silent = { ...probe('x'), status: 'SERVFAIL' };
    const noAnswer = report.blocklists.map((b) => ({ ...b, status: 'no-answer' as const, listed: silent, unlisted: silent, remove: true }));
    fake('checkInbound', () => ok({ ...report, blocklists: noAnswer, resolverWarning: 'No list answered at all.' }));
    await renderStep(<InboundStep />, { values: { sessionId, domain: 'example.jp' } });
    const box = (await screen.findByLabelText(/^Remove the lists that do not work/)) as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    expect(box.checked).toBe(true);
  });

  it('reads allowlist lines like the CLI reads --allow', () => {
    expect(allowEntries(' a.example \n\n#x\n192.0.2.1\n')).toEqual([
      { kind: 'name', value: 'a.example' },
      { kind: 'address', value: '192.0.2.1' },
    ]);
  });
});


describe('changes made page', () => {
  it('lists the backups, reviews a restore and restores only after confirmation', async () => {
    fake('listBackups', () => ok(backupList));
    fake('rollbackChanges', () => ok({ backupId: '20261130-031500-a1b2c3', restored: true as const, interrupted: [] }));
    await renderStep(<ChangesPage sessionId={sessionId} />, { values: { sessionId, sshTarget: 'admin@mail.example.jp' } });
    const entries = await screen.findAllByRole('listitem', { name: undefined });
    expect(entries.length).toBeGreaterThan(0);
    expect(screen.getByText('in place')).toBeTruthy();
    expect(screen.getByText('restored')).toBeTruthy();
    // Only the finished one offers a restore.
    expect(screen.getAllByRole('button', { name: 'Review what a restore puts back' })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Review what a restore puts back' }));
    expect(screen.getByText(/reject_rbl_client all\.rbl\.jp/)).toBeTruthy();
    expect(screen.getByText('Only its owner may read this file (a private key): its content is not shown.')).toBeTruthy();
    expect(screen.getByText('Packages this change installed are removed again: opendkim')).toBeTruthy();
    const restore = screen.getByRole('button', { name: 'Restore' });
    expect((restore as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/^I have read this and want to restore 20261130-031500-a1b2c3/));
    fireEvent.click(restore);
    expect(await screen.findByText(/^Restored 20261130-031500-a1b2c3/)).toBeTruthy();
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['listBackups', 'rollbackChanges', 'listBackups']));
    expect(calls[1]?.input).toEqual({ sessionId, backupId: '20261130-031500-a1b2c3' });
  });

  it('says so when Homemail never changed the server', async () => {
    fake('listBackups', () => ok({ root: '/var/backups/homemail', backups: [] }));
    await renderStep(<ChangesPage sessionId={sessionId} />, { values: { sessionId }, language: 'ja' });
    expect(await screen.findByText('Homemail はまだこのサーバーを変更していません。戻すものはありません。')).toBeTruthy();
  });
});

describe('changed host key', () => {
  const error = {
    code: 'host-key-changed' as const,
    message: 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!',
    details: { host: 'mail.example.jp', port: 22, keyType: 'ED25519', fingerprint: 'SHA256:' + 'A'.repeat(43), knownHostsFile: '/home/u/.config/homemail/known_hosts' },
  };

  it('forgets the old key only after the person confirms the new fingerprint, then connects again', async () => {
    let connected = 0;
    fake('forgetHostKey', () => ok({ removed: 1, file: '/home/u/.config/homemail/known_hosts' }));
    await renderStep(<HostKeyChanged error={error} target="admin@mail.example.jp" onForgotten={() => (connected += 1)} />);
    expect(screen.getByText('SHA256:' + 'A'.repeat(43))).toBeTruthy();
    const forget = screen.getByRole('button', { name: 'Forget the old key and connect again' });
    expect((forget as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/^I compared it on the server's console/));
    fireEvent.click(forget);
    await screen.findByRole('button', { name: 'Forget the old key and connect again' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([{ name: 'forgetHostKey', input: { target: 'admin@mail.example.jp' } }]);
    expect(connected).toBe(1);
  });

  it('names the file when the old key is not in Homemail\'s own list', async () => {
    fake('forgetHostKey', () => ok({ removed: 0, file: '/home/u/.config/homemail/known_hosts' }));
    const changed = { ...error, details: { ...error.details, knownHostsFile: '/home/u/.ssh/known_hosts' } };
    await renderStep(<HostKeyChanged error={changed} target="mail.example.jp" onForgotten={() => undefined} />, { language: 'ja' });
    fireEvent.click(screen.getByLabelText(/^サーバーのコンソールまたは管理画面で比べ/));
    fireEvent.click(screen.getByRole('button', { name: '古い鍵を忘れて接続し直す' }));
    expect(await screen.findByText(/古い鍵は \/home\/u\/\.ssh\/known_hosts にあり/)).toBeTruthy();
  });
});

describe('service words inside sentences', () => {
  function Sentence({ item }: { item: ReturnType<typeof checkText> }) {
    const text = useKeyedText();
    return <p>{text('checks', item)}</p>;
  }

  it('translates a resolver role and how a message was sent, not only the sentence around them', async () => {
    await renderStep(
      <>
        <Sentence item={checkText('resolverAnswers', { role: 'chosen' })} />
        <Sentence item={checkText('messageSentTitle', { how: 'sendmail' })} />
      </>,
      { language: 'ja' },
    );
    expect(screen.getByText('応答あり(指定したサーバー)')).toBeTruthy();
    expect(screen.getByText(/sendmail で送信/)).toBeTruthy();
    expect(screen.queryByText(/chosen|with sendmail/)).toBeNull();
  });
});
