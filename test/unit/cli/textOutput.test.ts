// Every command's text output (not --json) in the person's language: Japanese under
// LANG=ja_JP.UTF-8, English under LANG=C. Commands that need no server run whole
// (runCliCaptured, as the bin would); the others' formatters get the data their service
// returns (fixtures written here, shaped like the services' results). A Japanese output
// line that reads as an English sentence fails, as the e2e DOM walk does for the wizard.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatInbound } from '../../../main/cli/commands/inbound.js';
import { formatInspection } from '../../../main/cli/commands/inspect.js';
import { formatReports } from '../../../main/cli/commands/reports.js';
import { printTarget } from '../../../main/cli/commands/status.js';
import { printReport } from '../../../main/cli/commands/verify.js';
import { printRun } from '../../../main/cli/commands/watch.js';
import { webIntro } from '../../../main/cli/commands/web.js';
import { fetchingRuntimeLine } from '../../../main/cli/startText.js';
import { statusLines } from '../../../main/cli/commands/rotate.js';
import type { RotationStatus } from '../../../shared/rotation.js';
import type { CliIO } from '../../../main/cli/command.js';
import { cliText, type CliText } from '../../../main/cli/language.js';
import { appliedLine, formatPlan, progressLine } from '../../../main/cli/planText.js';
import { checkLines } from '../../../shared/i18n/checkLines.js';
import { checkText, summarize, type Check } from '../../../shared/checks.js';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import type { InboundReport } from '../../../shared/inbound.js';
import type { ReportsResult } from '../../../shared/reports.js';
import { keyedError, serializeError } from '../../../shared/errors.js';
import { watchSkip, type StoredCheck, type TargetStatus, type WatchRunResult } from '../../../shared/watch.js';
import { detectCheckChanges } from '../../../main/services/watch/detect.js';
import { runCliCaptured } from '../../support/cli.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import type { Handlers } from '../../../main/services/handler.js';
import { errorTexts } from '../../../main/cli/main.js';
import { sentenceNamespace } from '../../../shared/errors.js';
import { hostKeyUnknownError } from '../../../main/services/ssh/connect.js';
import { englishSentences } from '../../support/englishSentences.js';
import { deadListPlan, inspection } from '../renderer/fixtures.js';
import type { Plan } from '../../../shared/plan.js';

const JA = { LANG: 'ja_JP.UTF-8', SSH_AUTH_SOCK: '' };
const EN = { LANG: 'C', SSH_AUTH_SOCK: '' };
const ja = cliText(JA);
const en = cliText(EN);

function capture(env: NodeJS.ProcessEnv): { io: CliIO; out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env, cwd: process.cwd() }, out: () => out };
}

const dkimFailing: Check = {
  id: 'dkim:202611',
  area: 'dkim',
  status: 'fail',
  title: checkText('dkimTitle', { name: '202611._domainkey.example.jp' }),
  expected: checkText('dkimExpectedAny'),
  found: checkText('dkimFoundNone', { name: '202611._domainkey.example.jp' }),
  fix: checkText('dkimFixPublish', { name: '202611._domainkey.example.jp' }),
};
const spfMissing: Check = { id: 'spf', area: 'spf', status: 'warn', title: checkText('spfTitle', { domain: 'example.jp' }), expected: null, found: checkText('spfFoundNone'), fix: null };

const verifyReport: VerifyReport = {
  domain: 'example.jp',
  zone: 'example.jp',
  resolvers: [],
  checks: [dkimFailing, spfMissing],
  summary: summarize([dkimFailing, spfMissing]),
  ok: false,
  settled: true,
  timing: { queries: 12, wallMs: 340, slowestQueryMs: 80 } as VerifyReport['timing'],
};

