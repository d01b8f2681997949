// The Relay page in Chromium through web mode, against the real test host and its ISP relay
// stand-in (hostctl.sh relay-up: submission on 127.0.0.2:587, STARTTLS, SASL): the generic form
// filled in, the reviewed diff (the password file named, never shown), the apply with its health
// check, the page in Japanese, axe clean, and the undo from the "Changes made" page leaving the
// server byte for byte as before. Run through test/host/isolated.sh (see docs/DEVELOPING.md).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAvailability, resetHost, type RelayServer, type TestHost } from '../host/testHost.js';
import { browserAvailability, type BrowserSession, openWizardPage, screenshotPath, seriousAxeViolations, startBrowserSession } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;

/** Everything the page shows or holds as text, input values included. */
async function pageText(page: Page): Promise<string> {
  const values = await page.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value).join('\n'));
  return `${await page.locator('body').innerText()}\n${values}`;
}

async function axeEverywhere(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`relay-${name}`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeViolations(page), `axe on ${name} (dark)`).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(skipReason !== null)('Relay page', () => {
  let host: TestHost;
  let relay: RelayServer;
  let session: BrowserSession;

  beforeAll(async () => {
    host = await resetHost('fresh');
    relay = await host.startRelay();
    await host.setRecords('example.org', [`relay IN A ${relay.address}`]);
    session = await startBrowserSession('relay');
  });

  afterAll(async () => {
    await session?.close();
    await resetHost('fresh').catch(() => undefined);
  });

  it('applies a relay from the generic form (en), shows it in Japanese, and undoes it from the Changes page; axe clean', async () => {
    const page = await openWizardPage(session, 'en-US');
    await page.locator('.actions').getByRole('button', { name: 'Next' }).click();
    await page.locator('main[data-step="server"]').waitFor();
    await page.getByLabel('SSH server').fill(`${host.users.admin.name}@${host.sshHost}:${host.sshPort}`);
    await page.getByLabel('A password').check();
    await page.getByLabel('Password', { exact: true }).fill(host.users.admin.password ?? '');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('host-fingerprint').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();
    await page.locator('main[data-step="findings"]').waitFor();

    const before = await host.snapshot();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Relay' }).click();
    await page.locator('main[data-page="relay"]').waitFor();
    await axeEverywhere(page, 'form-en');
    await page.getByLabel('Relay host name').fill(relay.name);
    await page.getByLabel('Login name').fill(relay.user);
    await page.getByLabel('Password', { exact: true }).fill(relay.password);
    await page.getByRole('button', { name: 'Show the changes' }).click();
    const review = page.locator('.relay-review');
    await review.locator('.file-change[data-path="/etc/postfix/main.cf"]').waitFor({ timeout: 60_000 });
    expect(await review.locator('.file-change[data-path="/etc/postfix/main.cf"] pre.diff').textContent()).toContain(`+relayhost = [${relay.name}]:587`);
    await review.getByText('This is the relay password: it is written with owner-only permissions and never shown.').waitFor();
    expect(await review.innerText()).not.toContain(relay.password);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    await axeEverywhere(page, 'review-en');

    await review.getByLabel(/^I have read these changes/).check();
    await review.getByRole('button', { name: 'Apply the changes' }).click();
    await page.getByText(/^The server now sends through the relay\. Backup: /).waitFor({ timeout: 120_000 });
    expect((await host.runAsRoot('postconf -h relayhost')).stdout.trim()).toBe(`[${relay.name}]:587`);
    // The password is gone from the page once applied: not shown, not kept in the field.
    expect(await pageText(page)).not.toContain(relay.password);

    await page.getByLabel('Language').selectOption('ja');
    await page.locator('html[lang="ja"]').waitFor();
    await page.getByRole('heading', { level: 1, name: 'リレー(スマートホスト)経由で送る' }).waitFor();
    await page.getByText(/^サーバーはリレー経由で送信するようになりました。バックアップ: /).waitFor();
    await axeEverywhere(page, 'applied-ja');

    // Undo from the "Changes made" page.
    await page.getByRole('navigation', { name: 'ページ' }).getByRole('button', { name: 'これまでの変更' }).click();
    const entry = page.locator('li.backup').first();
    await entry.waitFor({ timeout: 60_000 });
    await entry.getByRole('button', { name: '元に戻す内容を確認する' }).click();
    expect(await entry.innerText()).not.toContain(relay.password);
    await entry.getByLabel(/^内容を読みました/).check();
    await entry.getByRole('button', { name: '元に戻す', exact: true }).click();
    await page.getByText(/を元に戻しました。/).waitFor({ timeout: 120_000 });
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    await page.context().close();
  });
});
