// The way out for a home server, walked as a person walks it, in Japanese, in Chromium through
// web mode against the test host (run through test/host/isolated.sh; see docs/DEVELOPING.md):
// the way-out page finds port 25 blocked towards blocked.example.test (test/host/outboundWorld.ts:
// its MX resets port 25 and greets on 587), offers the relay, the relay (the ISP stand-in on
// 127.0.0.2:587 with its SASL login, hostctl.sh relay-up) is entered with the include its
// "provider" documents, reviewed and applied; the records step merges the include into the SPF
// record, the key is made and applied, and the sender-requirements page turns from failing to
// passing where the test world can make it pass (SPF, DKIM, DMARC, TLS), while the rows it
// cannot judge here (the public address and its reverse name are unknown without the internet)
// say "cannot tell" and why. Undone from the Changes page, the server is byte for byte as before.
// The relay password is never in the page's DOM once typed. axe on every page, no English
// sentence in the Japanese pages, screenshots in test/artifacts/journey-*.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboundWorld, type OutboundWorld } from '../host/outboundWorld.js';
import { hostAvailability, resetHost, type RelayServer, type TestHost } from '../host/testHost.js';
import { browserAvailability, type BrowserSession, englishInJapanese, openWizardPage, screenshotPath, seriousAxeViolations, startBrowserSession } from './support.js';

const browserCheck = browserAvailability();
const hostCheck = hostAvailability();
const skipReason = !browserCheck.ok ? browserCheck.reason : !hostCheck.ok ? hostCheck.reason : null;

