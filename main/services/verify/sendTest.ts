/**
 * send-test: a message through the server by `sendmail` and by SMTP to the server itself,
 * the delivered copies fetched back over SSH, their DKIM signatures verified by mailauth
 * against DNS, with SPF and DMARC evaluated for the server's address.
 */
import { randomBytes } from 'node:crypto';
import { authenticate } from 'mailauth';
import { checkText, summarize, type Check } from '../../../shared/checks.js';
import type { DeliveredMessage, SendPath, SendTestReport } from '../../../shared/contract/verify.js';
import { keyedError } from '../../../shared/errors.js';
import { keyedText } from '../../../shared/i18n/english.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { sendTestScript } from '../../server/scripts/index.js';
import { scriptReasonText } from '../../server/scripts/reasons.js';
import { commandFailure } from '../ssh/commandFailure.js';
import { commandLine } from '../ssh/quote.js';
import type { RemoteSession } from '../ssh/types.js';
import { makeCheck, spfVerdictText, type RawResolver } from './recordChecks.js';

export type { DeliveredMessage, SendPath, SendTestReport };

export interface SendTestOptions {
  /** Recipient: a local address; default the SSH login user. */
  to?: string;
  /** The From domain; default Postfix's mydomain. */
  domain?: string;
  /** The server's public address(es) SPF is evaluated for. */
  addresses: readonly string[];
  resolver: RawResolver;
  /** How long to wait for each delivery, in seconds. */
  waitSeconds?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export function buildTestMessage(options: { from: string; to: string; token: string; path: SendPath; date: Date; eol: '\n' | '\r\n' }): string {
  const { from, to, token, path, date, eol } = options;
  const domain = from.split('@')[1] ?? 'localhost';
  return [
    `From: Homemail test <${from}>`,
    `To: <${to}>`,
    `Subject: Homemail test message (${path}) ${token}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${token}.${path}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `X-Homemail-Test: ${token}-${path}`,
    '',
    'This message was sent by Homemail to check that your server signs mail with DKIM.',
    'You can delete it.',
  ].join(eol);
}

/** How a message was handed over: ok or not, and the script's reason (a `words.checks.reason` code with params). */
export interface Sent {
  ok: boolean;
  reason: KeyedText;
}

interface ScriptOutput {
  mailbox: string;
  sent: Map<SendPath, Sent>;
  messages: Map<SendPath, string>;
  complete: boolean;
}

export function parseScriptOutput(stdout: string): ScriptOutput {
  const out: ScriptOutput = { mailbox: '', sent: new Map(), messages: new Map(), complete: false };
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    let m: RegExpExecArray | null;
    if ((m = /^==HOMEMAIL mailbox (.*)$/.exec(line))) out.mailbox = m[1] ?? '';
    else if ((m = /^==HOMEMAIL sent (sendmail|smtp) (ok|fail) ?(.*)$/.exec(line))) out.sent.set(m[1] as SendPath, { ok: m[2] === 'ok', reason: scriptReasonText(m[3] ?? '', 'words.checks.reason') });
    else if ((m = /^==HOMEMAIL message (sendmail|smtp)$/.exec(line))) out.messages.set(m[1] as SendPath, Buffer.from(lines[i + 1] ?? '', 'base64').toString('utf8'));
    else if (line === '==HOMEMAIL end') out.complete = true;
  }
  return out;
}

async function serverFacts(session: RemoteSession, signal?: AbortSignal): Promise<{ mydomain: string }> {
  // postconf lives in /usr/sbin, which a non-root login's PATH often lacks.
  const result = await session.exec(commandLine(['sh', '-c', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin exec postconf -xh mydomain']), { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
  const mydomain = result.stdout.trim();
  if (result.code !== 0 || mydomain === '') {
    throw keyedError('command-failed', { key: 'postconfNoAnswer', params: { host: session.target.host } }, { hint: { key: 'isPostfixInstalled', params: {} }, ...commandFailure(result) });
  }
  return { mydomain };
}

function describeAuth(result: Awaited<ReturnType<typeof authenticate>>): string {
  const dkim = result.dkim.results.length === 0 ? ['dkim=none'] : result.dkim.results.map((r) => `dkim=${r.status.result} header.d=${r.signingDomain ?? '?'} header.s=${r.selector ?? '?'}`);
  const spf = result.spf ? `spf=${result.spf.status.result} smtp.mailfrom=${result.spf['envelope-from'] ?? result.spf.domain}` : 'spf=none';
  const dmarc = result.dmarc ? `dmarc=${result.dmarc.status.result} header.from=${result.dmarc.domain}` : 'dmarc=none';
  return [...dkim, spf, dmarc].join('; ');
}

/** What the server itself answered (an SMTP reply, sendmail's complaint), as it came: data, not a sentence. */
function serverAnswer(reason: KeyedText): string {
  const { reply, output } = reason.params;
  return String(reply ?? output ?? (reason.key === '' ? reason.text : ''));
}

/** Whether the server took the message on one path, and what it said: its reason's code (`words.checks.reason`) as the `reason` param. */
export function sentCheck(path: SendPath, sent: Sent): Check {
  const why = { ...sent.reason.params, reason: sent.reason.key || sent.reason.text };
  return makeCheck({
    id: `message.sent:${path}`,
    area: 'message',
    status: sent.ok ? 'pass' : 'fail',
    title: checkText('messageSentTitle', { how: path }),
    found: checkText(sent.ok ? 'messageSentOk' : 'messageSentFailed', why),
    fix: sent.ok ? null : checkText('messageSentFix'),
  });
}

/** Sends, fetches and verifies. Throws only for SSH/server trouble; findings are checks. */
export async function sendTest(session: RemoteSession, options: SendTestOptions): Promise<SendTestReport> {
  const signal = options.signal;
  const facts = await serverFacts(session, signal);
  const domain = (options.domain ?? facts.mydomain).toLowerCase();
  const to = options.to ?? session.target.user;
  const toAddress = to.includes('@') ? to : `${to}@localhost`;
  const user = (to.split('@')[0] ?? to).toLowerCase();
  const from = `homemail-test@${domain}`;
  const token = `hm${randomBytes(8).toString('hex')}`;
  const date = (options.now ?? (() => new Date()))();
  const waitSeconds = options.waitSeconds ?? 30;
  const argv = [
    'bash', '-c', sendTestScript, 'homemail-send-test',
    from, toAddress, user, token,
    buildTestMessage({ from, to: toAddress, token, path: 'sendmail', date, eol: '\n' }),
    buildTestMessage({ from, to: toAddress, token, path: 'smtp', date, eol: '\r\n' }),
    String(waitSeconds),
  ];
  const result = await session.exec(commandLine(argv), { sudo: true, timeoutMs: (waitSeconds * 2 + 60) * 1000, ...(signal ? { signal } : {}) });
  const output = parseScriptOutput(result.stdout);
  if (!output.complete) {
    throw keyedError('command-failed', { key: 'sendTestUnfinished', params: { host: session.target.host } }, { hint: { key: 'sendTestNeeds', params: {} }, ...commandFailure(result) });
  }
  const address = options.addresses[0] ?? null;
  const checks: Check[] = [];
  const messages: DeliveredMessage[] = [];
  let spfDone = false;
  for (const path of ['sendmail', 'smtp'] as const) {
    // The send path as a code: each door says it in its language (`words.checks.how.<path>`).
    const how = path;
    const sent = output.sent.get(path) ?? { ok: false, reason: keyedText('words.checks.reason', 'noReport') };
    checks.push(sentCheck(path, sent));
    const message = output.messages.get(path) ?? null;
    const delivered: DeliveredMessage = { path, sent: sent.ok, sendDetail: serverAnswer(sent.reason), message, authenticationResults: null };
    messages.push(delivered);
    if (!sent.ok) continue;
    checks.push(
      makeCheck({
        id: `message.fetch:${path}`,
        area: 'message',
        status: message ? 'pass' : 'fail',
        title: checkText('messageFetchTitle', { how }),
        found: message ? checkText('messageFetchOk', { mailbox: output.mailbox }) : checkText('messageFetchNone', { mailbox: output.mailbox, seconds: waitSeconds }),
        fix: message ? null : checkText('messageFetchFix', { field: 'to' }),
      }),
    );
    if (!message) continue;
    const auth = await authenticate(message, {
      ...(address ? { ip: address } : {}),
      helo: domain,
      sender: from,
      mta: 'homemail',
      resolver: options.resolver as (name: string, type: string) => Promise<string[][] | string[]>,
      disableArc: true,
      disableBimi: true,
    });
    delivered.authenticationResults = describeAuth(auth);
    const dkimResults = auth.dkim.results.filter((r) => r.signingDomain !== undefined || r.status.result !== 'none');
    const aligned = dkimResults.filter((r) => r.signingDomain && (r.signingDomain === domain || domain.endsWith(`.${r.signingDomain}`)));
    const dkimBase = { id: `message.dkim:${path}`, area: 'message' as const, title: checkText('messageDkimTitle', { how }), expected: checkText('messageDkimExpected', { domain }) };
    const listed = dkimResults.map((r) => `dkim=${r.status.result} header.d=${r.signingDomain ?? '?'} header.s=${r.selector ?? '?'}${r.status.comment ? ` (${r.status.comment})` : ''}`).join('; ');
    if (dkimResults.length === 0) {
      checks.push(makeCheck({ ...dkimBase, status: 'fail', found: checkText('messageDkimNone'), fix: checkText('messageDkimFixNone') }));
    } else if (aligned.some((r) => r.status.result === 'pass')) {
      checks.push(makeCheck({ ...dkimBase, status: 'pass', found: checkText('messageDkimFound', { results: listed }) }));
    } else {
      const temporary = dkimResults.every((r) => r.status.result === 'temperror');
      checks.push(makeCheck({ ...dkimBase, status: temporary ? 'unknown' : 'fail', found: checkText('messageDkimFound', { results: listed }), fix: checkText('messageDkimFixFail') }));
    }
    if (address && auth.spf && !spfDone) {
      spfDone = true;
      const verdict = auth.spf.status.result;
      checks.push(
        makeCheck({
          id: 'message.spf',
          area: 'message',
          status: verdict === 'pass' ? 'pass' : verdict === 'temperror' ? 'unknown' : 'fail',
          title: checkText('messageSpfTitle', { domain, address }),
          expected: checkText('spfEvalExpected', { domain, address }),
          found: spfVerdictText(verdict, domain, address),
          fix: verdict === 'pass' ? null : checkText('spfEvalFix', { domain, address }),
        }),
      );
    }
    if (auth.dmarc) {
      const verdict = auth.dmarc.status.result;
      checks.push(
        makeCheck({
          id: `message.dmarc:${path}`,
          area: 'message',
          status: verdict === 'pass' ? 'pass' : verdict === 'temperror' || verdict === 'none' ? 'unknown' : 'fail',
          title: checkText('messageDmarcTitle', { domain, how }),
          found: checkText('messageDmarcFound', { result: `dmarc=${verdict}` }),
          fix: verdict === 'pass' ? null : checkText('messageDmarcFix'),
        }),
      );
    }
  }
  const summary = summarize(checks);
  return { from, to: toAddress, mailbox: output.mailbox, messages, checks, summary, ok: summary.fail === 0 };
}
