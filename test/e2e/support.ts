import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.HOMEMAIL_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test/artifacts');

export function browserAvailability(): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `no Chromium at ${CHROMIUM} (apt-get install chromium)` };
  if (!existsSync('dist/cli/homemail.js') || !existsSync('dist/renderer/index.html')) return { ok: false, reason: 'the app is not built (npm run build)' };
  return { ok: true };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface WebMode {
  /** The printed address: its `?token=` is a one-time code, dead once traded. */
  url: string;
  port: number;
  /** `http://127.0.0.1:PORT/` without a code. */
  origin: string;
  process: ChildProcess;
  /** The session secret: traded from the code once (by the first page opened, or here). */
  secret(): Promise<string>;
  /** Opens the wizard in `page`: the first time through the printed address, later with the secret already in sessionStorage. */
  open(page: Page): Promise<void>;
  stop(): Promise<void>;
}

/** renderer/src/api.ts's SESSION_KEY: where the page keeps the secret. */
export const SESSION_KEY = 'homemail.session';

/** Starts `homemail web --no-open` from the build and waits for the address it prints. */
export async function startWebMode(env: NodeJS.ProcessEnv = {}): Promise<WebMode> {
  const child = spawn(process.execPath, ['bin/homemail.js', 'web', '--no-open'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`homemail web printed no address within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`homemail web exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  const origin = `http://127.0.0.1:${parsed.port}/`;
  let session: Promise<string> | undefined;
  return {
    url,
    port: Number(parsed.port),
    origin,
    process: child,
    secret() {
      session ??= fetch(new URL('/api/session', origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: parsed.searchParams.get('token') }),
      }).then(async (response) => {
        if (!response.ok) throw new Error(`the one-time code was refused: HTTP ${response.status}`);
        return ((await response.json()) as { secret: string }).secret;
      });
      return session;
    },
    async open(page) {
      if (session === undefined) {
        session = (async () => {
          await page.goto(url);
          const handle = await page.waitForFunction(`sessionStorage.getItem(${JSON.stringify(SESSION_KEY)})`);
          return String(await handle.jsonValue());
        })();
        await session;
        return;
      }
      const secret = await session;
      await page.addInitScript(`sessionStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(secret)})`);
      await page.goto(origin);
    },
    // SIGTERM, then SIGKILL after 5 s: with an SSH session still open, `homemail web` does not exit by itself.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function screenshotPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

/** A serious or critical axe-core finding, reduced to what a failure message needs. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const AXE_SOURCE = path.resolve('node_modules/axe-core/axe.min.js');

/**
 * Runs axe-core in the page (the context must be made with `bypassCSP: true`: the wizard's
 * CSP rightly forbids injected scripts) and returns the serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE_SOURCE });
  // A string script: this file is typed for Node, without the DOM library.
  const violations = await page.evaluate<AxeViolation[]>(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** page.evaluate has no time limit of its own. */
export async function evaluateWithin<T>(page: Page, script: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`page script did not finish within ${ms} ms: ${script}`)), ms);
  });
  try {
    return await Promise.race([page.evaluate<T>(script), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Text in the page that reads as an English sentence while the page is Japanese: an ASCII-only
 * text node with three or more space-separated words, outside code, record values, inputs and
 * the language picker. "Debian GNU/Linux 12 (bookworm)" or "mail.example.test" are values, not sentences.
 */
const ENGLISH_SENTENCES = String.raw`(() => {
  const skip = (el) => el.closest('code, pre, kbd, samp, textarea, select, option, input, [data-value], [translate="no"], svg');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    const parent = node.parentElement;
    if (!text || !parent || skip(parent)) continue;
    if (getComputedStyle(parent).display === 'none') continue;
    if (/[^\x00-\x7f]/.test(text)) continue;
    // Words of a sentence: space-separated, letters only (host names, paths and versions are not).
    const words = text.split(' ').filter((w) => /^[A-Za-z][a-z'-]+[.,:;!?]?$/.test(w));
    if (words.length >= 3) found.push(text);
  }
  return found;
})()`;

export async function englishInJapanese(page: Page): Promise<string[]> {
  return evaluateWithin<string[]>(page, ENGLISH_SENTENCES);
}

/** Web mode on a data folder of its own, and a browser: what a suite's beforeAll starts. */
export interface BrowserSession {
  web: WebMode;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

export async function startBrowserSession(name: string, env: NodeJS.ProcessEnv = {}): Promise<BrowserSession> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `homemail-e2e-${name}-`));
  const web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir, ...env });
  const browser = await launchBrowser();
  return {
    web,
    browser,
    dataDir,
    close: async () => {
      await browser.close();
      await web.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The wizard opened as a person opens it: their locale, a 1200×900 window, the page's own errors on the test's output. */
export async function openWizardPage(session: BrowserSession, locale: 'en-US' | 'ja-JP'): Promise<Page> {
  const context = await session.browser.newContext({ locale, bypassCSP: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await session.web.open(page);
  return page;
}
