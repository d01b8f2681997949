// The change detector, fed with results the real check builders produce (recordChecks.ts's
// dkimCheck, spfEvaluationCheck with mailauth and blocklistChecks, the inbound report's checks),
// from DNS answers written here; DMARC rows as the store returns them.
import { describe, expect, it } from 'vitest';
import type { InboundReport } from '../../../shared/inbound.js';
import type { StoredCheck, WatchChange } from '../../../shared/watch.js';
import { detectCheckChanges, detectDmarcChanges } from '../../../main/services/watch/detect.js';
import { cliText } from '../../../main/cli/language.js';
import { storedCheckText, watchChangeText } from '../../../shared/i18n/keyedText.js';
import { openHistoryStore } from '../../../main/services/watch/store.js';
import { inboundChecks, recordResult, storedCheck } from '../../../main/services/watch/record.js';
import { blocklistChecks, dkimCheck, spfEvaluationCheck } from '../../../main/services/verify/recordChecks.js';
import type { DnsAnswer, RecordType } from '../../../main/services/verify/dnsClient.js';

const domain = 'example.test';
// Two real RSA public keys (base64 SubjectPublicKeyInfo) from test/unit/records/fixtures/opendkim-genkey.
import { readFileSync } from 'node:fs';
const keyOf = (file: string) => /p=([A-Za-z0-9+/=" \t\n]+)\)/.exec(readFileSync(new URL(`../records/fixtures/opendkim-genkey/${file}`, import.meta.url), 'utf8'))?.[1]?.replace(/[" \t\n]/g, '') ?? '';
const keyA = keyOf('sel2048.txt');
const keyB = keyOf('sel3072.txt');

function dkim(record: string | null, expectKey: string | null = null): StoredCheck {
  const answer: DnsAnswer<'TXT'> = record === null ? { status: 'nxdomain' } : { status: 'ok', records: [[record]] };
  const check = dkimCheck(domain, { selector: 'mail', publicKey: expectKey, keyType: expectKey ? 'rsa' : null }, answer);
  return storedCheck(check, { record });
}

async function spfFor(record: string): Promise<StoredCheck> {
  const resolver = async (name: string, type: string) => {
    if (type === 'TXT' && name === domain) return [[record]];
    throw Object.assign(new Error('no data'), { code: 'ENODATA' });
  };
  return storedCheck(await spfEvaluationCheck(domain, '192.0.2.25', resolver));
}

async function blocklist(listed: boolean): Promise<StoredCheck[]> {
  const lookup = async <T extends RecordType>(): Promise<DnsAnswer<T>> => (listed ? { status: 'ok', records: ['127.0.0.2'] as never } : { status: 'nxdomain' });
  return (await blocklistChecks('93.184.216.34', ['bl.example.net'], lookup)).map((c) => storedCheck(c));
}

function inbound(statuses: Array<[string, 'working' | 'not-listing']>): StoredCheck[] {
  const report: InboundReport = {
    blocklists: statuses.map(([zone, status]) => ({
      use: { parameter: 'smtpd_client_restrictions', kind: 'reject_rbl_client', zone, text: `reject_rbl_client ${zone}` },
      status,
      listed: { name: `2.0.0.127.${zone}`, status: status === 'working' ? 'NOERROR' : 'NXDOMAIN', answers: [] },
      unlisted: { name: `1.0.0.127.${zone}`, status: 'NXDOMAIN', answers: [] },
      remove: status !== 'working',
      text: '',
    })),
    clientHostname: { current: 'none', parameter: null, unknownClients: 0, connections: 0, text: '' },
    suggestions: [],
    resolverWarning: null,
    roundTrips: 2,
  };
  return inboundChecks(report);
}

const recordA = `v=DKIM1; k=rsa; p=${keyA}`;
const recordB = `v=DKIM1; k=rsa; p=${keyB}`;

