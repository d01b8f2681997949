// The Rotation page in Chromium through web mode, against the real test host and its DNS server
// (nsd): signing with hm1 is set up by the CLI first; the page then walks Prepare → Publish
// (the test publishes the shown record into the test DNS, as a person would at the provider)
// → Switch, in English, undoes it back to nothing, and walks it again in Japanese; axe finds
// nothing serious on each screen. After Switch, mail is signed with the new selector.
//   HOMEMAIL_HOST_SLOTS=3 test/host/isolated.sh sh -c 'node scripts/build.mjs && npx vitest run --config vitest.e2e.config.ts test/e2e/rotation.test.ts'
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDkimValue } from '../../shared/records/txt.js';
import { runCliIn } from '../host/cli.js';
import { hostAvailability, resetHost, type TestHost } from '../host/testHost.js';
import { browserAvailability, launchBrowser, screenshotPath, seriousAxeViolations, startWebMode, type WebMode } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;

const TEXT = {
  en: { language: 'Language', link: 'Key rotation', domain: 'Domain', read: 'Read from the server', start: 'Prepare the new key', publish: 'The record is published: check it', switch: 'Switch to the new key', send: 'Send a test message', undo: /^Undo “/, dns: /^DNS servers to ask instead/ },
  ja: { language: '言語', link: '鍵のローテーション', domain: 'ドメイン', read: 'サーバーから読み込む', start: '新しい鍵を準備する', publish: '公開したので確認する', switch: '新しい鍵に切り替える', send: 'テストメールを送る', undo: /を取り消す$/, dns: /^代わりに問い合わせる DNS サーバー/ },
} as const;

describe.skipIf(skipReason !== null)('Rotation page: Prepare → Publish → Switch', () => {
  let host: TestHost;
  let web: WebMode;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let work: string;
  let oldRecord: string;

  beforeAll(async () => {
    host = await resetHost('fresh');
    work = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-rotation-'));
    const cli = (argv: string[]) => runCliIn(work, argv);
    expect((await cli(['keygen', '--domain', host.domain, '--selector', 'hm1', '--out', 'keys'])).code).toBe(0);
    const records = await cli(['records', '--offline', '--domain', host.domain, '--dkim', 'hm1:keys/hm1.private', '--format', 'zone']);
    oldRecord = records.stdout.split('\n').filter((l) => l.includes('_domainkey')).join('\n');
    await host.setRecords('example.test', [oldRecord]);
    const u = host.users.deploy;
    const apply = await cli(['apply', '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', u.keyPath, '--known-hosts', host.knownHostsPath, '--domain', host.domain, '--dkim', 'hm1:keys/hm1.private', '--resolver', `${host.dns.address}:${host.dns.port}`]);
    expect(apply.code, apply.stderr).toBe(0);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-'));
    web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', bypassCSP: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await web.open(page);
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await web?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function axe(name: string): Promise<void> {
    expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
    await page.screenshot({ path: await screenshotPath(`rotation-${name}`), fullPage: true });
  }

  async function shownRecord(): Promise<string> {
    const block = page.locator('.rotation-record').first();
    const name = (await block.getAttribute('data-record')) ?? '';
    const value = ((await block.locator('[data-value]').textContent()) ?? '').trim();
    return `${name}. IN TXT ${splitDkimValue(value).map((s) => `"${s}"`).join(' ')}`;
  }

  async function walk(language: 'en' | 'ja'): Promise<string> {
    const text = TEXT[language];
    await page.getByRole('button', { name: text.link, exact: true }).click();
    await page.getByLabel(text.domain, { exact: true }).fill(host.domain);
    await page.getByRole('button', { name: text.read }).click();
    await page.locator('[data-key-age]').first().waitFor();
    await axe(`${language}-1-start`);
    await page.getByRole('button', { name: text.start }).click();

    // Publish: the page shows the new record; the test publishes it as a person would.
    await page.locator('.rotation-progress[data-next="publish"]').waitFor({ timeout: 120_000 });
    const record = await shownRecord();
    expect(record).toMatch(/^\d{6}[a-z]?\._domainkey\.example\.test\. IN TXT "v=DKIM1; h=sha256; k=rsa; " "p=MIIBIjAN/);
    const dns = page.getByLabel(text.dns);
    if (!(await dns.isVisible())) await page.locator('.rotation-progress details summary').first().click();
    await dns.fill(`${host.dns.address}:${host.dns.port}`);
    await axe(`${language}-2-publish`);
    await host.setRecords('example.test', [oldRecord, record]);
    await page.getByRole('button', { name: text.publish }).click();

    // Switch: the diff before it, then the change.
    await page.locator('.rotation-progress[data-next="switch"]').waitFor({ timeout: 60_000 });
    await page.locator('.rotation-diff .diff').first().waitFor();
    expect(await page.locator('.rotation-diff').textContent()).toContain('/etc/opendkim/signing.table');
    await axe(`${language}-3-switch`);
    await page.getByRole('button', { name: text.switch }).click();
    await page.locator('.rotation-progress[data-next="overlap"]').waitFor({ timeout: 120_000 });
    // send-test: a message through the server carries the new signature, and it verifies.
    await page.getByRole('button', { name: text.send }).click();
    await page.locator('[data-send-test]').waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-send-test]').getAttribute('data-send-test')).toBe('pass');
    await axe(`${language}-4-overlap`);
    return record.split('.')[0] ?? '';
  }

  async function signedWith(): Promise<string[]> {
    const subject = `rotation e2e ${Date.now()}`;
    await host.sendmail({ from: 'admin@example.test', to: 'admin@example.test', subject, body: 'e2e' });
    const message = await host.newestMessage('admin', { containing: subject, timeoutMs: 30_000 });
    return [...message.matchAll(/\bs=([a-z0-9-]+);/g)].map((m) => m[1] ?? '');
  }

  it('connects, then walks the rotation in English and, after undoing it, in Japanese', async () => {
    // Server step: log in as admin and accept the host key.
    await page.locator('.actions').getByRole('button', { name: /^Next$/ }).click();
    await page.getByLabel('SSH server').fill(`${host.users.admin.name}@${host.sshHost}:${host.sshPort}`);
    await page.getByLabel('A password').check();
    await page.getByLabel('Password', { exact: true }).fill(host.users.admin.password ?? '');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, this is my server: connect' }).click();
    await page.locator('main[data-step="findings"]').waitFor();

    const english = await walk('en');
    expect(await signedWith()).toEqual([english]);

    // Undo Switch, Publish and Prepare: signing with hm1 again, the rotation forgotten.
    for (const next of ['switch', 'publish', 'prepare']) {
      await page.getByRole('button', { name: TEXT.en.undo }).click();
      if (next !== 'prepare') await page.locator(`.rotation-progress[data-next="${next}"]`).waitFor({ timeout: 120_000 });
    }
    await page.getByRole('button', { name: TEXT.en.start }).waitFor({ timeout: 60_000 });
    expect(await signedWith()).toEqual(['hm1']);

    await page.getByLabel(TEXT.en.language).selectOption('ja');
    await page.locator('html[lang="ja"]').waitFor();
    const japanese = await walk('ja');
    expect(await signedWith()).toEqual([japanese]);
    // Undoing Prepare left nothing behind: the same dated selector was free again.
    expect(japanese).toBe(english);
  });
});
