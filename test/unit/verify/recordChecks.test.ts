// The record checks' judgement on given DNS answers (the DNS itself is exercised against the
// real test DNS server in test/host/verify.test.ts).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adspCheck, dkimCheck, dkimNotAskedCheck, reverseName } from '../../../main/services/verify/recordChecks.js';
import { buildTestMessage, parseScriptOutput, sentCheck } from '../../../main/services/verify/sendTest.js';
import { cliText } from '../../../main/cli/language.js';
import { storedCheckText } from '../../../shared/i18n/keyedText.js';

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const spki = (key: ReturnType<typeof rsa>) => key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const key2048 = rsa(2048);
const p = spki(key2048);
const txt = (...records: string[][]) => ({ status: 'ok' as const, records });
const expectation = { selector: 's1', publicKey: p, keyType: 'rsa' as const };

describe('DKIM check', () => {
  it('passes the matching key, split over several TXT strings', () => {
    const check = dkimCheck('example.jp', expectation, txt(['v=DKIM1; k=rsa; ', `p=${p.slice(0, 200)}`, p.slice(200)]));
    expect(check).toMatchObject({ id: 'dkim:s1', status: 'pass', found: { key: 'dkimFoundMatches', params: { type: 'rsa', bits: 2048 } } });
  });
  it.each([
    ['no record', { status: 'nxdomain' as const }, 'fail', 'dkimFoundNone'],
    ['two records', txt([`v=DKIM1; p=${p}`], [`v=DKIM1; p=${p}`]), 'fail', 'dkimFoundMany'],
    ['a revoked key', txt(['v=DKIM1; p=']), 'fail', 'dkimFoundRevoked'],
    ['a wrong key type', txt([`v=DKIM1; k=ed25519; p=${p}`]), 'fail', 'dkimFoundWrongType'],
    ['another key', txt([`v=DKIM1; p=${spki(rsa(2048))}`]), 'fail', 'dkimFoundOtherKey'],
    ['a cut-short key', txt([`v=DKIM1; p=${p.slice(0, 200)}`]), 'fail', 'dkimFoundBadKey'],
    ['testing mode', txt([`v=DKIM1; t=y; p=${p}`]), 'warn', 'dkimFoundTesting'],
    ['no usable answer', { status: 'error' as const, code: 'ETIMEOUT' }, 'unknown', 'noAnswer'],
  ])('names %s', (_, answer, status, key) => {
    expect(dkimCheck('example.jp', expectation, answer)).toMatchObject({ status, found: { key } });
  });
  it('warns about a 1024-bit key and checks presence only without an expected key', () => {
    const weak = spki(rsa(1024));
    expect(dkimCheck('example.jp', { selector: 's1', publicKey: weak, keyType: null }, txt([`v=DKIM1; p=${weak}`]))).toMatchObject({ status: 'warn', found: { key: 'dkimFoundWeak' } });
    expect(dkimCheck('example.jp', { selector: 's1', publicKey: null, keyType: null }, txt([`v=DKIM1; p=${p}`]))).toMatchObject({ status: 'pass', found: { key: 'dkimFoundPresent' } });
  });
});

describe('other checks', () => {
  it('flags ADSP', () => {
    expect(adspCheck('example.jp', txt(['dkim=unknown'])).status).toBe('warn');
    expect(adspCheck('example.jp', { status: 'nxdomain' }).status).toBe('pass');
  });
  it('builds reverse names for IPv4 and IPv6', () => {
    expect(reverseName('192.0.2.10')).toBe('10.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});

describe('send-test pieces', () => {
  it('reads the server script output', () => {
    const message = buildTestMessage({ from: 'homemail-test@example.jp', to: 'admin@localhost', token: 'hm1', path: 'smtp', date: new Date(0), eol: '\r\n' });
    expect(message).toContain('X-Homemail-Test: hm1-smtp\r\n');
    const out = parseScriptOutput(
      ['==HOMEMAIL mailbox /var/mail/admin', '==HOMEMAIL sent sendmail ok sendmailAccepted', '==HOMEMAIL sent smtp fail smtpRefused\treply=554 5.7.1 rejected',
        '==HOMEMAIL message sendmail', Buffer.from('Subject: x\n\nbody\n').toString('base64'), '==HOMEMAIL missing smtp', '==HOMEMAIL end'].join('\n'),
    );
    expect(out.mailbox).toBe('/var/mail/admin');
    expect(out.sent.get('sendmail')).toEqual({ ok: true, reason: { key: 'sendmailAccepted', params: {}, text: 'sendmail took the message' } });
    expect(out.sent.get('smtp')).toEqual({ ok: false, reason: { key: 'smtpRefused', params: { reply: '554 5.7.1 rejected' }, text: 'the SMTP server on 127.0.0.1:25 answered 554 5.7.1 rejected' } });
    expect(out.messages.get('sendmail')).toBe('Subject: x\n\nbody\n');
    expect(out.messages.has('smtp')).toBe(false);
    expect(out.complete).toBe(true);
  });
  it('says what the server answered in the person\'s language: the script\'s reason codes through the catalogs', () => {
    const out = parseScriptOutput(['==HOMEMAIL sent sendmail fail sendmailFailed\toutput=sendmail: fatal: no such user', '==HOMEMAIL sent smtp ok smtpAccepted\treply=250 2.0.0 Ok: queued as 4ABC', '==HOMEMAIL end'].join('\n'));
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const sendmail = sentCheck('sendmail', out.sent.get('sendmail')!);
    expect(sendmail.status).toBe('fail');
    expect(ja.keyed('checks', sendmail.found)).toBe('送信できません: sendmail が受け付けませんでした: sendmail: fatal: no such user');
    expect(sendmail.found?.text).toBe('not sent: sendmail refused it: sendmail: fatal: no such user');
    const smtp = sentCheck('smtp', out.sent.get('smtp')!);
    expect(ja.keyed('checks', smtp.title)).toBe('テストメールの送信(サーバーへ SMTP で送信)');
    // the send path crosses as its code; each door says it from the catalog by key
    expect(smtp.title).toEqual({ key: 'messageSentTitle', params: { how: 'smtp' }, text: 'Test message sent by SMTP to the server' });
    expect(sendmail.title.params).toEqual({ how: 'sendmail' });
    expect(ja.keyed('checks', sendmail.title)).toBe('テストメールの送信(sendmail で送信)');
    expect(cliText({ LANG: 'C' }).keyed('checks', sendmail.title)).toBe('Test message sent with sendmail');
    // as the history keeps it (the Status page, homemail status): the same words
    expect(storedCheckText(ja, smtp.title.key, smtp.title.params, smtp.title.text)).toBe('テストメールの送信(サーバーへ SMTP で送信)');
    expect(ja.keyed('checks', smtp.found)).toBe('送信しました(サーバーの応答: 250 2.0.0 Ok: queued as 4ABC)');
    // an older script's plain text stays as it came
    expect(ja.keyed('checks', sentCheck('smtp', parseScriptOutput('==HOMEMAIL sent smtp fail 554 rejected').sent.get('smtp')!).found)).toBe('送信できません: 554 rejected');
  });
});

describe('DKIM without a selector', () => {
  it('is a "cannot tell" check that names the field to give, not a silent gap', () => {
    const check = dkimNotAskedCheck('example.jp');
    expect([check.id, check.area, check.status]).toEqual(['dkim:none', 'dkim', 'unknown']);
    expect(check.found?.key).toBe('dkimNotAsked');
    expect(check.fix).toMatchObject({ key: 'dkimFixNotAsked', params: { field: 'selector' } });
  });
});

