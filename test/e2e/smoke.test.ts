import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchBrowser, screenshotPath, SESSION_KEY, startWebMode, type WebMode } from './support.js';

const availability = browserAvailability();
const requireBrowser = process.env.HOMEMAIL_REQUIRE_BROWSER === '1';

function statusFor(port: number, host: string, pathname = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser availability', () => {
  it(availability.ok ? 'Chromium and the build are present' : `browser tests cannot run here: ${availability.ok ? '' : availability.reason}`, () => {
    if (requireBrowser) expect(availability).toEqual({ ok: true });
  });
});

describe.skipIf(!availability.ok)('web mode in Chromium', () => {
  let web: WebMode;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebMode();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('shows the first step after opening the printed address', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await web.open(page);
    await expect.poll(() => page.url()).toBe(`http://127.0.0.1:${web.port}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('trusted');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({ path: await screenshotPath('smoke-welcome-en'), fullPage: true });
    await page.close();
  });

  it('follows a Japanese system language and can be switched', async () => {
    const page = await browser.newPage({ locale: 'ja-JP' });
    await web.open(page);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.getByRole('button', { name: '次へ' }).isVisible()).toBe(true);
    await page.screenshot({ path: await screenshotPath('smoke-welcome-ja'), fullPage: true });
    await page.getByLabel('言語').selectOption('en');
    await page.getByRole('button', { name: 'Next' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });

  it('gives a page opened without the code no session: its calls answer 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(web.origin);
    expect(response?.status()).toBe(200);
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBeNull();
    const status = await page.evaluate(`fetch('/api/call/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status)`);
    expect(status).toBe(401);
    await context.close();
  });

  it('refuses a foreign Host header (403), even with the code', async () => {
    expect(await statusFor(web.port, `rebind.example:${web.port}`, '/')).toBe(403);
    expect(await statusFor(web.port, `127.0.0.1:${web.port}`, '/')).toBe(200);
  });
});
