// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import type { Plan } from '../../../shared/plan.js';
import { checkText } from '../../../shared/checks.js';
import { ApplyStep, shownStatus } from '../../../renderer/src/steps/ApplyStep.js';
import { DomainStep } from '../../../renderer/src/steps/DomainStep.js';
import { DoneStep } from '../../../renderer/src/steps/DoneStep.js';
import { FindingsStep } from '../../../renderer/src/steps/FindingsStep.js';
import { RecordsStep } from '../../../renderer/src/steps/RecordsStep.js';
import { ReviewStep } from '../../../renderer/src/steps/ReviewStep.js';
import { VerifyStep } from '../../../renderer/src/steps/VerifyStep.js';
import { WelcomeStep } from '../../../renderer/src/steps/WelcomeStep.js';
import { calls, fail, fake, ok, pendingUntilCancelled, useFakeBridgeInEachTest } from './fakeBridge.js';
import { inspection, rsaKey } from './fixtures.js';
import { renderStep } from './render.js';

const sessionId = 'session-0123456789abcdef';

useFakeBridgeInEachTest({ clearStorage: false });

describe('welcome step', () => {
  it('says the work time once, and to keep Homemail open while DNS publishes (the new key lives in memory until it is on the server)', async () => {
    await renderStep(<WelcomeStep />, { language: 'ja' });
    const text = document.body.textContent ?? '';
    expect(text.match(/DNS の反映/g) ?? []).toEqual([]);
    expect(text).toContain('作業は約 15 分です。');
    expect(text).toContain('その間も Homemail は閉じないでください。');
    expect(text).not.toContain('閉じて、あとで続きから');
  });
});

