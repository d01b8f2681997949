// The whole wizard in Chromium, through web mode, against the real test host and its DNS
// server (test/host/README.md): nothing is mocked. Run with the host lock held, closed in the
// command (-o) so that the host's daemons do not inherit it and keep it after the run:
//   flock -o /tmp/homemail-host.lock npm run test:e2e
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAvailability, resetHost, type TestHost, type Variant } from '../host/testHost.js';
import { browserAvailability, englishInJapanese, evaluateWithin, launchBrowser, screenshotPath, seriousAxeViolations, startWebMode, type WebMode } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;
const required = process.env.HOMEMAIL_REQUIRE_BROWSER === '1' || process.env.HOMEMAIL_REQUIRE_HOST === '1';

describe('wizard end to end: availability', () => {
  it(skipReason === null ? 'Chromium, the build and the test host are present' : `wizard e2e cannot run here: ${skipReason}`, () => {
    if (required) expect(skipReason).toBeNull();
  });
});

/** One browser page on a fresh web mode with its own data folder (so known_hosts starts empty). */
interface Session {
  web: WebMode;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}

async function openWizard(browser: Browser, locale = 'en-US'): Promise<Session> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-'));
  const web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir });
  const context = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${web.port}` });
  const page = await context.newPage();
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`page console: ${message.text()}`);
  });
  await web.open(page);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return {
    web,
    context,
    page,
    dataDir,
    close: async () => {
      await context.close();
      await web.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function attributes(items: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await items.all()).map((item) => item.getAttribute(name)));
}

let started = performance.now();

async function onStep(page: Page, step: string): Promise<void> {
  await page.locator(`main[data-step="${step}"]`).waitFor();
  console.log(`step ${step} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
}


/** Screenshot (English, and Japanese for the main steps) plus the accessibility check, on every step. */
async function record(page: Page, name: string, options: { japanese?: boolean } = {}): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`wizard-${name}-en`), fullPage: true });
  // The dark theme follows the system: the same check with the system set to dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeViolations(page), `axe on ${name} (dark)`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`wizard-${name}-dark`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  if (options.japanese) {
    await page.getByLabel('Language').selectOption('ja');
    await page.locator('html[lang="ja"]').waitFor();
    expect(await seriousAxeViolations(page), `axe on ${name} (ja)`).toEqual([]);
    expect(await englishInJapanese(page), `English sentences on ${name} (ja)`).toEqual([]);
    await page.screenshot({ path: await screenshotPath(`wizard-${name}-ja`), fullPage: true });
    await page.getByLabel('言語').selectOption('en');
    await page.locator('html[lang="en"]').waitFor();
  }
}

async function next(page: Page): Promise<void> {
  await page.locator('.actions').getByRole('button', { name: /^(Next|Skip this step)$/ }).click();
}

/**
 * The inbound step on the single-key variant (the manual procedure's dead blocklists): the
 * lists are tested, the dead ones removed by a reviewed apply, then the change is undone from
 * the "Changes made" page in Japanese, leaving the server byte for byte as before.
 */
