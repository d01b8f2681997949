// The wizard as a new Japanese user meets it on a server and a domain that already carry
// things they wrote themselves (the world the first release was never tried in):
//   - Postfix: the manual procedure's single-key OpenDKIM (selector "postfix", 1024 bits) on
//     inet:8892, dead blocklists, and settings of their own (HELO and recipient restrictions,
//     header_checks, a size limit);
//   - DNS: an SPF record with an include: and addresses of its own, a DMARC record whose
//     aggregate reports go to a third party at another domain (with its authorization record);
//   - ~/.ssh: a Host alias in ~/.ssh/config, an ed25519 key, and a hashed known_hosts entry
//     (Debian's ssh_config hashes them), no ssh-agent.
// Everything is real: the test host's sshd, Postfix, OpenDKIM and nsd; Chromium in Japanese.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAvailability, resetHost, type TestHost } from '../host/testHost.js';
import { browserAvailability, englishInJapanese, evaluateWithin, launchBrowser, screenshotPath, seriousAxeViolations, startWebMode, type WebMode } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;
const required = process.env.HOMEMAIL_REQUIRE_BROWSER === '1' || process.env.HOMEMAIL_REQUIRE_HOST === '1';

describe('real-world wizard: availability', () => {
  it(skipReason === null ? 'Chromium, the build and the test host are present' : `real-world wizard e2e cannot run here: ${skipReason}`, () => {
    if (required) expect(skipReason).toBeNull();
  });
});

const THEIR_SPF = 'v=spf1 a mx ip4:203.0.113.5 include:_spf.example.org ~all';
const THEIR_DMARC = 'v=DMARC1; p=none; rua=mailto:re+abc123@example.org; fo=1';

/** The person's own server settings and DNS records, written before Homemail ever ran. */
async function theirWorld(host: TestHost): Promise<void> {
  const own = await host.runAsRoot(
    "postconf -e 'smtpd_helo_required = yes' 'smtpd_helo_restrictions = permit_mynetworks, reject_invalid_helo_hostname' 'smtpd_recipient_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination' 'header_checks = regexp:/etc/postfix/header_checks' 'message_size_limit = 20480000' && printf '/^X-Spam-Flag: YES/ HOLD\\n' > /etc/postfix/header_checks && postfix reload",
  );
  expect(own.code, own.stderr).toBe(0);
  await host.setRecords('example.org', ['_spf.example.org. 60 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"', 'example.test._report._dmarc.example.org. 60 IN TXT "v=DMARC1"']);
  await host.setRecords('example.test', [`example.test. 60 IN TXT "${THEIR_SPF}"`, `_dmarc.example.test. 60 IN TXT "${THEIR_DMARC}"`, 'example.test. 60 IN TXT "google-site-verification=abcdefghijklmnop"']);
}

/** A HOME whose ~/.ssh has an alias for the server, its key, and the host key already known (hashed). */
function theirHome(host: TestHost, home: string): void {
  const ssh = path.join(home, '.ssh');
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  copyFileSync(host.users.admin.keyPath, path.join(ssh, 'id_ed25519'));
  chmodSync(path.join(ssh, 'id_ed25519'), 0o600);
  writeFileSync(path.join(ssh, 'config'), `Host mailbox\n    HostName ${host.sshHost}\n    Port ${host.sshPort}\n    User ${host.users.admin.name}\n    IdentityFile ~/.ssh/id_ed25519\n`);
  copyFileSync(host.knownHostsPath, path.join(ssh, 'known_hosts'));
  execFileSync('ssh-keygen', ['-H', '-f', path.join(ssh, 'known_hosts')], { stdio: 'ignore' });
}

async function japaneseChecks(page: Page, name: string): Promise<void> {
  expect(await englishInJapanese(page), `English sentences on ${name}`).toEqual([]);
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`real-world-${name}-ja`), fullPage: true });
}

async function onStep(page: Page, step: string): Promise<void> {
  await page.locator(`main[data-step="${step}"]`).waitFor({ timeout: 60_000 });
}

async function next(page: Page): Promise<void> {
  await page.locator('.actions').getByRole('button', { name: /^(次へ|この手順を飛ばす)$/ }).click();
}