const basePlan = deadListPlan({ opendkimSocket: 'local:/run/opendkim/opendkim.sock', milter: 'unix:/run/opendkim/opendkim.sock' });
// A new private key and a removed one beside the main.cf change: the plan's own one-line summaries are English (for --json).
const plan: Plan = {
  ...basePlan,
  files: [
    ...basePlan.files,
    {
      path: '/etc/dkimkeys/202611.private',
      kind: 'create',
      owner: 'opendkim',
      group: 'opendkim',
      mode: '0600',
      secret: true,
      diff: 'create /etc/dkimkeys/202611.private (private key, 1679 bytes, not shown)\n',
      why: { key: 'keyFile', params: { selector: '202611', type: 'rsa' }, text: 'Private key for selector 202611 (rsa).' },
    },
    {
      path: '/etc/dkimkeys/postfix.private',
      kind: 'delete',
      owner: 'opendkim',
      group: 'opendkim',
      mode: '0600',
      secret: true,
      diff: 'delete /etc/dkimkeys/postfix.private (private key, not shown; kept in the backup)\n',
      why: { key: 'rotationOldKey', params: { selector: 'postfix' }, text: 'The old private key (selector postfix); kept in the backup, so rollback restores it.' },
    },
  ],
};

const inbound: InboundReport = {
  blocklists: [
    {
      use: { parameter: 'smtpd_recipient_restrictions', kind: 'reject_rbl_client', zone: 'all.rbl.jp', text: 'reject_rbl_client all.rbl.jp' },
      status: 'not-listing',
      listed: { name: '2.0.0.127.all.rbl.jp', status: 'NXDOMAIN', answers: [] },
      unlisted: { name: '1.0.0.127.all.rbl.jp', status: 'NXDOMAIN', answers: [] },
      remove: true,
      text: 'The test entry 127.0.0.2 is not listed: the list is gone.',
    },
  ],
  clientHostname: { current: 'none', parameter: null, unknownClients: 3, connections: 40, text: 'reject_unknown_client_hostname is stricter.' },
  suggestions: [],
  resolverWarning: 'No list answered.',
  roundTrips: 2,
};

const reports: ReportsResult = {
  mailbox: { address: 'dmarc@example.jp', users: ['dmarc'], paths: [{ path: '/var/mail/dmarc', format: 'mbox' }], notes: [], keyedNotes: [] },
  messagesRead: 3,
  bytesRead: 4096,
  truncated: true,
  reports: 2,
  duplicates: 1,
  period: { kind: 'days', days: 14 },
  reporters: [{ orgName: 'google.com', email: null, domain: 'example.jp', reports: 2, firstBegin: '2026-11-01', lastEnd: '2026-11-02', messages: 23, pass: 20, fail: 3 }],
  sources: [{ sourceIp: '192.0.2.25', count: 23, dkimAligned: 20, spfAligned: 21, dmarcFail: 3, kind: 'own', reverseName: 'mail.example.jp' }] as ReportsResult['sources'],
  timeline: [],
  skipped: [],
  notes: [],
  recommendation: {
    domain: 'example.jp',
    current: 'none',
    next: null,
    periodDays: 14,
    key: 'notReady',
    text: 'Not yet.',
    code: 'notReady',
    params: {},
    record: null,
    failingSources: ['192.0.2.25'],
    published: { p: 'none', sp: null, np: null, testing: null, discoveryMethod: null, pct: null } as NonNullable<ReportsResult['recommendation']>['published'],
  },
  knownIssues: [],
  roundTrips: 1,
} as ReportsResult;

const watchRun: WatchRunResult = {
  at: '2026-11-30T12:00:00.000Z',
  worse: true,
  targets: [
    {
      domain: 'example.jp',
      server: 'admin@mail.example.jp:22',
      changes: [{ kind: 'dkim-gone', severity: 'worse', subject: 'dkim:202611', before: 'v=DKIM1; p=MIIB', after: null, params: { name: '202611._domainkey.example.jp', before: 'v=DKIM1; p=MIIB' }, text: 'The DKIM record disappeared.' }],
      skipped: [watchSkip('server-login'), watchSkip('send-test', serializeError(keyedError('sudo-failed', { key: 'sudoNeedsPassword', params: { user: 'admin', host: 'mail.example.jp' } })))],
      failed: null,
    },
    { domain: 'example.org', server: null, changes: [], skipped: [], failed: null },
  ],
};