describe('findings step', () => {
  it('inspects on arrival, shows progress and can be cancelled', async () => {
    fake('inspectServer', (_input, hooks) => pendingUntilCancelled(hooks));
    await renderStep(<FindingsStep />, { values: { sessionId, sshTarget: 'admin@mail.example.jp' } });
    expect(await screen.findByText('Looking at admin@mail.example.jp…')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Cancelled.')).toBeTruthy();
    expect(calls.map((c) => c.name)).toEqual(['inspectServer']);
  });

  it('says what went wrong and offers to try again', async () => {
    fake('inspectServer', () => fail({ code: 'sudo-failed', message: 'sudo asked for a password.' }));
    await renderStep(<FindingsStep />, { values: { sessionId } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('sudo was refused: sudo asked for a password.');
    expect(alert.textContent).toContain('Check the sudo password');
    fake('inspectServer', () => ok(inspection()));
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/OpenDKIM is not installed/)).toBeTruthy();
  });

  it('calls out problems in plain Japanese', async () => {
    fake('inspectServer', () => ok(inspection()));
    await renderStep(<FindingsStep />, { values: { sessionId }, language: 'ja' });
    expect(await screen.findByRole('heading', { name: '直す必要があること(2)' })).toBeTruthy();
    expect(screen.getByText(/DKIM 鍵 \/etc\/dkimkeys\/postfix.private は 1024 ビットしかありません/)).toBeTruthy();
  });

  it('asks to connect first when there is no session', async () => {
    await renderStep(<FindingsStep />);
    expect(screen.getByText('Connect to a server first (previous step).')).toBeTruthy();
    expect(calls).toEqual([]);
  });
});

describe('domain step', () => {
  it('refuses a bad domain and report address before making a key', async () => {
    await renderStep(<DomainStep goNext={() => undefined} />, { values: { domain: 'example', rua: 'not an address' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the key and the records' }));
    expect(await screen.findByText(/has no dot: give the full domain name/)).toBeTruthy();
    expect(screen.getByText('Please correct the fields marked above.')).toBeTruthy();
    expect(calls).toEqual([]);
  });

  it('makes a 2048-bit RSA key with a dated selector for an IDN domain', async () => {
    const key = rsaKey('xn--r8jz45g.jp', '202611');
    fake('generateDkimKey', (input) => ok({ key: { ...key, selector: input.selector }, record: { name: '', type: 'TXT', ttl: 3600, value: '', strings: [], purpose: 'dkim', action: 'publish', zone: '' }, notes: [] }));
    fake('readPublishedRecords', (input) => ok(publishedNothing(input.domain)));
    const goNext = vi.fn();
    await renderStep(<DomainStep goNext={goNext} />, { values: { domain: '例え.jp' } });
    expect(screen.getByText('In DNS this is written xn--r8jz45g.jp.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create the key and the records' }));
    await waitFor(() => expect(goNext).toHaveBeenCalledOnce());
    expect(calls).toEqual([
      { name: 'readPublishedRecords', input: { domain: 'xn--r8jz45g.jp', selectors: [], includes: [], reportDomains: [], resolvers: [] } },
      { name: 'generateDkimKey', input: { domain: 'xn--r8jz45g.jp', selector: expect.stringMatching(/^\d{6}$/), type: 'rsa', bits: 2048 } },
    ]);
  });

  it('starts the policy from what the domain publishes: nothing weaker than its p=quarantine, its rua kept, its -all kept', async () => {
    fake('readPublishedRecords', (input) =>
      ok({ ...publishedNothing(input.domain), existing: [{ name: 'example.jp', type: 'TXT', value: 'v=spf1 mx -all' }, { name: '_dmarc.example.jp', type: 'TXT', value: 'v=DMARC1; p=quarantine; rua=mailto:d@example.jp' }] }),
    );
    await renderStep(<DomainStep goNext={() => undefined} />, { values: { domain: 'example.jp' } });
    fireEvent.blur(screen.getByLabelText('Mail domain'));
    expect(await screen.findByText('The domain publishes p=quarantine now: a weaker policy is not offered.')).toBeTruthy();
    const none = screen.getByRole('radio', { name: /p=none/ });
    expect((none as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('radio', { name: /p=quarantine/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Address for the daily reports (rua)') as HTMLInputElement).value).toBe('d@example.jp');
    expect((screen.getByRole('radio', { name: /-all/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('reads what the domain and the server carry on arrival, in Japanese: their SPF and DMARC shown, a third-party rua kept and explained, the selector in use named', async () => {
    // The first release's real user: SPF with includes, DMARC reports to a third party, a 1024-bit single-key OpenDKIM.
    fake('readPublishedRecords', (input) =>
      ok({
        ...publishedNothing(input.domain),
        servers: ['192.0.2.53'],
        existing: [
          { name: 'example.jp', type: 'TXT', value: 'v=spf1 a mx ip4:203.0.113.5 include:_spf.example.org ~all' },
          { name: '_dmarc.example.jp', type: 'TXT', value: 'v=DMARC1; p=none; rua=mailto:re+abc123@reports.example.net; fo=1' },
        ],
      }),
    );
    const base = inspection();
    const key = { path: '/etc/dkimkeys/postfix.private', domain: 'example.jp', selector: 'postfix', exists: true, owner: 'opendkim', group: 'opendkim', mode: '600', keyType: 'rsa' as const, bits: 1024, safetyProblems: [], safety: [] };
    await renderStep(<DomainStep goNext={() => undefined} />, { values: { domain: 'example.jp', inspection: { ...base, opendkim: { ...base.opendkim, keys: [key] } } }, language: 'ja' });
    expect(await screen.findByText('v=spf1 a mx ip4:203.0.113.5 include:_spf.example.org ~all')).toBeTruthy();
    const now = screen.getByTestId('published-now');
    expect(within(now).getByText('v=DMARC1; p=none; rua=mailto:re+abc123@reports.example.net; fo=1')).toBeTruthy();
    expect(within(now).getByTestId('rua-elsewhere').textContent).toContain('集計レポートは re+abc123@reports.example.net に届いています。');
    expect(within(now).getByTestId('signing-now').textContent).toContain('セレクター postfix(RSA 1024 ビット)で署名していますが');
    expect((screen.getByLabelText('集計レポートの宛先(rua)') as HTMLInputElement).value).toBe('re+abc123@reports.example.net');
    expect(calls.map((c) => c.name)).toEqual(['readPublishedRecords']);
  });

  it('coming back from a saved server, warns that the selector it remembers already has a published key this window does not hold, and offers a free one', async () => {
    fake('readPublishedRecords', (input) =>
      ok({ ...publishedNothing(input.domain), servers: ['192.0.2.53'], existing: [{ name: '202611._domainkey.example.jp', type: 'TXT', value: 'v=DKIM1; k=rsa; p=MIIB' }] }),
    );
    await renderStep(<DomainStep goNext={() => undefined} />, { values: { domain: 'example.jp', selector: '202611' }, language: 'ja' });
    const busy = await screen.findByTestId('selector-busy');
    expect(busy.textContent).toContain('セレクター 202611 には、サーバーか DNS にすでに鍵があります');
    expect(calls[0]?.input).toMatchObject({ selectors: ['202611'] });
    fireEvent.click(within(busy).getByRole('button'));
    const field = screen.getByLabelText('セレクター(DNS での鍵の名前)') as HTMLInputElement;
    expect(field.value).toMatch(/^\d{6}[a-z]?$/);
    expect(field.value).not.toBe('202611');
    expect(screen.queryByTestId('selector-busy')).toBeNull();
  });

  it('shows key generation failing with what to do', async () => {
    fake('readPublishedRecords', (input) => ok(publishedNothing(input.domain)));
    fake('generateDkimKey', () => fail({ code: 'bad-input', message: 'selector: bad', details: { field: 'selector' } }));
    await renderStep(<DomainStep goNext={() => undefined} />, { values: { domain: 'example.jp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the key and the records' }));
    const alert = await screen.findByRole('alert');
    // The field as the wizard labels it, not the CLI's option name.
    expect(alert.textContent).toContain('Field: Selector');
  });
});

describe('records step', () => {
  it('asks for a key first when there is none', async () => {
    await renderStep(<RecordsStep />);
    expect(screen.getByText('Create a key in the previous step first.')).toBeTruthy();
  });

  it('shows each record with a copy button that confirms, and switches provider forms', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fake('readPublishedRecords', (input) => ok(publishedNothing(input.domain)));
    await renderStep(<RecordsStep />, { values: { domain: 'example.jp', keys: [rsaKey()], rua: 'dmarc@example.jp' } });
    const dkim = document.querySelector('tbody.record[data-purpose="dkim"]') as HTMLElement;
    await waitFor(() => expect(dkim.getAttribute('data-change')).toBe('add'));
    expect(within(dkim).getByText('202611._domainkey.example.jp.')).toBeTruthy();
    fireEvent.click(within(dkim).getByRole('button', { name: 'Copy the value of 202611._domainkey.example.jp' }));
    expect(await within(dkim).findByText('✓ Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^v=DKIM1; h=sha256; k=rsa; p=MIIBIjAN/));
    expect(screen.getByTestId('all-records').textContent).toContain('_dmarc.example.jp.\t3600\tIN\tTXT\t"v=DMARC1; p=none; rua=mailto:dmarc@example.jp"');
    fireEvent.change(screen.getByLabelText('Your DNS provider'), { target: { value: 'cloudflare' } });
    expect(screen.getByTestId('all-records').textContent).toContain('Name:    202611._domainkey');
    expect(screen.getByText(/Cloudflare dashboard/)).toBeTruthy();
  });

  it('shows what is published now beside what to publish: replace, keep, delete, with notes under their record', async () => {
    fake('readPublishedRecords', (input) =>
      ok({
        ...publishedNothing(input.domain),
        servers: ['ns1.example.jp (192.0.2.53)'],
        existing: [
          { name: 'example.jp', type: 'TXT', value: 'v=spf1 include:_spf.example.net ~all' },
          { name: '_dmarc.example.jp', type: 'TXT', value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.jp' },
          { name: '_adsp._domainkey.example.jp', type: 'TXT', value: 'dkim=unknown' },
        ],
      }),
    );
    await renderStep(<RecordsStep />, { values: { domain: 'example.jp', keys: [rsaKey()], rua: 'dmarc@example.jp', dmarcPolicy: 'quarantine', spfAddresses: '203.0.113.5' } });
    expect(await screen.findByText('What example.jp publishes now, as its DNS servers answer: ns1.example.jp (192.0.2.53).')).toBeTruthy();
    const row = (purpose: string) => document.querySelector(`tbody.record[data-purpose="${purpose}"]`) as HTMLElement;
    expect(row('spf').getAttribute('data-change')).toBe('replace');
    expect(within(row('spf')).getByText('v=spf1 include:_spf.example.net ~all')).toBeTruthy();
    expect(within(row('spf')).getByText('v=spf1 include:_spf.example.net ip4:203.0.113.5 ~all')).toBeTruthy();
    expect(row('dmarc').getAttribute('data-change')).toBe('keep');
    expect(row('adsp').getAttribute('data-change')).toBe('delete');
    expect(within(row('adsp')).getByText(/ADSP was retired in 2013/)).toBeTruthy();
    // The provider picker comes before the table.
    const picker = screen.getByLabelText('Your DNS provider');
    expect(picker.compareDocumentPosition(row('spf')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

function gate(domain: string, visible: 'yes' | 'no') {
  const name = `202611._domainkey.${domain}`;
  return { domain, allVisible: visible === 'yes', problem: null, selectors: [{ selector: '202611', name, visible, servers: [{ server: 'ns1.example.jp (192.0.2.53)', answer: checkText(visible === 'yes' ? 'gateKeyRecord' : 'gateNoRecord'), visible }] }] };
}

function publishedNothing(domain: string) {
  return { domain, zone: domain, servers: [], existing: [], unknownNames: [], spfAnswers: {} };
}

const plan: Plan = {
  host: 'mail.example.jp',
  domain: 'example.jp',
  changed: true,
  files: [
    {
      path: '/etc/opendkim.conf',
      kind: 'modify',
      owner: 'root',
      group: 'root',
      mode: '0644',
      secret: false,
      diff: '--- a/etc/opendkim.conf\n+++ b/etc/opendkim.conf\n@@ -1 +1,2 @@\n-Socket local:/run/opendkim/opendkim.sock\n+Socket local:/var/spool/postfix/opendkim/opendkim.sock\n+KeyTable /etc/opendkim/key.table',
      why: { key: 'opendkimConf', params: {}, text: 'Sign with the key table.' },
    },
    { path: '/etc/dkimkeys/202611.private', kind: 'create', owner: 'opendkim', group: 'opendkim', mode: '0600', secret: true, diff: '(private key)', why: { key: 'privateKey', params: {}, text: 'The private key.' } },
  ],
  commands: [{ kind: 'validate', command: 'opendkim -n', words: { key: 'validate', params: {}, text: 'Check the OpenDKIM configuration.' } }],
  backedUp: ['/etc/opendkim.conf', '/etc/postfix/main.cf'],
  notes: [],
  opendkimSocket: 'local:/var/spool/postfix/opendkim/opendkim.sock',
  milter: 'unix:opendkim/opendkim.sock',
  interrupted: [],
};

const ready = { sessionId, domain: 'example.jp', keys: [{ ...rsaKey(), keyId: '5b6f3c1e-3a63-4f0a-9c55-0d7b2b7c7c11' }] };

describe('review and apply steps', () => {
  it('shows the diffs, commands and backups, and applies nothing before the confirmation', async () => {
    fake('planChanges', () => ok(plan));
    fake('checkDkimPublished', (input) => ok(gate(input.domain, 'yes')));
    const goNext = vi.fn();
    await renderStep(<ReviewStep goNext={goNext} />, { values: ready });
    expect(await screen.findByRole('heading', { name: /\/etc\/opendkim.conf/ })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('publish-gate').getAttribute('data-visible')).toBe('yes'));
    expect(screen.getByText('+KeyTable /etc/opendkim/key.table', { exact: false })).toBeTruthy();
    expect(screen.getByText('This is the private key: it is written with owner-only permissions and never shown.')).toBeTruthy();
    expect(screen.getByText('opendkim -n')).toBeTruthy();
    const apply = screen.getByRole('button', { name: 'Apply the changes' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.click(apply);
    expect(goNext).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText('I have read these changes and want to apply them to mail.example.jp'));
    fireEvent.click(apply);
    expect(goNext).toHaveBeenCalledOnce();
    expect(calls.map((c) => c.name)).toEqual(['planChanges', 'checkDkimPublished']);
    expect(calls[0]?.input).toMatchObject({ sessionId, domain: 'example.jp', keyIds: ['5b6f3c1e-3a63-4f0a-9c55-0d7b2b7c7c11'], skipDnsCheck: false });
  });

  it('publish before sign: "not yet" keeps Apply closed until the explicit confirmation that says what receivers see', async () => {
    fake('planChanges', () => ok(plan));
    fake('checkDkimPublished', (input) => ok(gate(input.domain, 'no')));
    const goNext = vi.fn();
    await renderStep(<ReviewStep goNext={goNext} />, { values: ready });
    const row = await screen.findByText('not yet');
    expect(row.closest('li')?.textContent).toBe('202611._domainkey.example.jp: record visible at your DNS servers: not yetns1.example.jp (192.0.2.53): no record');
    // each server's answer, from its code
    expect(within(screen.getByRole('list', { name: 'What each DNS server answered' })).getByText('ns1.example.jp (192.0.2.53): no record')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('I have read these changes and want to apply them to mail.example.jp'));
    const apply = screen.getByRole('button', { name: 'Apply the changes' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    expect(screen.getByText(/receivers find a signature they cannot check/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Apply now anyway, before the record is visible'));
    await waitFor(() => expect(apply.disabled).toBe(false));
    fireEvent.click(apply);
    expect(goNext).toHaveBeenCalledOnce();
  });

  it('shows the plan failing with what to do', async () => {
    fake('planChanges', () => fail({ code: 'command-failed', message: 'postconf failed' }));
    await renderStep(<ReviewStep goNext={() => undefined} />, { values: ready });
    expect((await screen.findByRole('alert')).textContent).toContain('A command on the server failed: postconf failed');
  });

  it('applies with a live log, and on failure says it was rolled back', async () => {
    let finish: (() => void) | undefined;
    fake('applyChanges', (_input, hooks) => {
      hooks.onProgress?.({ stage: 'backup', status: 'info', text: 'backed up 2 files' });
      hooks.onProgress?.({ stage: 'gather', status: 'start', text: 'Reading the server configuration (English from the service)' });
      hooks.onProgress?.({ stage: 'validate', status: 'failed', text: 'opendkim -n: bad KeyTable' });
      return new Promise((resolve) => {
        finish = () => resolve({ ok: false, error: { code: 'apply-failed', message: 'opendkim -n refused the configuration; restored the backup.' } });
      });
    });
    await renderStep(<ApplyStep />, { values: { ...ready, plan } });
    expect(await screen.findByText('backed up 2 files')).toBeTruthy();
    expect(screen.getByText('opendkim -n: bad KeyTable')).toBeTruthy();
    // A stage's start is said from the catalog, not in the service's English.
    expect(screen.getByRole('list', { name: 'Progress' }).textContent).toContain('Reading the server configuration');
    expect(screen.queryByText(/English from the service/)).toBeNull();
    finish?.();
    expect(await screen.findByText('The change did not work, so it was undone')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('The change failed and was rolled back: opendkim -n refused the configuration');
  });

  it('marks a stage done once the next one begins, and drops a start its own result line repeats', () => {
    // What a real apply sends (seen in the wizard): starts for each stage, an ok only for health and done.
    const entries = (['gather', 'send', 'check', 'backup', 'write', 'validate', 'restart', 'health'] as const).map((stage) => ({ stage, status: 'start' as const, text: '' }));
    const log = [...entries, { stage: 'health' as const, status: 'ok' as const, text: '' }, { stage: 'done' as const, status: 'ok' as const, text: '' }];
    expect(log.map((_, i) => shownStatus(log, i))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', null, 'ok', 'ok']);
    // While it runs, the current stage is still in progress; a failure stays a failure.
    expect(shownStatus(entries.slice(0, 3), 2)).toBe('start');
    const failed = [...entries.slice(0, 6), { stage: 'validate' as const, status: 'failed' as const, text: '' }, { stage: 'rollback' as const, status: 'start' as const, text: '' }];
    expect(failed.map((_, i) => shownStatus(failed, i)).slice(5)).toEqual([null, 'failed', 'start']);
  });

  it('review waits for a connection and a key', async () => {
    await renderStep(<ReviewStep goNext={() => undefined} />);
    expect(screen.getByText('Connect to the server and create a key first.')).toBeTruthy();
  });

  it('apply waits for a reviewed plan', async () => {
    await renderStep(<ApplyStep />);
    expect(screen.getByText('Review the changes first.')).toBeTruthy();
  });
});

function report(status: 'pass' | 'fail'): VerifyReport {
  return {
    domain: 'example.jp',
    zone: 'example.jp',
    resolvers: [{ address: '192.0.2.53', role: 'chosen', label: '192.0.2.53', usable: true, problem: null, problemCode: null, primary: true }],
    checks: [
      {
        id: 'dkim:202611',
        area: 'dkim',
        status,
        title: checkText('dkimTitle', { name: '202611._domainkey.example.jp' }),
        expected: checkText('dkimExpectedAny'),
        found: status === 'pass' ? checkText('dkimFoundPresent', { type: 'rsa', bits: 2048 }) : checkText('dkimFoundNone', { name: '202611._domainkey.example.jp' }),
        fix: status === 'pass' ? null : checkText('dkimFixPublish', { name: '202611._domainkey.example.jp' }),
      },
    ],
    summary: { pass: status === 'pass' ? 1 : 0, warn: 0, fail: status === 'fail' ? 1 : 0, unknown: 0 },
    ok: status === 'pass',
    settled: true,
    timing: { wallMs: 10, queries: 3, slowestQueryMs: 5, slowestQuery: null },
  };
}

describe('verify step', () => {
  it('shows progress per phase, then each failure with its fix', async () => {
    let finish: (() => void) | undefined;
    fake('verifyDns', (_input, hooks) => {
      hooks.onProgress?.({ kind: 'phase', phase: 'records', done: 2, total: 5 });
      return new Promise((resolve) => {
        finish = () => resolve({ ok: true, result: report('fail') });
      });
    });
    await renderStep(<VerifyStep />, { values: { domain: 'example.jp', keys: [rsaKey()], resolvers: '192.0.2.53' } });
    fireEvent.click(screen.getByLabelText(/^Keep checking until DNS has settled/));
    fireEvent.click(screen.getByRole('button', { name: 'Check DNS' }));
    expect(await screen.findByText('Asking for the records (2/5)')).toBeTruthy();
    finish?.();
    expect(await screen.findByText('Some checks failed: each one says what to do.')).toBeTruthy();
    expect(screen.getByText(/Publish the DKIM record from the records step as a TXT record named 202611._domainkey.example.jp/)).toBeTruthy();
    expect(calls[0]?.input).toMatchObject({ domain: 'example.jp', resolvers: ['192.0.2.53'], waitSeconds: 0, dkim: [{ selector: '202611', keyType: 'rsa' }] });
  });

  it('sends the signed test message once DNS has been checked', async () => {
    fake('verifyDns', () => ok(report('pass')));
    fake('sendTest', () => ok({ from: 'homemail-test@example.jp', to: 'admin', mailbox: '/var/mail/admin', messages: [], checks: report('pass').checks, summary: report('pass').summary, ok: true }));
    await renderStep(<VerifyStep />, { values: { sessionId, domain: 'example.jp', keys: [rsaKey()], resolvers: '192.0.2.53' } });
    fireEvent.click(screen.getByLabelText(/^Keep checking until DNS has settled/));
    fireEvent.click(screen.getByRole('button', { name: 'Check DNS' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test message' }));
    expect((await screen.findByTestId('send-summary')).textContent).toContain('The test message to admin was signed and verifies.');
    expect(calls.map((c) => c.name)).toEqual(['verifyDns', 'sendTest']);
    expect(calls[1]?.input).toEqual({ sessionId, domain: 'example.jp', addresses: [], resolvers: ['192.0.2.53'] });
  });

  it('reports a failed call with what to do', async () => {
    fake('verifyDns', () => fail({ code: 'bad-input', message: 'resolvers: bad address', details: { field: 'resolvers' } }));
    await renderStep(<VerifyStep />, { values: { domain: 'example.jp', keys: [rsaKey()] } });
    fireEvent.click(screen.getByRole('button', { name: 'Check DNS' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Please check this value: resolvers: bad address');
  });
});

describe('done step', () => {
  it('sums up and dates the next steps', async () => {
    await renderStep(<DoneStep />, { values: { sshTarget: 'admin@mail.example.jp', domain: 'example.jp', keys: [rsaKey()], verified: report('pass') } });
    expect(screen.getByText('DKIM key 202611 (RSA 2048)')).toBeTruthy();
    expect(screen.getByText(/change the policy to p=quarantine/)).toBeTruthy();
    expect(screen.getByText('Checks: 1 passed, 0 warnings, 0 failed, 0 cannot tell')).toBeTruthy();
  });
});