describe.skipIf(skipReason !== null)('the wizard in Japanese on a server and domain that already carry their own setup', () => {
  let browser: Browser;
  let host: TestHost;
  let web: WebMode;
  let context: BrowserContext;
  let page: Page;
  let home: string;
  let dataDir: string;

  beforeAll(async () => {
    host = await resetHost('single-key');
    await theirWorld(host);
    home = await mkdtemp(path.join(os.tmpdir(), 'homemail-home-'));
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-'));
    theirHome(host, home);
    browser = await launchBrowser();
    web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir, HOME: home, LANG: 'ja_JP.UTF-8', SSH_AUTH_SOCK: '' });
    context = await browser.newContext({ locale: 'ja-JP', bypassCSP: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await web.open(page);
    await page.locator('html[lang="ja"]').waitFor();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await web?.stop();
    await browser?.close();
    await rm(home, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('connects through the ~/.ssh alias and its hashed known_hosts entry, asking only for the sudo password', async () => {
    await onStep(page, 'welcome');
    await next(page);
    await onStep(page, 'server');
    await page.getByLabel('SSH サーバー').fill('mailbox');
    await page.getByLabel('sudo のパスワード(任意)').fill(host.users.admin.password);
    await page.getByRole('button', { name: '接続', exact: true }).click();
    // The host key is already known from ~/.ssh/known_hosts: no consent screen, straight to the findings.
    await onStep(page, 'findings');
    await page.locator('[data-finding]').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('host-fingerprint').count()).toBe(0);
    await japaneseChecks(page, '1-findings');
    await next(page);
    await onStep(page, 'inbound');
    await next(page);
  }, 180_000);

  it('starts the policy from their published SPF and DMARC and their selector, before anything is made', async () => {
    await onStep(page, 'domain');
    await page.getByText('問い合わせる DNS サーバー', { exact: true }).click();
    await page.getByLabel(/^代わりに問い合わせる DNS サーバー/).fill(`${host.dns.address}:${host.dns.port}`);
    const now = page.getByTestId('published-now');
    await now.locator('code[data-published="spf"]').waitFor({ timeout: 60_000 });
    expect(await now.locator('code[data-published="spf"]').textContent()).toBe(THEIR_SPF);
    expect(await now.locator('code[data-published="dmarc"]').textContent()).toBe(THEIR_DMARC);
    expect(await now.getByTestId('rua-elsewhere').textContent()).toContain('集計レポートは re+abc123@example.org に届いています。');
    expect(await now.getByTestId('signing-now').textContent()).toContain('セレクター postfix(RSA 1024 ビット)');
    // Their report address is in the field (kept), not an empty field that invites a replacement.
    expect(await page.getByLabel('集計レポートの宛先(rua)').inputValue()).toBe('re+abc123@example.org');
    await japaneseChecks(page, '2-domain');
    await page.getByRole('button', { name: '鍵とレコードを作る' }).click();
  }, 180_000);

  it('keeps their SPF and DMARC as they are, says so, and lays the records out readably', async () => {
    await onStep(page, 'records');
    const spf = page.locator('tbody.record[data-purpose="spf"]');
    await spf.waitFor({ timeout: 60_000 });
    await page.locator('tbody.record[data-purpose="dkim"][data-change="add"]').waitFor({ timeout: 60_000 });
    expect(await spf.getAttribute('data-change')).toBe('keep');
    expect(await spf.textContent()).toContain('example.test が公開している SPF レコードには、このサーバーがすでに含まれています。');
    expect(await spf.textContent()).not.toContain('既存のレコードをこれで置き換えてください');
    const dmarc = page.locator('tbody.record[data-purpose="dmarc"]');
    expect(await dmarc.getAttribute('data-change')).toBe('keep');
    expect(await dmarc.locator('td.to-publish pre[data-value]').textContent()).toContain('rua=mailto:re+abc123@example.org');
    const auth = page.locator('tbody.record[data-purpose="dmarc-report-auth"]');
    expect(await auth.getAttribute('data-change')).toBe('keep');
    expect(await auth.textContent()).toContain('受け取りを許可するレコード example.test._report._dmarc.example.org はすでに公開されています。');
    // Layout: the third party's zone note used to be a one-line badge that squeezed every value
    // into one letter per line. Each value column keeps room for a readable line.
    const widths = await evaluateWithin<number[]>(page, "[...document.querySelectorAll('td.to-publish')].map((c) => c.getBoundingClientRect().width)");
    expect(Math.min(...widths)).toBeGreaterThan(200);
    expect(await evaluateWithin<number>(page, 'document.documentElement.scrollHeight')).toBeLessThan(6000);
    await japaneseChecks(page, '3-records');
    // A reload (F5) comes back here with the same key: the connection and the key live on in homemail web.
    const value = await page.locator('tbody.record[data-purpose="dkim"][data-change="add"] pre[data-value]').textContent();
    await page.reload();
    await onStep(page, 'records');
    await page.locator('tbody.record[data-purpose="dkim"][data-change="add"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('tbody.record[data-purpose="dkim"][data-change="add"] pre[data-value]').textContent()).toBe(value);
  }, 180_000);

  it('on the reports page, says the reports go to the third party and how to read them here too', async () => {
    await page.getByRole('navigation', { name: 'ページ' }).getByRole('button', { name: 'DMARC レポート' }).click();
    await page.locator('main[data-page="reports"] h1').waitFor();
    expect(await page.locator('main[data-page="reports"] h2', { hasText: 'DMARC レポート' }).count()).toBe(0);
    await page.getByRole('button', { name: 'レポートを読む' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toContain('example.test の DMARC レポートは re+abc123@example.org に送られていて、このサーバーには届きません。');
    expect(await alert.textContent()).toContain('rua=mailto:re+abc123@example.org,mailto:dmarc@example.test');
    expect(await page.getByLabel('レポートの宛先(任意)').count()).toBe(1);
    await japaneseChecks(page, '4-reports');
  }, 180_000);
});