const targetStatus: TargetStatus = {
  domain: 'example.jp',
  server: { host: 'mail.example.jp', port: 22, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` } as TargetStatus['server'],
  latest: [
    {
      id: 1,
      kind: 'verify',
      domain: 'example.jp',
      server: null,
      at: '2026-11-30T12:00:00.000Z',
      resolvers: [],
      checks: [
        { checkId: 'dkim:202611', area: 'dkim', status: 'fail', title: 'DKIM record 202611._domainkey.example.jp', found: 'no TXT record at 202611._domainkey.example.jp', titleKey: 'dkimTitle', foundKey: 'dkimFoundNone', params: { name: '202611._domainkey.example.jp' }, values: {} },
        { checkId: 'mx', area: 'mx', status: 'pass', title: 'MX', found: null, titleKey: null, foundKey: null, params: {}, values: {} },
      ],
    },
  ],
  changes: [],
  skipped: [],
  lastRunAt: '2026-11-30T12:00:00.000Z',
  runs: 4,
  trends: { reports: 2, rows: 2, daily: [{ date: '2026-11-29', pass: 9, fail: 1 }], reporters: [], sources: [] },
};

const rotationKey = (selector: string) => ({ selector, type: 'rsa' as const, bits: 2048, keyPath: `/etc/dkimkeys/${selector}.private`, fingerprint: `SHA256:${selector.padEnd(43, 'x')}`, publicKey: 'MIIB' });
const rotation: RotationStatus = {
  domain: 'example.jp',
  state: { version: 1, domain: 'example.jp', emergency: false, done: 'switch', old: rotationKey('202605'), new: rotationKey('202611'), overlapDays: 2, minimumOverlapDays: 7, dates: { switch: '2026-11-30T12:00:00.000Z' }, backups: {} },
  next: 'overlap',
  earliest: '2026-12-02T12:00:00.000Z',
  finished: false,
  record: { name: '202611._domainkey.example.jp', value: 'v=DKIM1; k=rsa; p=MIIB' },
  revokeRecord: { name: '202605._domainkey.example.jp', value: 'v=DKIM1; p=' },
  overlapShortened: true,
  key: null,
} as RotationStatus;

/** Each command's text output, as the person would see it in LANG's language. */
async function outputs(text: CliText, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-cli-text-'));
  const run = async (argv: string[]) => {
    const r = await runCliCaptured(argv, { env: { ...env, HOMEMAIL_HISTORY_DIR: dir }, cwd: dir });
    expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
    return `${r.out}${r.err}`;
  };
  const watch = capture(env);
  printRun(watch.io, watchRun, text);
  const status = capture(env);
  printTarget(status.io, targetStatus, text);
  const verify = capture(env);
  printReport(verify.io, verifyReport);
  return {
    help: await run(['--help']),
    planHelp: await run(['plan', '--help']),
    recordsHelp: await run(['records', '--help']),
    keygen: await run(['keygen', '--domain', 'example.jp', '--selector', '202611', '--out', dir]),
    records: await run(['records', '--domain', 'example.jp', '--dkim', `202611:${path.join(dir, '202611.private')}`, '--ip', '192.0.2.25', '--mx', 'mail.example.jp', '--rua', 'dmarc@example.jp', '--offline']),
    recordsValue: await run(['records', '--domain', 'example.jp', '--ip', '192.0.2.25', '--format', 'value', '--offline']),
    statusEmpty: await run(['status']),
    inspect: formatInspection(
      inspection({
        addresses: [{ interface: 'eth0', family: 'inet', address: '192.0.2.25', prefixLength: 24, scope: 'global' }],
        postfix: { version: '3.7.11', running: true, configDirectory: '/etc/postfix', settings: {}, myhostname: 'mail.example.jp', mydomain: 'example.jp', myorigin: '/etc/mailname', mydestination: ['$myhostname', 'localhost'], smtpdChroot: true, queueDirectory: null, milters: [], milterDefaultAction: null, contentFilters: [], rblClients: [], hasNewaliases: true, hasPostmap: true },
      }),
      text,
    ).join('\n'),
    plan: formatPlan(plan, text),
    apply: [progressLine({ stage: 'backup', status: 'ok', text: 'backup done' }, text), progressLine({ stage: 'health', status: 'ok', text: 'health ok' }, text), appliedLine('20261130-031500-a1b2c3', text)].join('\n'),
    verify: verify.out(),
    sendTest: checkLines(dkimFailing, text).join('\n'),
    reports: formatReports(reports, text).join('\n'),
    inbound: formatInbound(inbound, text).join('\n'),
    watch: watch.out(),
    status: status.out(),
    rotate: statusLines(rotation, text).join('\n'),
    rotateNone: statusLines({ ...rotation, state: null }, text).join('\n'),
    rotateHelp: await run(['rotate', '--help']),
    web: webIntro('http://127.0.0.1:4321/?token=abc', { ...env, HOMEMAIL_DESKTOP_UNAVAILABLE: 'getaddrinfo ENOTFOUND github.com' }, text).join('\n'),
    start: fetchingRuntimeLine(env),
  };
}

describe('CLI text output follows LANG', () => {
  it('is Japanese under LANG=ja_JP.UTF-8, with no line an English sentence', async () => {
    const out = await outputs(ja, JA);
    for (const [command, text] of Object.entries(out)) expect(englishSentences(text), `${command} (ja)`).toEqual([]);
    if (process.env.HOMEMAIL_SHOW_CLI_TEXT) console.log(Object.entries(out).map(([k, v]) => `==== ${k}\n${v}`).join('\n'));
    expect(out.help).toContain('使い方: homemail <コマンド> [オプション]');
    expect(out.help).toMatch(/ {2}keygen {2,}DKIM 鍵を作ります/);
    expect(out.planHelp).toContain('署名より先に公開');
    expect(out.recordsHelp).toContain('形式: zone, value, json');
    expect(out.keygen).toContain('次の TXT レコードを 202611._domainkey.example.jp に登録してください:');
    expect(out.records).toContain('; example.jp の DNS レコード(Homemail が作成)');
    expect(out.records).toMatch(/^注記: /m);
    expect(out.statusEmpty).toContain('まだ何も見守っていません');
    expect(out.inspect).toContain('わかったこと:');
    expect(out.inspect).toContain('権限 パスワード付きの sudo');
    expect(out.inspect).toContain('Postfix      3.7.11(稼働中)');
    expect(out.plan).toContain('実行するコマンド:');
    expect(out.plan).toContain('これは秘密鍵です。所有者だけが読める権限で書き込み、表示はしません。');
    expect(out.plan).toContain('これは秘密鍵またはパスワードです。内容は表示しません。削除する内容はバックアップに残ります。');
    expect(out.plan).not.toContain('not shown');
    expect(out.apply).toContain('[動作確認] 動作確認に合格しました');
    expect(out.apply).toContain('適用しました。バックアップ: 20261130-031500-a1b2c3');
    expect(out.verify).toContain('[問題] DKIM レコード 202611._domainkey.example.jp');
    expect(out.verify).toContain('直し方: ');
    expect(out.verify).toContain('DNS だけで判定しています');
    // the requirements rows: the rule ends as a sentence, whom it applies to on its own line (no "。 (すべての送信者)")
    expect(out.verify).toMatch(/\] 送信ドメインに SPF か DKIM のメール認証を設定すること。\n {6}対象: すべての送信者$/m);
    expect(out.verify).not.toMatch(/。 \(/);
    expect(out.verify).toMatch(/Gmail[\s\S]*Yahoo[\s\S]*Outlook/);
    expect(out.reports).toContain('直近 14 日間');
    expect(out.inbound).toContain('all.rbl.jp [smtpd_recipient_restrictions] 停止 → 外す');
    expect(out.watch).toContain('[悪化] DKIM レコード 202611._domainkey.example.jp がなくなりました');
    expect(out.watch).toContain('前回から悪化したものがあります。');
    // why a check was skipped: the error's codes, in Japanese
    expect(out.watch).toContain('mail.example.jp で admin が sudo を使うにはパスワードが必要ですが、入力されていません。');
    expect(out.status).toContain('DNS レコード(2026-11-30T12:00:00.000Z): 問題');
    expect(out.rotate).toContain('完了した段階: 切り替え(2026-11-30T12:00:00.000Z)');
    expect(out.rotate).toContain('次の段階: 重複期間(2026-12-02T12:00:00.000Z 以降)');
    expect(out.rotateNone).toBe('このサーバーでは example.jp の鍵の入れ替えは行われていません。');
    expect(out.rotateHelp).toContain('DKIM 鍵の入れ替えを 1 回の実行で 1 段階ずつ進めます。');
    expect(out.web).toContain('デスクトップ版の実行環境(Electron)をダウンロードできなかったため(getaddrinfo ENOTFOUND github.com)、同じウィザードをブラウザーで開きます(Web モード)。');
    expect(out.web).toContain('Homemail を http://127.0.0.1:4321/?token=abc で起動しました');
    expect(out.start).toBe('デスクトップ版の実行環境(Electron)をダウンロードしています(初回のみ)…');
  });

  it('is English under LANG=C, as before', async () => {
    const out = await outputs(en, EN);
    expect(out.help).toContain('Usage: homemail <command> [options]');
    expect(out.planHelp).toContain('Publish before sign');
    expect(out.keygen).toContain('Publish this TXT record at 202611._domainkey.example.jp:');
    expect(out.records).toContain('; DNS records for example.jp, made by Homemail.');
    expect(out.recordsValue).toMatch(/^example\.jp\tTXT\tv=spf1 /m);
    expect(out.statusEmpty).toContain('Nothing watched yet');
    expect(out.inspect).toContain('Postfix    3.7.11 (running)');
    expect(out.plan).toContain('Plan for mail.example.jp (example.jp): 3 file(s), 1 command(s).');
    expect(out.apply).toContain('Applied. Backup: 20261130-031500-a1b2c3 (undo with: homemail rollback --ssh … --backup 20261130-031500-a1b2c3)');
    expect(out.verify).toContain('[FAIL] DKIM record 202611._domainkey.example.jp');
    expect(out.verify).toContain('Judged from DNS alone: homemail requirements --domain example.jp --ssh');
    expect(out.verify).toMatch(/\] Set up SPF or DKIM email authentication for your sending domain\.\n {6}Applies to: every sender$/m);
    expect(out.verify).toMatch(/^ {7}What to do: +Publish the DKIM record/m);
    expect(out.verify).toContain('1 passed'.replace('1', '0'));
    expect(out.reports).toContain('Read 3 message(s), 4096 bytes (the oldest were left out: size cap); 2 report(s) for the last 14 day(s), 1 duplicate(s) ignored.');
    expect(out.inbound).toContain('all.rbl.jp [smtpd_recipient_restrictions] dead → remove');
    expect(out.watch).toContain('[WORSE] The DKIM record 202611._domainkey.example.jp disappeared');
    expect(out.status).toContain('example.jp on mail.example.jp:22');
    expect(out.status).toContain('verify (2026-11-30T12:00:00.000Z): FAIL — 1 passed, 0 warnings, 1 failed, 0 cannot tell');
    expect(out.rotate).toContain('Key rotation of example.jp: 202605 → 202611');
    expect(out.start).toBe('Fetching the Electron desktop runtime (first launch only)…');
    expect(out.web?.split('\n')[0]).toBe('The Electron desktop runtime could not be downloaded (getaddrinfo ENOTFOUND github.com), so the same wizard opens in your browser instead (web mode).');
    expect(webIntro('http://127.0.0.1:1/', {}, en)[0]).toBe('Homemail is running at http://127.0.0.1:1/');
    expect(out.rotate).toContain('  overlap: 2 day(s) — shorter than the recommended 7 (old record TTL + queue lifetime)');
    expect(out.rotate).toContain('  next: overlap, not before 2026-12-02T12:00:00.000Z');
  });

  it('finds an English sentence in Japanese output (the detector works)', () => {
    expect(englishSentences('注記: 日本語\nNothing got worse since the previous run.\nmail.example.jp 192.0.2.1\n+smtpd_milters = unix:/run/x')).toEqual(['Nothing got worse since the previous run.']);
  });

  it('says an unknown command and its usage in Japanese', async () => {
    const r = await runCliCaptured(['nosuch'], { env: JA });
    expect(r.code).toBe(2);
    expect(r.err).toContain('homemail: 「nosuch」というコマンドはありません。');
    const usage = await runCliCaptured(['keygen', '--domain', 'example.jp'], { env: JA });
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^使い方: homemail keygen --domain D/m);
  });

  it('refuses a command line in Japanese, every refusal from the catalogs', async () => {
    const cases: [string[], string][] = [
      [['keygen', '--selector', 's', '--out', 'x'], '--domain を指定してください。'],
      [['keygen', '--domain', 'example.jp', '--selector', 's', '--type', 'dsa', '--out', 'x'], '--type には rsa, ed25519 のどれかを指定してください(「dsa」は使えません)。'],
      [['records', '--domain', 'example.jp', '--bogus'], 'records: --bogus というオプションはありません。'],
      [['records', '--domain'], 'records: --domain には値を指定してください。'],
      [['records', '--domain', 'example.jp', '--offline', '--resolver', '192.0.2.53'], '--offline と --resolver は同時に指定できません。'],
      [['records', '--domain', 'example.jp', '--ttl', 'soon', '--offline'], '--ttl には整数を指定してください(「soon」は使えません)。'],
      [['verify', '--domain', 'example.jp', '--wait', 'x'], '--wait には整数を指定してください'],
      [['inspect'], '--ssh を指定してください。'],
      [['watch'], 'watch: --once を付けてください'],
      [['watch', '--once', '--ssh', 'admin@192.0.2.1'], '--domain も指定してください。'],
      [['web', '--port', '70000'], '--port には 0 から 65535 までの数を指定してください'],
      [['rotate', 'spin', '--ssh', 'admin@192.0.2.1', '--domain', 'example.jp'], 'rotate には start, status, continue, undo のどれかを指定してください'],
      [['rotate', 'status', '--ssh', 'admin@192.0.2.1', '--domain', 'example.jp', '--emergency'], '--emergency は「rotate start」で使うオプションです。'],
      [['rollback', '--ssh', 'admin@192.0.2.1', '--backup', 'x y'], '「x y」は Homemail のバックアップ ID ではありません。'],
      [['rollback', '--ssh', 'admin@192.0.2.1', '--backup', '20261130-031500-a1b2c3', '--list'], '--list と --backup は同時に指定できません。'],
      [['reports', '--ssh', 'admin@192.0.2.1', '--days', '3', '--all'], '--days、--since、--all はどれか 1 つだけ指定してください'],
      [['send-test', '--ssh', 'admin@192.0.2.1', '--to', 'a b'], '--to にはローカルのユーザー名かアドレスを指定してください'],
      [['inbound', '--ssh', 'admin@192.0.2.1', '--hostname-rule', 'loose'], '--hostname-rule には keep, reverse, strict のどれかを指定してください'],
      [['relay', '--ssh', 'admin@192.0.2.1'], '--relay ホスト[:ポート] を指定してください'],
      [['relay', '--ssh', 'admin@192.0.2.1', '--relay', 'smtp.isp.example:587', '--relay-user', 'u'], 'リレーのパスワードは、ほかのユーザーから見えるコマンドラインではなく標準入力からだけ読みます。'],
      // A refused value: its problem from the validation catalog, after the option that gave it.
      [['relay', '--ssh', 'admin@192.0.2.1', '--relay', 'smtp.isp.example:0'], '--relay: ポートは 1 から 65535 までの数で指定してください(0 は使えません)。'],
      [['relay', '--ssh', 'admin@192.0.2.1', '--relay', 'a:b:c'], '--relay: リレー先は ホスト または ホスト:ポート の形で指定してください'],
      [['requirements', '--domain', 'example.jp', '--resolver', 'x'], '--resolver: 「x」は IP アドレス(ポート付きも可)ではありません'],
      [['verify', '--domain', 'example.jp', '--ip', '999.1.1.1'], '--ip: 「999.1.1.1」は IPv4 / IPv6 アドレスではありません。'],
      [['records', '--domain', 'example.jp', '--dkim', 'nocolon', '--offline'], '--dkim: SELECTOR:FILE の形で指定してください'],
      [['inspect', '--ssh', 'admin@'], 'サーバーは [ユーザー@]ホスト[:ポート] の形で書いてください'],
      [['reports', '--ssh', 'admin@192.0.2.1', '--since', '2020-13-01'], '--since: 「2020-13-01」は YYYY-MM-DD 形式の日付ではありません。'],
    ];
    for (const [argv, said] of cases) {
      const r = await runCliCaptured(argv, { env: { ...JA, HOMEMAIL_HISTORY_DIR: mkdtempSync(path.join(tmpdir(), 'hm-cli-err-')) } });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toContain(said);
      expect(englishSentences(r.err), argv.join(' ')).toEqual([]);
      const english = await runCliCaptured(argv, { env: { ...EN, HOMEMAIL_HISTORY_DIR: mkdtempSync(path.join(tmpdir(), 'hm-cli-err-')) } });
      expect(english.code).toBe(2);
      expect(english.err).toMatch(new RegExp(`^homemail ${argv[0] ?? ''}: `));
    }
  });

  it('says a value the contract refuses by code: the CLI names the option, the wizard the label', async () => {
    const context = { signal: new AbortController().signal, progress: () => undefined };
    const relay = { sessionId: 'a'.repeat(16), remove: false, relay: 'smtp.isp.example:0', user: 'u', password: 'p', domain: 'example.jp' };
    const cases: [Record<string, unknown>, string, string, string][] = [
      [relay, 'relay', 'ポートは 1 から 65535 までの数で指定してください(0 は使えません)。', '--relay: '],
      [{ ...relay, relay: 'smtp.isp.example', user: 'u'.repeat(300) }, 'user', '値が 256 文字を超えています。', '--user: '],
      [{ ...relay, relay: 'smtp.isp.example', domain: undefined }, 'domain', '値を指定してください。', '--domain: '],
    ];
    for (const [input, field, said, option] of cases) {
      const outcome = await dispatch({} as Handlers, 'planRelay', input, context);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.code).toBe('bad-input');
      expect(outcome.error.details).toEqual({ field });
      expect(outcome.error.message).not.toMatch(/Too big|Invalid input|expected/);
      const sentence = outcome.error.sentence;
      expect(sentence?.namespace).toBe('validation');
      if (sentence === undefined) continue;
      expect(ja.keyed(sentenceNamespace(sentence), { ...sentence, text: '' })).toBe(said);
      expect(errorTexts(outcome.error, ja).message).toBe(`${option}${said}`);
      expect(englishSentences(errorTexts(outcome.error, ja).message)).toEqual([]);
    }
    const unknown = await dispatch({} as Handlers, 'noSuchCall', {}, context);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(errorTexts(unknown.error, ja).message).toBe('"noSuchCall" という呼び出しはありません。');
  });

  it('shows the fingerprint to compare when the host key is not known yet (Japanese printed only the code\'s sentence)', () => {
    const error = serializeError(hostKeyUnknownError({ user: 'admin', host: 'mail.example.jp', port: 22 }, { algorithm: 'ssh-ed25519', keyType: 'ED25519', bits: 256, fingerprint: 'SHA256:wADqUhpFHL65JIOt+5Y4COT6Z9TEA/Vb+O4/jatcroY', base64: '' }));
    const { message } = errorTexts(error, ja);
    const line = ja.t('errors.host-key-unknown', { message });
    expect(line).toContain('SHA256:wADqUhpFHL65JIOt+5Y4COT6Z9TEA/Vb+O4/jatcroY');
    expect(line).toContain('ホスト mail.example.jp はまだ確認されていません。');
  });

  it('escapes control characters from outside data in translated lines too', async () => {
    const { io, out } = capture(JA);
    printRun(io, { ...watchRun, targets: [{ domain: 'example.jp', server: null, changes: [], skipped: [], failed: 'boom\u001b]52;c;cHduZWQ=\u0007' }] }, ja);
    expect(out()).not.toContain(String.fromCharCode(27));
    expect(out()).toContain('[失敗] boom\\u{1b}]52;c;cHduZWQ=\\u{7}');
  });
});

describe('watch changes in the reader\'s language (homemail watch, homemail status)', () => {
  // A DMARC check as recordChecks.ts stores it (keyed title and finding), going from pass to
  // fail, and an inbound blocklist that stopped working, as the real detector names them.
  const dmarc = (status: 'pass' | 'fail'): StoredCheck => ({
    checkId: 'dmarc',
    area: 'dmarc',
    status,
    title: 'DMARC record _dmarc.example.jp',
    found: status === 'pass' ? 'p=reject (strict)' : 'no DMARC record',
    titleKey: 'dmarcTitle',
    foundKey: status === 'pass' ? 'dmarcFoundOk' : 'dmarcFoundNone',
    params: { name: '_dmarc.example.jp', policy: 'reject', alignment: 'strict' },
    values: {},
  });
  const blocklist = (health: 'working' | 'not-listing'): StoredCheck => ({
    checkId: 'inbound.blocklist:dead-bl.example.jp',
    area: 'inbound',
    status: health === 'working' ? 'pass' : 'fail',
    title: 'DNS blocklist dead-bl.example.jp (smtpd_client_restrictions)',
    found: null,
    titleKey: null,
    foundKey: null,
    params: { parameter: 'smtpd_client_restrictions' },
    values: { status: health },
  });
  const changes = detectCheckChanges([dmarc('pass'), blocklist('working')], [dmarc('fail'), blocklist('not-listing')], { domain: 'example.jp' });
  const lines = (text: CliText, env: NodeJS.ProcessEnv) => {
    const watch = capture(env);
    printRun(watch.io, { ...watchRun, targets: [{ domain: 'example.jp', server: null, changes, skipped: [], failed: null }] }, text);
    const status = capture(env);
    printTarget(status.io, { ...targetStatus, latest: [], changes }, text);
    return [watch.out(), status.out()];
  };

  it('puts the title, the states before and after and a blocklist\'s health in Japanese under LANG=ja_JP.UTF-8', () => {
    for (const out of lines(ja, JA)) {
      expect(out).toContain('DMARC レコード _dmarc.example.jp: OK(p=reject(strict)) → 問題(DMARC レコードがありません)');
      expect(out).toContain('smtpd_client_restrictions のブロックリスト dead-bl.example.jp が機能していません: 停止');
      expect(out).not.toMatch(/DMARC record|no DMARC record|not-listing|\bpass\b|\bfail\b/);
    }
  });

  it('says the same in English under LANG=C, statuses as words', () => {
    for (const out of lines(en, EN)) {
      expect(out).toContain('DMARC record _dmarc.example.jp: OK (p=reject (strict)) → Problem (no DMARC record).');
      expect(out).toContain('The blocklist dead-bl.example.jp in smtpd_client_restrictions does not work: dead.');
    }
  });

  it('keeps the stored English of a change recorded before keyed words existed', () => {
    const old = changes.map(({ checks: _checks, ...rest }) => rest);
    const watch = capture(JA);
    printRun(watch.io, { ...watchRun, targets: [{ domain: 'example.jp', server: null, changes: old, skipped: [], failed: null }] }, ja);
    expect(watch.out()).toContain('DMARC record _dmarc.example.jp: pass (p=reject (strict)) → fail (no DMARC record)');
  });
});
