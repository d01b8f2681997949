// @vitest-environment jsdom
// The Requirements page shows each row's reasons (catalog sentences): with a relay, the SPF
// rows say that SPF is judged for the relay, in English and Japanese. Rows are made by the real
// judge (requirements.ts) from verify- and outbound-shaped checks; the back end runs in
// test/host/outbound.test.ts.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { summarize, type Check } from '../../../shared/checks.js';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import type { OutboundReport } from '../../../shared/outbound.js';
import { judgeRelaySpf, relaySpfCheck } from '../../../main/services/outbound/relaySpf.js';
import { judgeRequirements, requirementFacts } from '../../../main/services/outbound/requirements.js';
import { RequirementsView } from '../../../renderer/src/steps/RequirementsStep.js';
import { useFakeBridgeInEachTest } from './fakeBridge.js';
import { renderStep } from './render.js';

useFakeBridgeInEachTest();

const relaySpf = judgeRelaySpf({ domain: 'example.jp', relayHost: 'smtp.sendgrid.net', include: 'sendgrid.net', includeListed: false, addresses: [], spfUnreadable: false });
const spfCheck: Check = { id: 'spf', area: 'spf', status: 'pass', title: { key: 'spfTitle', params: { domain: 'example.jp' }, text: 'SPF' }, expected: null, found: null, fix: null };
const verify: VerifyReport = { domain: 'example.jp', zone: 'example.jp', resolvers: [], checks: [spfCheck], summary: summarize([spfCheck]), ok: true, settled: true, timing: { wallMs: 0, queries: 0, slowestQueryMs: 0, slowestQuery: null } };
const outbound = { publicAddress: '203.0.113.5', relaySpf, checks: [relaySpfCheck(relaySpf)] } as unknown as OutboundReport;
const rows = judgeRequirements(requirementFacts(verify, outbound));
const requirements = { domain: 'example.jp', rows, checks: [], serverChecked: true, ok: false };
// What the page judged them from (no server here): it shows them without asking again.
const requirementsFor = JSON.stringify({ domain: 'example.jp', dkim: [], addresses: [], resolvers: [] });

describe('the Requirements page: reasons', () => {
  it('says SPF is judged for the relay, and why it fails (English)', async () => {
    const view = await renderStep(<RequirementsView />, { values: { domain: 'example.jp', requirements, requirementsFor } });
    const row = view.container.querySelector('[data-requirement="outlook.spf"]');
    expect(row?.getAttribute('data-status')).toBe('fail');
    expect(row?.querySelector('[data-reason="reqSpfViaRelay"]')?.textContent).toContain('Mail leaves through the relay smtp.sendgrid.net');
    expect(row?.querySelector('[data-reason="outRelaySpfIncludeMissing"]')?.textContent).toContain('include:sendgrid.net');
    expect(view.container.querySelector('[data-requirement="gmail.tls"] .reason')).toBeNull();
  });
  it('in Japanese', async () => {
    await renderStep(<RequirementsView />, { values: { domain: 'example.jp', requirements, requirementsFor }, language: 'ja' });
    expect(screen.getAllByText(/リレー smtp\.sendgrid\.net を経由して送られるため/).length).toBeGreaterThan(0);
  });
});