async function inboundAndUndo(page: Page, host: TestHost, shots: boolean): Promise<void> {
  await onStep(page, 'inbound');
  await page.locator('table.blocklists').waitFor({ timeout: 60_000 });
  const zones = await attributes(page.locator('table.blocklists tbody tr'), 'data-zone');
  expect(zones).toEqual(['all.rbl.jp', 'zen.spamhaus.org', 'bl.spamcop.net']);
  if (shots) await record(page, 'single-key-3b-inbound', { japanese: true });
  const before = await host.snapshot();
  await page.getByLabel(/^Remove the lists that do not work/).check();
  await page.getByRole('button', { name: 'Show the changes' }).click();
  const review = page.locator('.inbound-review');
  await review.locator('.file-change[data-path="/etc/postfix/main.cf"]').waitFor({ timeout: 60_000 });
  expect(await review.locator('pre.diff').textContent()).toContain('-smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp');
  expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  if (shots) await record(page, 'single-key-3c-inbound-review', { japanese: true });
  await review.getByLabel(/^I have read these changes/).check();
  await review.getByRole('button', { name: 'Apply the changes' }).click();
  await page.getByText(/^Applied\. Backup: /).waitFor({ timeout: 120_000 });
  expect((await host.runAsRoot('postconf -h smtpd_client_restrictions')).stdout.trim()).toBe('permit_mynetworks, reject_unknown_reverse_client_hostname, permit');
  expect(host.diffSnapshots(before, await host.snapshot())).toEqual(expect.arrayContaining([expect.stringMatching(/^changed \/etc\/postfix\/main\.cf /)]));

  // Undo it from the "Changes made" page, in Japanese.
  await page.getByLabel('Language').selectOption('ja');
  await page.locator('html[lang="ja"]').waitFor();
  await page.getByRole('navigation', { name: 'ページ' }).getByRole('button', { name: 'これまでの変更' }).click();
  const entry = page.locator('li.backup').first();
  await entry.waitFor({ timeout: 60_000 });
  expect(await entry.locator('.badge').textContent()).toBe('適用中');
  await entry.getByRole('button', { name: '元に戻す内容を確認する' }).click();
  expect(await entry.locator('pre.diff').textContent()).toContain('+smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp');
  expect(await englishInJapanese(page), 'English sentences on the changes page (ja)').toEqual([]);
  if (shots) {
    expect(await seriousAxeViolations(page), 'axe on the changes page (ja)').toEqual([]);
    await page.screenshot({ path: await screenshotPath('wizard-changes-restore-ja'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAxeViolations(page), 'axe on the changes page (dark)').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  }
  const restore = entry.getByRole('button', { name: '元に戻す', exact: true });
  expect(await restore.isDisabled()).toBe(true);
  await entry.getByLabel(/^内容を読みました/).check();
  await restore.click();
  await page.getByText(/を元に戻しました。/).waitFor({ timeout: 120_000 });
  expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
  await page.locator('li.backup .badge', { hasText: '元に戻し済み' }).waitFor();
  await page.getByLabel('言語').selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
  if (shots) await record(page, 'changes');
  await page.getByRole('button', { name: /^Back to the step/ }).click();
  await onStep(page, 'inbound');
}

/** Zone-file lines of the records shown (comments dropped), as a person pastes them at a provider. */
async function shownZoneLines(page: Page): Promise<string[]> {
  await page.getByLabel('Your DNS provider').selectOption('zone');
  const text = (await page.getByTestId('all-records').textContent()) ?? '';
  return text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
}

async function connect(page: Page, host: TestHost): Promise<string> {
  await onStep(page, 'server');
  await page.getByLabel('SSH server').fill(`${host.users.admin.name}@${host.sshHost}:${host.sshPort}`);
  await page.getByLabel('A password').check();
  await page.getByLabel('Password', { exact: true }).fill(host.users.admin.password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const fingerprint = page.getByTestId('host-fingerprint');
  await fingerprint.waitFor({ timeout: 30_000 });
  return (await fingerprint.textContent()) ?? '';
}

/** The manual procedure's records, already published before Homemail: SPF with an include:, DMARC quarantine, ADSP. */
async function publishOldRecords(host: TestHost): Promise<void> {
  await host.setRecords('example.org', ['_spf.example.org. 60 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"']);
  await host.setRecords('example.test', [
    'example.test. 60 IN TXT "v=spf1 include:_spf.example.org -all"',
    `_dmarc.example.test. 60 IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@${host.domain}"`,
    '_adsp._domainkey.example.test. 60 IN TXT "dkim=unknown"',
  ]);
}

async function runWizard(browser: Browser, host: TestHost, variant: Variant, shots: boolean): Promise<void> {
  const session = await openWizard(browser);
  const { page } = session;
  started = performance.now();
  const name = (step: string) => (variant === 'fresh' ? step : `${variant}-${step}`);
  try {
    await onStep(page, 'welcome');
    if (shots) await record(page, name('1-welcome'), { japanese: true });
    await next(page);

    // Server: the host key is shown for consent and is the host's real key.
    const shown = await connect(page, host);
    expect(await host.hostKeyFingerprints()).toContain(shown);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe(host.users.admin.password);
    if (shots) await record(page, name('2-server-host-key'), { japanese: true });
    await page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();

    // What we found: the inspection in plain words.
    await onStep(page, 'findings');
    await page.locator('.findings').first().waitFor({ timeout: 60_000 });
    const findings = await attributes(page.locator('[data-finding]'), 'data-finding');
    if (variant === 'fresh') expect(findings).toContain('postfixVersion');
    if (variant === 'single-key') expect(findings).toEqual(expect.arrayContaining(['keyWeak', 'sendmailUnsigned', 'rblList']));
    if (shots) await record(page, name('3-findings'), { japanese: true });
    await next(page);

    // Inbound rules: optional; the single-key server's dead lists are removed, then undone.
    if (variant === 'single-key') await inboundAndUndo(page, host, shots);
    else await onStep(page, 'inbound');
    await next(page);

    // Domain and policy: the domain comes from Postfix; a dated selector is suggested. The domain
    // already publishes SPF (with an include: of another zone), DMARC p=quarantine and ADSP, as
    // in the manual procedure: the policy starts from them.
    await onStep(page, 'domain');
    if (variant === 'fresh') await publishOldRecords(host);
    expect(await page.getByLabel('Mail domain').inputValue()).toBe(host.domain);
    expect(await page.getByLabel('Selector (the key\'s name in DNS)').inputValue()).toMatch(/^\d{6}[a-z]?$/);
    await page.getByText('DNS servers to ask', { exact: true }).click();
    await page.getByLabel(/^DNS servers to ask instead/).fill(`${host.dns.address}:${host.dns.port}`);
    await page.getByLabel('Address for the daily reports (rua)').fill(`dmarc@${host.domain}`);
    if (shots) await record(page, name('4-domain'), { japanese: true });
    await page.getByRole('button', { name: 'Create the key and the records' }).click();

    // DNS records: copy one value (the clipboard holds exactly it), then publish them all in the test DNS.
    await onStep(page, 'records');
    if (variant === 'fresh') {
      // One row per record: the published SPF is replaced by the merged one, DMARC kept, ADSP deleted.
      await page.locator('tbody.record[data-purpose="adsp"][data-change="delete"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('tbody.record[data-purpose="spf"]').getAttribute('data-change')).toBe('replace');
      expect(await page.locator('tbody.record[data-purpose="spf"] pre[data-value]').textContent()).toBe('v=spf1 include:_spf.example.org mx -all');
      expect(await page.locator('tbody.record[data-purpose="dmarc"]').getAttribute('data-change')).toBe('keep');
    }
    const dkim = page.locator('tbody.record[data-purpose="dkim"]').first();
    const value = (await dkim.locator('pre[data-value]').textContent()) ?? '';
    expect(value).toMatch(/^v=DKIM1; h=sha256; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    await dkim.getByRole('button', { name: /^Copy the value of / }).click();
    await dkim.getByText('Copied').waitFor();
    expect(await evaluateWithin<string>(page, 'navigator.clipboard.readText()')).toBe(value);
    if (shots) await record(page, name('5-records'), { japanese: true });
    const lines = await shownZoneLines(page);
    expect(lines.some((l) => l.includes('._domainkey.') && l.includes('TXT'))).toBe(true);
    await host.setRecords('example.test', lines);
    await next(page);

    // Review: diffs, commands and backups; nothing changes before the confirmation.
    await onStep(page, 'review');
    await page.locator('.file-change').first().waitFor({ timeout: 60_000 });
    // Publish before sign: the record published above is visible at the test DNS.
    await page.locator('[data-testid="publish-gate"][data-visible="yes"]').waitFor({ timeout: 60_000 });
    const before = await host.snapshot();
    const paths = await attributes(page.locator('.file-change'), 'data-path');
    expect(paths).toContain('/etc/opendkim.conf');
    expect(await page.locator('pre.diff').first().textContent()).toMatch(/^[-+]/m);
    const apply = page.getByRole('button', { name: 'Apply the changes' });
    expect(await apply.isDisabled()).toBe(true);
    if (shots) await record(page, name('6-review'), { japanese: true });
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    await page.getByLabel(/^I have read these changes/).check();
    await apply.click();

    // Apply: a live log, then the backup id.
    await onStep(page, 'apply');
    await page.getByText(/^Done\. The server signs mail now\./).waitFor({ timeout: 120_000 });
    expect(await page.locator('ol.log li').count()).toBeGreaterThan(1);
    expect(host.diffSnapshots(before, await host.snapshot()).length).toBeGreaterThan(0);
    if (shots) await record(page, name('7-apply'), { japanese: true });
    await next(page);

    // Verify against the test DNS, until every check is green (no failure).
    await onStep(page, 'verify');
    await page.getByLabel('Server\'s public address (optional)').fill(host.address);
    expect(await page.getByLabel(/^DNS servers to ask instead/).inputValue()).toBe(`${host.dns.address}:${host.dns.port}`);
    await page.getByLabel(/^Keep checking until DNS has settled/).uncheck();
    let ok = false;
    for (let attempt = 0; attempt < 6 && !ok; attempt += 1) {
      await page.getByRole('button', { name: /^(Check DNS|Check again)$/ }).click();
      const summary = page.getByTestId('verify-summary');
      await summary.waitFor({ timeout: 90_000 });
      ok = (await summary.getAttribute('data-ok')) === 'true';
      if (!ok) await page.waitForTimeout(2_000);
    }
    const failing = await page.locator('li.check[data-status="fail"]').allTextContents();
    expect(failing).toEqual([]);
    expect(ok).toBe(true);
    expect(await page.locator('li.check[data-check^="dkim"][data-status="pass"]').count()).toBeGreaterThan(0);
    // The signed test message, through the server and back.
    await page.getByRole('button', { name: 'Send a test message' }).click();
    const sent = page.getByTestId('send-summary');
    await sent.waitFor({ timeout: 120_000 });
    expect(await page.locator('.send-test li.check[data-status="fail"]').allTextContents()).toEqual([]);
    expect(await sent.getAttribute('data-ok')).toBe('true');
    if (shots) await record(page, name('8-verify'), { japanese: true });
    await next(page);

    // The way out: the test DNS cannot look up gmail.com's MX, so port 25 is "cannot tell".
    await onStep(page, 'outbound');
    const port25 = page.locator('[data-port25]');
    await port25.waitFor({ timeout: 90_000 });
    expect(await port25.getAttribute('data-port25')).toBe('unknown');
    expect(await page.locator('li.check[data-check="certificate.snakeoil"]').getAttribute('data-status')).toBe('warn');
    if (shots) await record(page, name('8b-outbound'), { japanese: true });
    await next(page);
    // The sender requirements, from the same checks: DKIM and SPF pass here.
    await onStep(page, 'requirements');
    await page.locator('table.requirements').first().waitFor({ timeout: 90_000 });
    expect(await page.locator('tr[data-requirement="gmail.auth"]').getAttribute('data-status')).toBe('pass');
    expect(await page.locator('tr[data-requirement="gmail.spamRate"]').getAttribute('data-status')).toBe('unknown');
    if (shots) await record(page, name('8c-requirements'), { japanese: true });
    await next(page);

    await onStep(page, 'done');
    await page.getByText(/^DKIM key \d{6}/).waitFor();
    if (shots) await record(page, name('9-done'), { japanese: true });

  } finally {
    await session.close();
  }
}

describe.skipIf(skipReason !== null)('the wizard against the test host', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sets up a fresh server: connect, consent, inspect, policy, key, records, review, apply, verify', async () => {
    const host = await resetHost('fresh');
    await runWizard(browser, host, 'fresh', true);
  }, 600_000);

  it('makes the records before any server is connected (publish first, connect later)', async () => {
    const host = await resetHost('fresh');
    await publishOldRecords(host);
    const session = await openWizard(browser);
    const { page } = session;
    try {
      await next(page);
      await onStep(page, 'server');
      await page.locator('.actions').getByRole('button', { name: 'Publish the DNS records first (connect the server later)' }).click();
      await onStep(page, 'findings');
      await next(page);
      await onStep(page, 'inbound');
      await next(page);
      await onStep(page, 'domain');
      await page.getByLabel('Mail domain').fill(host.domain);
      await page.getByText('DNS servers to ask', { exact: true }).click();
      await page.getByLabel(/^DNS servers to ask instead/).fill(`${host.dns.address}:${host.dns.port}`);
      await page.getByRole('button', { name: 'Create the key and the records' }).click();
      await onStep(page, 'records');
      await page.locator('tbody.record[data-purpose="adsp"][data-change="delete"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('tbody.record[data-purpose="dkim"]').first().getAttribute('data-change')).toBe('add');
      expect(await page.locator('tbody.record[data-purpose="spf"]').getAttribute('data-change')).toBe('replace');
      expect(await page.locator('tbody.record[data-purpose="dmarc"]').getAttribute('data-change')).toBe('keep');
      await record(page, 'records-before-server', { japanese: true });
    } finally {
      await session.close();
      await host.setRecords('example.org', []);
    }
  }, 300_000);

  it('stops at a changed host key and does not connect', async () => {
    const host = await resetHost('fresh');
    const session = await openWizard(browser);
    try {
      await session.page.locator('.actions').getByRole('button', { name: 'Next' }).click();
      const first = await connect(session.page, host);
      await session.page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();
      await onStep(session.page, 'findings');
      await host.rotateHostKeys();
      await session.page.getByRole('button', { name: 'Server' }).click();
      await session.page.getByRole('button', { name: 'Use a different server' }).click();
      await session.page.getByLabel('Password', { exact: true }).fill(host.users.admin.password);
      await session.page.getByRole('button', { name: 'Connect', exact: true }).click();
      await session.page.getByRole('heading', { name: 'Stop: the server\'s identity has changed' }).waitFor({ timeout: 30_000 });
      expect(await host.hostKeyFingerprints()).not.toContain(first);
      expect(await session.page.getByRole('button', { name: /^Yes, this is my server/ }).count()).toBe(0);
      expect(await session.page.locator('main[data-step="server"]').count()).toBe(1);
      await record(session.page, '2-server-host-key-changed', { japanese: true });

      // Only after the person confirms the new fingerprint out of band is the old key forgotten;
      // the new key then asks for consent like a first connection.
      const page = session.page;
      await page.getByText('The server really has a new key: confirm it and forget the old one').click();
      const changed = (await page.getByTestId('changed-host-fingerprint').textContent()) ?? '';
      expect(await host.hostKeyFingerprints()).toContain(changed);
      const forget = page.getByRole('button', { name: 'Forget the old key and connect again' });
      expect(await forget.isDisabled()).toBe(true);
      await record(page, '2-server-host-key-forget', { japanese: true });
      await page.getByLabel(/^I compared it on the server's console/).check();
      await forget.click();
      const consent = page.getByTestId('host-fingerprint');
      await consent.waitFor({ timeout: 30_000 });
      expect(await consent.textContent()).toBe(changed);
      await page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();
      await onStep(page, 'findings');
    } finally {
      await session.close();
    }
  }, 300_000);

  it('opens the header explainer, the DMARC reports and the changes pages from the frame at any time', async () => {
    const session = await openWizard(browser);
    const { page } = session;
    try {
      const pages = page.getByRole('navigation', { name: 'Pages' });
      await pages.getByRole('button', { name: 'Read message headers' }).click();
      await page.locator('main[data-page="headers"] h1').waitFor();
      await page.getByLabel('Message headers').fill(
        'Authentication-Results: mx.google.com;\n dkim=pass header.i=@example.test header.s=202611 header.b=abc;\n spf=pass (google.com: domain of a@example.test designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.test;\n dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.test',
      );
      await page.getByRole('button', { name: 'Explain' }).click();
      await page.getByTestId('header-explanation').waitFor();
      await record(page, 'page-headers', { japanese: true });
      // Without a connection the server's pages say so and lead to the server step.
      for (const [link, id] of [['DMARC reports', 'reports'], ['Changes made', 'changes']] as const) {
        await pages.getByRole('button', { name: link }).click();
        await page.locator(`main[data-page="${id}"] h1`).waitFor();
        await record(page, `page-${id}-not-connected`, { japanese: true });
      }
      await page.getByRole('button', { name: 'Go to the server step' }).click();
      await onStep(page, 'server');
    } finally {
      await session.close();
    }
  }, 120_000);

  it('stays usable at 32 px default text and at 200 % zoom: the step list folds into one line', async () => {
    const session = await openWizard(browser);
    const { page } = session;
    const fits = async () => evaluateWithin<boolean>(page, 'document.documentElement.scrollWidth <= document.documentElement.clientWidth');
    try {
      // The person's default text size (Chromium's setting), not the page's choice.
      const cdp = await session.context.newCDPSession(page);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await evaluateWithin<string>(page, 'getComputedStyle(document.documentElement).fontSize')).toBe('32px');
      await page.locator('details.steps-compact summary', { hasText: /^Step 1 of \d+: Welcome$/ }).waitFor();
      expect(await fits()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: await screenshotPath('wizard-text-32px-en') });
      await page.getByLabel('Language').selectOption('ja');
      await page.locator('details.steps-compact summary', { hasText: /^手順 1\/\d+: はじめに$/ }).waitFor();
      expect(await fits()).toBe(true);
      await page.screenshot({ path: await screenshotPath('wizard-text-32px-ja') });
      await page.getByLabel('言語').selectOption('en');

      // 200 % zoom: the same window shows half as many CSS pixels, each drawn twice as large.
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
      await page.setViewportSize({ width: 600, height: 450 });
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await evaluateWithin<string>(page, 'getComputedStyle(document.documentElement).fontSize')).toBe('16px');
      await page.locator('details.steps-compact').waitFor();
      expect(await fits()).toBe(true);
      // The heading is on the first screen, not below the step list.
      const top = await page.getByRole('heading', { level: 1 }).boundingBox();
      expect(top?.y ?? 1000).toBeLessThan(450 / 2);
      const zoomed = await browser.newContext({ locale: 'ja-JP', bypassCSP: true, viewport: { width: 600, height: 450 }, deviceScaleFactor: 2 });
      try {
        const big = await zoomed.newPage();
        await big.goto(session.web.url);
        await big.getByRole('heading', { level: 1 }).waitFor();
        await big.locator('details.steps-compact').waitFor();
        await big.screenshot({ path: await screenshotPath('wizard-zoom-200-ja') });
      } finally {
        await zoomed.close();
      }
      await page.screenshot({ path: await screenshotPath('wizard-zoom-200-en') });
    } finally {
      await session.close();
    }
  }, 120_000);

  it('migrates the single-key setup of the manual procedure', async () => {
    const host = await resetHost('single-key');
    await runWizard(browser, host, 'single-key', true);
  }, 600_000);
});
