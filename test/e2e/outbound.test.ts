// The way-out and sender-requirements pages in Chromium through web mode, against the test host
// with its outbound world (test/host/outboundWorld.ts): port 25 to blocked.example.test's MX is
// reset while 587 answers, so the page says port 25 is blocked and points to the relay; both
// pages in English and Japanese, with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboundWorld, type OutboundWorld } from '../host/outboundWorld.js';
import { hostAvailability, resetHost, type TestHost } from '../host/testHost.js';
import { browserAvailability, type BrowserSession, englishInJapanese, openWizardPage, screenshotPath, seriousAxeViolations, startBrowserSession } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;

async function bothLanguages(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`${name}-en`), fullPage: true });
  await page.getByLabel('Language').selectOption('ja');
  await page.locator('html[lang="ja"]').waitFor();
  expect(await seriousAxeViolations(page), `axe on ${name} (ja)`).toEqual([]);
  expect(await englishInJapanese(page), `English sentences on ${name} (ja)`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`${name}-ja`), fullPage: true });
  await page.getByLabel('言語').selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
}

describe.skipIf(skipReason !== null)('the way-out and sender-requirements pages', () => {
  let host: TestHost;
  let world: OutboundWorld;
  let session: BrowserSession;

  beforeAll(async () => {
    host = await resetHost('fresh');
    world = await startOutboundWorld(host, ['example.test. 60 IN TXT "v=spf1 mx -all"', '_dmarc.example.test. 60 IN TXT "v=DMARC1; p=none"']);
    session = await startBrowserSession('outbound');
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await world?.close();
  });

  it('finds port 25 blocked, explains it and points to the relay; lists the receivers\' rules with their pages', async () => {
    const page = await openWizardPage(session, 'en-US');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('SSH server').fill(`${host.users.admin.name}@${host.sshHost}:${host.sshPort}`);
    await page.getByLabel('A password').check();
    await page.getByLabel('Password', { exact: true }).fill(host.users.admin.password);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();
    await page.locator('main[data-step="findings"]').waitFor({ timeout: 60_000 });

    // From the top bar, like Status and Reports.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'The way out' }).click();
    await page.locator('main[data-page="outbound"] [data-port25]').waitFor({ timeout: 90_000 });
    await page.getByLabel('Try another receiving domain').fill('blocked.example.test');
    await page.getByRole('button', { name: 'Check again' }).click();
    const port25 = page.locator('[data-port25="blocked"]');
    await port25.waitFor({ timeout: 90_000 });
    expect(await port25.textContent()).toContain('Port 25 is blocked: mx.blocked.example.test did not answer on port 25, but did on port 587.');
    // The relay: a button where the wizard has a relay step or page, else the command.
    const relayButton = port25.getByRole('button', { name: 'Set up a relay' });
    if ((await relayButton.count()) === 0) expect(await port25.textContent()).toContain('homemail relay --ssh');
    expect(await page.locator('li.check[data-check="port25"]').getAttribute('data-status')).toBe('fail');
    await bothLanguages(page, 'outbound-blocked');
    // The wizard has the Relay page: the button opens it (test/e2e/relay.test.ts applies one there).
    await relayButton.click();
    await page.getByRole('heading', { level: 1, name: 'Send through a relay (smarthost)' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'The way out' }).click();
    await port25.waitFor({ timeout: 90_000 });

    await page.getByRole('button', { name: 'See the sender requirements of Gmail, Yahoo and Outlook' }).click();
    const requirements = page.locator('main[data-page="requirements"]');
    await requirements.waitFor();
    // No domain entered yet: the page says where to enter it.
    expect(await requirements.textContent()).toContain('Enter your mail domain first');

    // The domain step (prefilled from the server), asking the test DNS; then the checklist.
    await page.getByRole('button', { name: /^Back to the step/ }).click();
    await page.locator('.actions').getByRole('button', { name: 'Next' }).click();
    await page.locator('.actions').getByRole('button', { name: /^(Next|Skip this step)$/ }).click();
    await page.locator('main[data-step="domain"]').waitFor();
    expect(await page.getByLabel('Mail domain').inputValue()).toBe(host.domain);
    await page.getByText('DNS servers to ask', { exact: true }).click();
    await page.getByLabel(/^DNS servers to ask instead/).fill(`${host.dns.address}:${host.dns.port}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Sender requirements' }).click();
    await requirements.locator('table.requirements').first().waitFor({ timeout: 90_000 });
    const status = (id: string) => requirements.locator(`tr[data-requirement="${id}"]`).getAttribute('data-status');
    const receivers = await Promise.all((await requirements.locator('[data-receiver]').all()).map((item) => item.getAttribute('data-receiver')));
    expect(receivers).toEqual(['gmail', 'yahoo', 'outlook']);
    expect(await status('gmail.auth')).toBe('pass'); // SPF "v=spf1 mx -all" is published
    expect(await status('gmail.tls')).toBe('pass'); // Debian's main.cf: smtp_tls_security_level = may
    expect(await status('outlook.dkim')).toBe('unknown'); // no key yet: no selector to check
    expect(await status('gmail.spamRate')).toBe('unknown');
    expect(await requirements.textContent()).toContain('https://support.google.com/a/answer/81126');
    await bothLanguages(page, 'requirements');
    await page.context().close();
  });
});
