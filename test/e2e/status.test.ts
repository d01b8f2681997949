// The Status page in Chromium through web mode, after two `homemail watch --once` runs against
// the test host's DNS server (nsd) around a DKIM record replaced there: the change is shown,
// the DMARC charts draw, axe finds nothing serious. Run under the host lock:
//   flock -o /tmp/homemail-host.lock sh -c 'node scripts/build.mjs && npx vitest run --config vitest.e2e.config.ts test/e2e/status.test.ts'
// DMARC reports are put in the store through its own API (recordDmarcReports), as the report
// reader stores them; the rows are made up here for the chart.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHistoryFile, recordDmarcReports } from '../../main/services/watch/record.js';
import { openHistoryStore, type StorableReport } from '../../main/services/watch/store.js';
import { hostAvailability, resetHost, type TestHost } from '../host/testHost.js';
import { runCliCaptured } from '../support/cli.js';
import { browserAvailability, launchBrowser, screenshotPath, seriousAxeViolations, startWebMode, type WebMode } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;

async function keyOf(file: string): Promise<string> {
  const text = await readFile(new URL(`../unit/records/fixtures/opendkim-genkey/${file}`, import.meta.url), 'utf8');
  return /p=([A-Za-z0-9+/=" \t\n]+)\)/.exec(text)?.[1]?.replace(/[" \t\n]/g, '') ?? '';
}

function dkimLine(key: string): string {
  const parts = `v=DKIM1; k=rsa; p=${key}`.match(/.{1,250}/g) ?? [];
  return `watch._domainkey IN TXT ${parts.map((p) => `"${p}"`).join(' ')}`;
}

function report(org: string, id: string, day: number, rows: Array<[string, number, boolean]>): StorableReport {
  const begin = new Date(Date.UTC(2026, 10, 20 + day)).toISOString();
  return {
    orgName: org,
    email: null,
    reportId: id,
    begin,
    end: begin,
    policy: { domain: 'example.test', p: 'none' },
    rows: rows.map(([sourceIp, count, pass]) => ({ sourceIp, count, disposition: 'none', dkim: pass ? 'pass' : 'fail', spf: 'fail', headerFrom: 'example.test', envelopeFrom: null, dkimResults: [], spfResults: [], reasons: [] })),
  };
}

describe.skipIf(skipReason !== null)('Status page after two watch runs', () => {
  let host: TestHost;
  let web: WebMode;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    host = await resetHost('fresh');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-e2e-status-'));
    const env = { ...process.env, SSH_AUTH_SOCK: '', HOMEMAIL_DATA_DIR: dataDir };
    await host.setRecords('example.test', [dkimLine(await keyOf('sel2048.txt'))]);
    const watchArgs = ['watch', '--once', '--domain', host.domain, '--selector', 'watch', '--ip', host.address, '--resolver', `${host.dns.address}:${host.dns.port}`];
    expect((await runCliCaptured(watchArgs, { env })).code).toBe(0);
    const store = openHistoryStore(defaultHistoryFile(env));
    recordDmarcReports(store, host.domain, [report('google.com', 'g1', 0, [['127.0.0.1', 40, true]]), report('Yahoo', 'y1', 1, [['127.0.0.1', 12, true], ['203.0.113.9', 2, false]])], '2026-11-22T00:00:00.000Z');
    store.close();
    await host.setRecords('example.test', [dkimLine(await keyOf('sel3072.txt'))]);
    expect((await runCliCaptured(['watch', '--once'], { env })).code).toBe(1);
    web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the DKIM change and the DMARC charts, in English and Japanese, axe clean', async () => {
    const context = await browser.newContext({ locale: 'en-US', bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Status' }).click();
    await page.getByRole('heading', { level: 2, name: host.domain }).waitFor();
    for (const language of ['en', 'ja'] as const) {
      if (language === 'ja') await page.getByLabel('Language').selectOption('ja');
      const ja = language === 'ja';
      await page.getByRole('heading', { level: 1, name: ja ? '状態' : 'Status' }).waitFor();
      const change = page.locator('[data-change="dkim-changed"]');
      expect(await change.getAttribute('data-severity')).toBe('worse');
      expect(await change.textContent()).toContain(ja ? 'DKIM レコード watch._domainkey.example.test が変わりました' : 'The DKIM record watch._domainkey.example.test changed');
      const chart = page.getByRole('img', { name: ja ? 'example.test の日ごとの DMARC 合格・不合格のメール数' : 'Messages that passed and failed DMARC per day for example.test' });
      expect(await chart.locator('rect').count()).toBe(4);
      // The same numbers as a table, for screen readers.
      const daily = page.getByRole('table', { name: ja ? '日ごとの DMARC 合格率' : 'DMARC pass rate per day' });
      expect(await daily.locator('tbody tr').allTextContents()).toEqual(['2026-11-20400100%', '2026-11-2112285.7%']);
      expect(await seriousAxeViolations(page), `axe (${language})`).toEqual([]);
      await page.screenshot({ path: await screenshotPath(`status-page-${language}`), fullPage: true });
    }
    await context.close();
  });
});
