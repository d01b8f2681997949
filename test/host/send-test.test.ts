// homemail send-test against the real test host: a message by sendmail and by SMTP, fetched
// back over SSH and verified with mailauth through the test DNS. Passes on a host that signs
// both paths, fails (exit 1) on one that does not sign.
import { afterAll, describe, expect, it } from 'vitest';
import type { Check } from '../../shared/checks.js';
import { runCliCaptured } from '../support/cli.js';
import { hostSkipReason, resetHost, type TestHost } from './testHost.js';

const skip = hostSkipReason();
const suite = (name: string): string => (skip === null ? name : `${name} — SKIPPED: ${skip}`);

interface SendTestJson {
  ok: boolean;
  to: string;
  mailbox: string;
  checks: Check[];
  messages: { path: string; sent: boolean; delivered: boolean; authenticationResults: string | null }[];
}

async function sendTestCli(host: TestHost, extra: string[] = []): Promise<{ code: number; json: SendTestJson; stderr: string }> {
  const { code, out, err } = await runCliCaptured(
    [
      'send-test',
      '--ssh', `deploy@${host.sshHost}:${host.sshPort}`,
      '-i', host.users.deploy.keyPath,
      '--known-hosts', host.knownHostsPath,
      '--resolver', `${host.dns.address}:${host.dns.port}`,
      '--json',
      ...extra,
    ],
    { env: {} },
  );
  const json = JSON.parse(out) as SendTestJson;
  if (!Array.isArray(json.checks)) throw new Error(`send-test gave no checks (exit ${code}): ${out} ${err}`);
  return { code, json, stderr: err };
}

const status = (json: SendTestJson, id: string) => json.checks.find((c) => c.id === id)?.status;
const records = ['@ IN TXT "v=spf1 ip4:127.0.0.1 -all"', '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"'];

describe.skipIf(skip !== null)(suite('send-test'), () => {
  afterAll(async () => {
    await resetHost('fresh').catch(() => undefined);
  });

  it('passes on a host that signs mail from sendmail and SMTP', async () => {
    // Until the apply engine configures it, the single-key host is completed by hand: its
    // OpenDKIM (1024-bit key "postfix", record published by the variant) also for sendmail.
    const host = await resetHost('single-key');
    await host.setRecords('example.test', records);
    const conf = await host.runAsRoot('postconf -e non_smtpd_milters=inet:127.0.0.1:8892 && postfix reload');
    expect(conf.code, conf.stderr).toBe(0);
    const { code, json, stderr } = await sendTestCli(host);
    expect(json.checks.filter((c) => c.status === 'fail'), stderr).toEqual([]);
    expect(code).toBe(0);
    expect(json.to).toBe('deploy@localhost');
    expect(json.mailbox).toBe('/var/mail/deploy');
    for (const path of ['sendmail', 'smtp']) {
      expect(json.checks.find((c) => c.id === `message.sent:${path}`)?.title.params).toEqual({ how: path });
      expect(status(json, `message.sent:${path}`)).toBe('pass');
      expect(status(json, `message.fetch:${path}`)).toBe('pass');
      expect(status(json, `message.dkim:${path}`)).toBe('pass');
      expect(status(json, `message.dmarc:${path}`)).toBe('pass');
    }
    expect(status(json, 'message.spf')).toBe('pass');
    expect(json.messages.map((m) => m.authenticationResults)).toEqual([
      'dkim=pass header.d=example.test header.s=postfix; spf=pass smtp.mailfrom=homemail-test@example.test; dmarc=pass header.from=example.test',
      'dkim=pass header.d=example.test header.s=postfix; spf=pass smtp.mailfrom=homemail-test@example.test; dmarc=pass header.from=example.test',
    ]);
  });

  it('fails only the sendmail path when Postfix signs SMTP mail only (the manual procedure)', async () => {
    const host = await resetHost('single-key');
    await host.setRecords('example.test', records);
    const { code, json } = await sendTestCli(host);
    expect(code).toBe(1);
    expect(status(json, 'message.dkim:smtp')).toBe('pass');
    expect(status(json, 'message.dkim:sendmail')).toBe('fail');
    expect(json.checks.find((c) => c.id === 'message.dkim:sendmail')?.found?.key).toBe('messageDkimNone');
  });

  it('fails (exit 1) on a host that does not sign', async () => {
    const host = await resetHost('fresh');
    await host.setRecords('example.test', records);
    const { code, json } = await sendTestCli(host, ['--to', 'admin']);
    expect(code).toBe(1);
    expect(json.mailbox).toBe('/var/mail/admin');
    expect(status(json, 'message.fetch:sendmail')).toBe('pass');
    expect(status(json, 'message.dkim:sendmail')).toBe('fail');
    expect(status(json, 'message.dkim:smtp')).toBe('fail');
    expect(json.messages.every((m) => m.authenticationResults?.startsWith('dkim=none'))).toBe(true);
  });

  it('says why the server refused the SMTP path in the person\'s language (the script\'s reason code, rendered from ja.json)', async () => {
    // Postfix's smtpd turns every client away; sendmail (pickup) is not asked.
    const host = await resetHost('fresh');
    await host.setRecords('example.test', records);
    const conf = await host.runAsRoot('postconf -e smtpd_client_restrictions=reject && postfix reload');
    expect(conf.code, conf.stderr).toBe(0);
    const started = Date.now();
    const { code, out } = await runCliCaptured(
      ['send-test', '--ssh', `deploy@${host.sshHost}:${host.sshPort}`, '-i', host.users.deploy.keyPath, '--known-hosts', host.knownHostsPath, '--resolver', `${host.dns.address}:${host.dns.port}`],
      { env: { LANG: 'ja_JP.UTF-8' } },
    );
    expect(code).toBe(1);
    expect(out).toMatch(/送信できません: 127\.0\.0\.1:25 の SMTP サーバーの応答: 554 5\.7\.1 .*Client host rejected/);
    expect(out).toContain('送信しました(sendmail が受け付けました)');
    // the send path is a code, said from the catalog by key: in the check titles and before each copy's results
    expect(out).toContain('テストメールの送信(サーバーへ SMTP で送信)');
    expect(out).toMatch(/^sendmail で送信: dkim=/m);
    expect(out).not.toMatch(/with sendmail|by SMTP to the server/);
    // the refused path's copy is not waited for (the script waits only for what it handed over)
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('refuses bad input before connecting (exit 2)', async () => {
    expect((await runCliCaptured(['send-test', '--ssh', 'deploy@127.0.0.1:2222', '--to', 'a b;rm'], { env: {} })).code).toBe(2);
    expect((await runCliCaptured(['send-test', '--ssh', 'deploy@127.0.0.1:2222', '--resolver', 'x:y'], { env: {} })).code).toBe(2);
  });
});