describe('change detector', () => {
  it('the fixtures hold real keys', () => {
    expect(keyA.length).toBeGreaterThan(300);
    expect(keyB).not.toBe(keyA);
  });

  it('reports nothing on the first run and nothing when nothing changed', () => {
    expect(detectCheckChanges(null, [dkim(recordA)], { domain })).toEqual([]);
    expect(detectCheckChanges([dkim(recordA)], [dkim(recordA)], { domain })).toEqual([]);
  });

  it('a replaced DKIM record', () => {
    const changes = detectCheckChanges([dkim(recordA)], [dkim(recordB)], { domain });
    expect(changes.map((c) => [c.kind, c.severity, c.subject])).toEqual([['dkim-changed', 'worse', 'dkim:mail']]);
    expect(changes[0]?.text).toContain('mail._domainkey.example.test');
  });

  it('a DKIM record that disappeared', () => {
    const changes = detectCheckChanges([dkim(recordA)], [dkim(null)], { domain });
    expect(changes.map((c) => c.kind)).toEqual(['dkim-gone']);
  });

  it('a DKIM record that no longer matches the private key', () => {
    const changes = detectCheckChanges([dkim(recordA, keyA)], [dkim(recordB, keyA)], { domain });
    expect(changes.map((c) => [c.kind, c.severity])).toEqual([['dkim-key-mismatch', 'worse']]);
  });

  it('a DKIM record that could not be read this time is not a change', () => {
    const unread = { ...dkim(recordA), values: {} };
    expect(detectCheckChanges([dkim(recordA)], [unread], { domain })).toEqual([]);
  });

  it('SPF that lost the server address', async () => {
    const before = await spfFor('v=spf1 ip4:192.0.2.25 -all');
    const after = await spfFor('v=spf1 ip4:192.0.2.99 -all');
    expect(before.status).toBe('pass');
    expect(after.status).toBe('fail');
    const changes = detectCheckChanges([before], [after], { domain });
    expect(changes.map((c) => [c.kind, c.severity, c.params.address])).toEqual([['spf-lost-address', 'worse', '192.0.2.25']]);
  });

  it('the server address appearing on a blocklist, and leaving it', async () => {
    const clear = await blocklist(false);
    const listed = await blocklist(true);
    expect(detectCheckChanges(clear, listed, { domain }).map((c) => [c.kind, c.params.list])).toEqual([['blocklisted', 'bl.example.net']]);
    expect(detectCheckChanges(listed, clear, { domain }).map((c) => [c.kind, c.severity])).toEqual([['check-better', 'better']]);
  });

  it('a blocklist added to main.cf that does not work', () => {
    const before = inbound([['good-bl.example.test', 'working']]);
    const after = inbound([['good-bl.example.test', 'working'], ['dead-bl.example.test', 'not-listing']]);
    const changes = detectCheckChanges(before, after, { domain });
    expect(changes.map((c) => [c.kind, c.severity, c.subject])).toEqual([['inbound-blocklist-broken', 'worse', 'inbound.blocklist:dead-bl.example.test']]);
    expect(changes[0]?.text).toBe('The blocklist dead-bl.example.test in smtpd_client_restrictions does not work: not-listing.');
  });

  it('keeps the inbound checks as keyed sentences (blocklist health, host-name rule as words), said in the person\'s language', () => {
    const [dead, rule] = inbound([['dead-bl.example.test', 'not-listing']]);
    expect([dead?.title, dead?.found, rule?.title, rule?.found]).toEqual([
      'DNS blocklist dead-bl.example.test (smtpd_client_restrictions)',
      'Health: dead',
      'Rule for clients without a proper host name',
      'Current rule: accept every client whatever its reverse DNS says',
    ]);
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const said = (c: StoredCheck | undefined) => [storedCheckText(ja, c?.titleKey, c?.params ?? {}, c?.title ?? ''), storedCheckText(ja, c?.foundKey, c?.params ?? {}, c?.found ?? '')];
    expect(said(dead)).toEqual(['DNS ブロックリスト dead-bl.example.test(smtpd_client_restrictions)', '状態: 停止']);
    expect(said(rule)).toEqual(['ホスト名のはっきりしない接続元のルール', '現在のルール: 逆引き DNS にかかわらず受け付ける']);
    expect([dead?.area, dead?.values]).toEqual(['inbound', { text: 'reject_rbl_client dead-bl.example.test', status: 'not-listing' }]);
  });

  it('a certificate that expires within 21 days (the outbound checks will record daysLeft)', () => {
    const cert = (daysLeft: number): StoredCheck => ({
      checkId: 'tls.certificate:mail.example.test',
      area: 'tls',
      status: 'pass',
      title: 'Certificate of mail.example.test',
      found: null,
      titleKey: null,
      foundKey: null,
      params: {},
      values: { daysLeft, subject: 'mail.example.test', notAfter: '2026-12-20' },
    });
    expect(detectCheckChanges([cert(30)], [cert(20)], { domain }).map((c) => c.kind)).toEqual(['certificate-expiring']);
    expect(detectCheckChanges([cert(20)], [cert(19)], { domain })).toEqual([]);
  });

  it('a generic check going from pass to fail is worse; to "cannot tell" is only information', () => {
    const pass = { ...dkim(recordA), checkId: 'mx', area: 'mx' as const, status: 'pass' as const, values: {} };
    expect(detectCheckChanges([pass], [{ ...pass, status: 'fail' }], { domain }).map((c) => [c.kind, c.severity])).toEqual([['check-worse', 'worse']]);
    expect(detectCheckChanges([pass], [{ ...pass, status: 'unknown' }], { domain }).map((c) => c.severity)).toEqual(['info']);
  });

  it('a new source failing DMARC, and a sudden drop in the pass rate', () => {
    const earlier = [
      { sourceIp: '192.0.2.25', count: 40, pass: true, date: '2026-11-01' },
      { sourceIp: '203.0.113.9', count: 2, pass: false, date: '2026-11-01' },
    ];
    const added = [
      { sourceIp: '192.0.2.25', count: 10, pass: true, date: '2026-11-02' },
      { sourceIp: '203.0.113.9', count: 1, pass: false, date: '2026-11-02' },
      { sourceIp: '198.51.100.66', count: 30, pass: false, date: '2026-11-02' },
    ];
    const changes = detectDmarcChanges(earlier, added);
    expect(changes.map((c) => [c.kind, c.subject])).toEqual([
      ['dmarc-new-failing-source', 'dmarc:198.51.100.66'],
      ['dmarc-pass-rate-drop', 'dmarc:pass-rate'],
    ]);
    expect(changes[1]?.before).toBe('95.2');
    expect(changes[1]?.after).toBe('24.4');
    expect(detectDmarcChanges(earlier, [{ sourceIp: '192.0.2.25', count: 50, pass: true, date: '2026-11-03' }])).toEqual([]);
    // The first reports ever read are the baseline.
    expect(detectDmarcChanges([], added)).toEqual([]);
  });
});

