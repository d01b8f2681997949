import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../main/services/index.js';
import { openInBrowser, writeLauncher } from '../../main/web/launch.js';
import { startWebServer, type RunningWebServer } from '../../main/web/server.js';
import { CHROMIUM, SESSION_KEY, browserAvailability, launchBrowser } from './support.js';

const availability = browserAvailability();

/** A plain listener on another local port that records what browsers send it. */
async function recorder(): Promise<{ server: Server; port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.end('<!doctype html><title>other</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, seen };
}

async function waitForFile(file: string, ms: number): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null && text.includes('\n')) return text;
    if (Date.now() > until) throw new Error(`${file} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!availability.ok)('web mode session in Chromium', () => {
  let web: RunningWebServer;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-session-'));
    const handlers = createHandlers({ door: 'web', version: '0.0.0', dataDir, now: () => new Date() });
    web = await startWebServer({ handlers, rendererDir: path.resolve('dist/renderer'), port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('trades the code once: the page keeps the secret in sessionStorage, the address bar loses the code, a second visit gets nothing', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(web.url);
    await page.waitForFunction(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`);
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBe(web.secret);
    expect(page.url()).toBe(`http://127.0.0.1:${web.port}/`);
    expect((await context.cookies()).length).toBe(0);
    const call = `fetch('/api/call/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + (sessionStorage.getItem(${JSON.stringify(SESSION_KEY)}) ?? '') }, body: '{}' }).then((r) => r.status)`;
    expect(await page.evaluate(call)).toBe(200);

    // Someone who saw the address later (ps, history): the code is dead.
    const late = await browser.newContext();
    const latePage = await late.newPage();
    await latePage.goto(web.url);
    await latePage.waitForLoadState('networkidle');
    expect(await latePage.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBeNull();
    expect(await latePage.evaluate(call)).toBe(401);
    await late.close();
    await context.close();
  });

  it('sends the secret to no other local port', async () => {
    const other = await recorder();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${web.port}/`);
      await page.evaluate(`sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(web.secret)})`);
      await page.goto(`http://127.0.0.1:${other.port}/`);
      const second = await context.newPage();
      await second.goto(`http://127.0.0.1:${other.port}/again`);
      expect(other.seen.length).toBeGreaterThanOrEqual(2);
      for (const headers of other.seen) expect(JSON.stringify(headers)).not.toContain(web.secret);
      // sessionStorage belongs to the origin, port included.
      expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBeNull();
      await context.close();
    } finally {
      other.server.close();
    }
  });

  it('starts the browser with a path to a private launcher page: its argv holds no code or secret, and the page still opens the wizard', async () => {
    const fresh = await startWebServer({ handlers: createHandlers({ door: 'web', version: '0.0.0', dataDir, now: () => new Date() }), rendererDir: path.resolve('dist/renderer'), port: 0 });
    const profile = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-profile-'));
    const launcher = await writeLauncher(fresh.url);
    const code = new URL(fresh.url).searchParams.get('token') ?? '';
    const child = openInBrowser(launcher.fileUrl, {
      command: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${profile}`, '--remote-debugging-port=0'],
    });
    try {
      const argv = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0');
      expect(argv.at(-2)).toBe(launcher.fileUrl);
      for (const arg of argv) {
        expect(arg).not.toContain(code);
        expect(arg).not.toContain(fresh.secret);
      }
      const launcherFile = fileURLToPath(launcher.fileUrl);
      expect((await stat(launcherFile)).mode & 0o077).toBe(0);
      expect((await stat(path.dirname(launcherFile))).mode & 0o077).toBe(0);

      const port = (await waitForFile(path.join(profile, 'DevToolsActivePort'), 15_000)).split('\n')[0];
      const driven = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      const page = driven.contexts()[0]?.pages().find((p) => p.url().startsWith(`http://127.0.0.1:${fresh.port}/`)) ?? driven.contexts()[0]?.pages()[0];
      expect(page).toBeDefined();
      // evaluate, not waitForFunction: over CDP the page's CSP forbids the eval waitForFunction uses.
      await expect.poll(() => page?.evaluate(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`), { timeout: 15_000 }).toBe(fresh.secret);
      expect(page?.url()).toBe(`http://127.0.0.1:${fresh.port}/`);
      await driven.close();
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      await launcher.dispose();
      await fresh.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