/** axe (light and dark), no English sentence, a screenshot: on each page of the journey. */
async function record(page: Page, name: string): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  expect(await englishInJapanese(page), `English sentences on ${name}`).toEqual([]);
  await page.screenshot({ path: await screenshotPath(`journey-${name}-ja`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeViolations(page), `axe on ${name} (dark)`).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The whole page as HTML, input values included: where a typed password would show. */
async function wholeDom(page: Page): Promise<string> {
  const values = await page.locator('input').evaluateAll((inputs) => inputs.filter((i) => (i as unknown as { type: string }).type !== 'password').map((i) => (i as unknown as { value: string }).value).join('\n'));
  return `${await page.content()}\n${values}`;
}

/** Each requirement row's status, by id. */
async function requirementStatuses(page: Page): Promise<Record<string, string>> {
  const rows = await page.locator('main table.requirements tr[data-requirement]').all();
  return Object.fromEntries(await Promise.all(rows.map(async (row) => [await row.getAttribute('data-requirement'), await row.getAttribute('data-status')] as const)));
}

describe.skipIf(skipReason !== null)('the way out, from a blocked port 25 to the sender requirements (Japanese)', () => {
  let host: TestHost;
  let world: OutboundWorld;
  let relay: RelayServer;
  let session: BrowserSession;

  beforeAll(async () => {
    host = await resetHost('fresh');
    world = await startOutboundWorld(host);
    relay = await host.startRelay();
    // The "provider" documents its relay's SPF include, as ISPs do on their sending-mail pages.
    await host.setRecords('example.org', [`relay IN A ${relay.address}`, `_spf.relay IN TXT "v=spf1 ip4:${relay.address} -all"`]);
    session = await startBrowserSession('journey');
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await world?.close();
    await host?.setRecords('example.org', []).catch(() => undefined);
    await resetHost('fresh').catch(() => undefined);
  });

  it('detects the blocked port, offers the relay, applies it, merges its SPF, and the requirements turn green where the test world allows; undone byte for byte', async () => {
    const page = await openWizardPage(session, 'ja-JP');
    await page.locator('html[lang="ja"]').waitFor();
    const nav = page.getByRole('navigation', { name: 'ページ' });
    const next = () => page.locator('.actions').getByRole('button', { name: /^(次へ|この手順を飛ばす)$/ }).click();

    // Connect, as on any first run.
    await next();
    await page.locator('main[data-step="server"]').waitFor();
    await page.getByLabel('SSH サーバー').fill(`${host.users.admin.name}@${host.sshHost}:${host.sshPort}`);
    await page.getByRole('radio', { name: 'パスワード' }).check();
    await page.locator('main input[type="password"]').fill(host.users.admin.password);
    expect(await wholeDom(page), 'the SSH password in the DOM after entry').not.toContain(host.users.admin.password);
    await page.getByRole('button', { name: '接続', exact: true }).click();
    await page.getByRole('button', { name: 'はい、私のサーバーです。接続する' }).click();
    await page.locator('main[data-step="findings"]').waitFor({ timeout: 60_000 });
    const before = await host.snapshot();

    // The domain (found on the server) and the DNS to ask: the test world's.
    await next();
    await page.locator('main[data-step="inbound"]').waitFor();
    await next();
    await page.locator('main[data-step="domain"]').waitFor();
    expect(await page.getByLabel('メールのドメイン').inputValue()).toBe(host.domain);
    await page.getByText('問い合わせる DNS サーバー', { exact: true }).click();
    await page.getByLabel(/^代わりに問い合わせる DNS サーバー/).fill(`${host.dns.address}:${host.dns.port}`);

    // Before: the requirements as the domain stands (no SPF, no DMARC, no key yet).
    await nav.getByRole('button', { name: '送信者の要件' }).click();
    const requirements = page.locator('main[data-page="requirements"]');
    await requirements.locator('table.requirements').first().waitFor({ timeout: 90_000 });
    const beforeRows = await requirementStatuses(page);
    expect(beforeRows).toMatchObject({
      'gmail.auth': 'unknown', // no SPF record (fail), no DKIM selector (cannot tell)
      'gmail.bulk.dmarc': 'fail',
      'outlook.spf': 'fail',
      'outlook.dkim': 'unknown',
      'gmail.tls': 'pass', // Debian's main.cf: smtp_tls_security_level = may
      'gmail.ptr': 'unknown',
      'gmail.spamRate': 'unknown',
    });
    // Why DKIM cannot tell yet: no key, so no selector to look up.
    expect(await requirements.locator('tr[data-requirement="outlook.dkim"] td.basis li[data-status="unknown"]').textContent()).toContain('セレクターが指定されていません');
    await record(page, '1-requirements-before');

    // 1. The way out, towards a receiver whose port 25 is blocked: port 25 is blocked.
    await nav.getByRole('button', { name: 'メールの出口' }).click();
    const outbound = page.locator('main[data-page="outbound"]');
    await outbound.locator('[data-port25]').waitFor({ timeout: 90_000 });
    await page.getByLabel('別の受信ドメインで試す').fill('blocked.example.test');
    await outbound.getByRole('button', { name: 'もう一度確かめる' }).click();
    const port25 = outbound.locator('[data-port25="blocked"]');
    await port25.waitFor({ timeout: 90_000 });
    expect(await port25.textContent()).toContain('ポート 25 は遮断されています: mx.blocked.example.test はポート 25 では応答せず、ポート 587 では応答しました。');
    expect(await outbound.locator('li.check[data-check="port25"]').getAttribute('data-status')).toBe('fail');
    await record(page, '2-outbound-blocked');

    // 2. Offered from there: the relay page, saying what the way-out page found.
    await port25.getByRole('button', { name: 'リレーを設定する' }).click();
    const relayPage = page.locator('main[data-page="relay"]');
    await relayPage.getByRole('heading', { level: 1, name: 'リレー(スマートホスト)経由で送る' }).waitFor();
    expect(await relayPage.locator('[data-from="outbound"]').textContent()).toContain('mx.blocked.example.test はポート 25 では応答せず、ポート 587 では応答しました。');

    // 3. The ISP's relay, its login and its documented SPF include; the diff reviewed, applied.
    await relayPage.getByLabel('リレーのホスト名').fill(relay.name);
    await relayPage.getByLabel('ログイン名').fill(relay.user);
    await relayPage.getByLabel('パスワード', { exact: true }).fill(relay.password);
    await relayPage.getByLabel('このリレーの SPF の include(任意)').fill(`_spf.${relay.name}`);
    expect(await wholeDom(page), 'the relay password in the DOM after entry').not.toContain(relay.password);
    await record(page, '3-relay-form');
    await relayPage.getByRole('button', { name: '変更内容を表示する' }).click();
    const review = relayPage.locator('.relay-review');
    await review.locator('.file-change[data-path="/etc/postfix/main.cf"]').waitFor({ timeout: 60_000 });
    expect(await review.locator('.file-change[data-path="/etc/postfix/main.cf"] pre.diff').textContent()).toContain(`+relayhost = [${relay.name}]:587`);
    await review.getByText('これはリレーのパスワードです。所有者だけが読める権限で書き込み、表示はしません。').waitFor();
    expect(await wholeDom(page), 'the relay password in the DOM at review').not.toContain(relay.password);
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    await record(page, '4-relay-review');
    await review.getByLabel(/^変更内容を読みました/).check();
    await review.getByRole('button', { name: '変更を適用する' }).click();
    await relayPage.getByText(/^サーバーはリレー経由で送信するようになりました。バックアップ: /).waitFor({ timeout: 120_000 });
    expect((await host.runAsRoot('postconf -h relayhost')).stdout.trim()).toBe(`[${relay.name}]:587`);
    expect(await wholeDom(page), 'the relay password in the DOM after apply').not.toContain(relay.password);
    expect(await relayPage.locator('input[type="password"]').inputValue()).toBe('');
    await record(page, '5-relay-applied');

    // The way out again, from the server as it is now: the relay is there, its addresses not yet in SPF.
    await nav.getByRole('button', { name: 'メールの出口' }).click();
    await outbound.locator('[data-port25]').waitFor({ timeout: 90_000 });
    expect(await page.getByLabel('別の受信ドメインで試す').inputValue()).toBe('blocked.example.test');
    // A relay without a known include: its address is evaluated against the domain's SPF, and
    // "not passing" stays "cannot tell" (the relay may send from other addresses too).
    const relaySpf = outbound.locator('li.check[data-check="relay.spf"]');
    expect(await relaySpf.getAttribute('data-status')).toBe('unknown');
    expect(await relaySpf.textContent()).toContain(relay.address);

    // 4. From the relay page to the key and the records: the SPF record carries the relay's include.
    await nav.getByRole('button', { name: 'リレー' }).click();
    await relayPage.getByRole('button', { name: 'リレーを SPF レコードに加える' }).click();
    await page.locator('main[data-step="domain"]').waitFor();
    await page.getByRole('button', { name: '鍵とレコードを作る' }).click();
    await page.locator('main[data-step="records"]').waitFor();
    const spf = page.locator('tbody.record[data-purpose="spf"]');
    await spf.locator('pre[data-value]').waitFor({ timeout: 60_000 });
    expect(await spf.locator('pre[data-value]').textContent()).toBe(`v=spf1 mx include:_spf.${relay.name} ~all`);
    await record(page, '6-records');
    await page.getByLabel('お使いの DNS 事業者').selectOption('zone');
    const zone = ((await page.getByTestId('all-records').textContent()) ?? '').split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
    expect(zone.some((line) => line.includes(`include:_spf.${relay.name}`))).toBe(true);
    await world.publish(zone);

    // The key applied as usual (review, apply); verify and the way out on the way.
    await next();
    await page.locator('main[data-step="review"]').waitFor();
    await page.locator('[data-testid="publish-gate"][data-visible="yes"]').waitFor({ timeout: 60_000 });
    await page.getByLabel(/^変更内容を読みました/).check();
    await page.getByRole('button', { name: '変更を適用する' }).click();
    await page.getByText(/^完了しました。サーバーはメールに署名するようになりました。/).waitFor({ timeout: 120_000 });
    await next();
    await page.locator('main[data-step="verify"]').waitFor();
    await next();
    await page.locator('main[data-step="outbound"]').waitFor();
    const outboundStep = page.locator('main[data-step="outbound"]');
    await outboundStep.locator('[data-port25]').waitFor({ timeout: 90_000 });
    // The relay's address is now in the domain's SPF (through the published include).
    expect(await outboundStep.locator('li.check[data-check="relay.spf"]').getAttribute('data-status')).toBe('pass');
    // Port 25 is still blocked (the probe goes direct), but no longer a problem: the relay takes the mail out.
    expect(await outboundStep.locator('[data-port25="blocked"]').textContent()).toContain(`このサーバーはリレー [${relay.name}]:587 経由で送信しているため、ポート 25 が遮断されていてもメールは送れます。`);
    expect(await outboundStep.getByRole('button', { name: 'リレーを設定する' }).count()).toBe(0);
    expect(await outboundStep.locator('li.check[data-check="port25"]').getAttribute('data-status')).toBe('pass');
    await record(page, '7-outbound-after');

    // After: the requirements the test world can make pass, pass; the rest say why they cannot tell.
    await next();
    const step = page.locator('main[data-step="requirements"]');
    await step.locator('table.requirements').first().waitFor({ timeout: 90_000 });
    const afterRows = await requirementStatuses(page);
    expect(afterRows).toEqual({
      'gmail.auth': 'pass',
      'gmail.ptr': 'unknown',
      'gmail.tls': 'pass', // the relay: smtp_tls_security_level = encrypt
      'gmail.spamRate': 'unknown',
      'gmail.bulk.auth': 'pass',
      'gmail.bulk.dmarc': 'pass',
      'gmail.bulk.alignment': 'pass',
      'yahoo.auth': 'pass',
      'yahoo.ptr': 'unknown',
      'yahoo.bulk.auth': 'pass',
      'yahoo.bulk.dmarc': 'pass',
      'yahoo.bulk.alignment': 'pass',
      'outlook.spf': 'pass',
      'outlook.dkim': 'pass',
      'outlook.dmarc': 'pass',
    });
    expect((await host.runAsRoot('postconf -h smtp_tls_security_level')).stdout.trim()).toBe('encrypt');
    // SPF is judged where the mail now leaves from: the relay's address, covered by the merged include.
    const outlookSpf = step.locator('tr[data-requirement="outlook.spf"] td.basis');
    expect(await outlookSpf.locator('[data-reason="reqSpfViaRelay"]').count()).toBe(1);
    expect(await outlookSpf.locator('li[data-check="relay.spf"]').getAttribute('data-status')).toBe('pass');
    // Honest where the test world cannot tell: no public address without the internet, so no reverse name.
    expect(await step.locator('tr[data-requirement="gmail.ptr"] td.basis').textContent()).toContain('判定できません: グローバル IP アドレスがわかりません');
    expect(await step.locator('tr[data-requirement="gmail.spamRate"] td.basis').textContent()).toBe('Homemail からは見えません。知っているのは受信側だけで、送信者には Gmail の Postmaster Tools で知らされます。');
    await record(page, '8-requirements-after');

    // 5. Undo both changes from the Changes page, newest first: the server is as before, byte for byte.
    await nav.getByRole('button', { name: 'これまでの変更' }).click();
    const active = page.locator('li.backup', { has: page.locator('.badge', { hasText: /^適用中$/ }) });
    await active.first().waitFor({ timeout: 60_000 });
    expect(await active.count()).toBe(2);
    await record(page, '9-changes');
    for (let undone = 0; undone < 2; undone += 1) {
      const entry = active.first();
      await entry.getByRole('button', { name: '元に戻す内容を確認する' }).click();
      expect(await entry.innerText()).not.toContain(relay.password);
      await entry.getByLabel(/^内容を読みました/).check();
      await entry.getByRole('button', { name: '元に戻す', exact: true }).click();
      await page.getByText(/を元に戻しました。/).waitFor({ timeout: 120_000 });
      await page.locator('li.backup .badge', { hasText: /^元に戻し済み$/ }).nth(undone).waitFor();
    }
    expect(host.diffSnapshots(before, await host.snapshot())).toEqual([]);
    await page.context().close();
  }, 900_000);
});