describe('a change is said in the reader\'s language, also after the history store kept it', () => {
  // The inbound checks as inboundChecks builds them (keyed titles); a DMARC check written as
  // recordChecks.ts stores it (dmarcTitle / dmarcFoundOk / dmarcFoundNone).
  const dmarc = (status: 'pass' | 'fail'): StoredCheck => ({
    checkId: 'dmarc',
    area: 'dmarc',
    status,
    title: `DMARC record _dmarc.${domain}`,
    found: status === 'pass' ? 'p=reject (strict)' : 'no DMARC record',
    titleKey: 'dmarcTitle',
    foundKey: status === 'pass' ? 'dmarcFoundOk' : 'dmarcFoundNone',
    params: { name: `_dmarc.${domain}`, policy: 'reject', alignment: 'strict' },
    values: {},
  });
  const before = [dmarc('pass'), ...inbound([['good-bl.example.test', 'working'], ['dead-bl.example.test', 'working']])];
  const after = [dmarc('fail'), ...inbound([['dead-bl.example.test', 'not-listing']])];
  const ja = cliText({ LANG: 'ja_JP.UTF-8' });
  const en = cliText({ LANG: 'C' });

  function stored(): WatchChange[] {
    const store = openHistoryStore(':memory:');
    recordResult(store, { kind: 'inbound', domain, server: null, at: '2026-11-01T00:00:00.000Z', resolvers: [], checks: before });
    recordResult(store, { kind: 'inbound', domain, server: null, at: '2026-11-02T00:00:00.000Z', resolvers: [], checks: after });
    return store.latestChanges(domain).changes;
  }

  it('renders titles, states and a blocklist\'s health from the catalogs, in Japanese and in English', () => {
    const changes = stored();
    expect(changes.map((c) => c.kind).sort()).toEqual(['check-gone', 'check-worse', 'inbound-blocklist-broken']);
    expect(changes.map((c) => watchChangeText(ja, c)).sort()).toEqual([
      'DMARC レコード _dmarc.example.test: OK(p=reject(strict)) → 問題(DMARC レコードがありません)',
      'smtpd_client_restrictions のブロックリスト dead-bl.example.test が機能していません: 停止',
      'チェックされなくなりました: DNS ブロックリスト good-bl.example.test(smtpd_client_restrictions)',
    ]);
    expect(changes.map((c) => watchChangeText(en, c)).sort()).toEqual([
      'DMARC record _dmarc.example.test: OK (p=reject (strict)) → Problem (no DMARC record).',
      'No longer checked: DNS blocklist good-bl.example.test (smtpd_client_restrictions).',
      'The blocklist dead-bl.example.test in smtpd_client_restrictions does not work: dead.',
    ]);
  });

  it('SPF that lost the server address says what SPF now answers in the reader\'s language', async () => {
    const [lost] = detectCheckChanges([await spfFor('v=spf1 ip4:192.0.2.25 -all')], [await spfFor('v=spf1 ip4:192.0.2.99 -all')], { domain });
    const japanese = watchChangeText(ja, lost!);
    expect(japanese.startsWith(`${domain} の SPF がサーバーのアドレス 192.0.2.25 を許可しなくなりました(`)).toBe(true);
    expect(japanese).toContain('example.test の SPF レコードは 192.0.2.25 からの送信を拒否しています');
    expect(japanese).not.toContain('forbids');
    expect(watchChangeText(en, lost!)).toBe(lost!.text);
  });

  it('a change kept before keyed words existed (no checks) keeps its stored English title and states', () => {
    const [worse] = stored().filter((c) => c.kind === 'check-worse');
    expect(watchChangeText(ja, { ...worse!, checks: null })).toBe('DMARC record _dmarc.example.test: pass (p=reject (strict)) → fail (no DMARC record)');
  });
});
