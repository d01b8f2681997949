// The sender-requirements checklist, judged from hand-made checks in verify's and outbound's
// shapes (ids and statuses as those modules make them).
import { describe, expect, it } from 'vitest';
import { checkText, summarize, type Check, type CheckStatus } from '../../../shared/checks.js';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import type { OutboundReport } from '../../../shared/outbound.js';
import { judgeRequirements, RECEIVER_SOURCES, REQUIREMENT_RULES, requirementFacts, serverDkimExpectations } from '../../../main/services/outbound/requirements.js';
import { cliText } from '../../../main/cli/language.js';

const check = (id: string, status: CheckStatus, area: Check['area'] = 'spf'): Check => ({ id, area, status, title: checkText('spfTitle', { domain: 'example.jp' }), expected: null, found: null, fix: null });

function verify(checks: Check[]): VerifyReport {
  return { domain: 'example.jp', zone: 'example.jp', resolvers: [], checks, summary: summarize(checks), ok: true, settled: true, timing: { wallMs: 0, queries: 0, slowestQueryMs: 0, slowestQuery: null } };
}
const outbound = (checks: Check[]) => ({ checks }) as unknown as OutboundReport;
const status = (rows: ReturnType<typeof judgeRequirements>, id: string) => rows.find((r) => r.id === id)?.status;

describe('sender requirements', () => {
  it('every rule names its receiver\'s page; the rows carry {receiver, requirement, status, source}', () => {
    const rows = judgeRequirements(requirementFacts(verify([]), null));
    expect(rows).toHaveLength(REQUIREMENT_RULES.length);
    for (const row of rows) {
      expect(row.source).toBe(RECEIVER_SOURCES[row.receiver]);
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.requirement).not.toBe('');
    }
    // the receiver's words come from the catalogs (requirements.rules.<id>), in both languages, not from a table in main/
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    for (const row of rows) {
      expect(row.requirement).toBe(cliText({ LANG: 'C' }).t(`requirements.rules.${row.id}`));
      expect(ja.exists(`requirements.rules.${row.id}`)).toBe(true);
    }
    expect(rows.find((r) => r.id === 'gmail.tls')?.requirement).toBe('Use a TLS connection for transmitting email.');
    expect(rows.find((r) => r.id === 'gmail.spamRate')?.found).toBe("Homemail cannot see this: only the receiver knows it, and tells the sender (Gmail's Postmaster Tools).");
    expect(new Set(rows.map((r) => r.receiver))).toEqual(new Set(['gmail', 'yahoo', 'outlook']));
  });

  it('all pass with SPF, DKIM, DMARC p=none (a verify warning), PTR and outbound TLS; spam rate stays "cannot tell"', () => {
    const rows = judgeRequirements(
      requirementFacts(
        verify([check('spf', 'pass'), check('spf.eval:203.0.113.5', 'pass'), check('dkim:s1', 'pass'), check('dmarc', 'warn')]),
        outbound([check('reverse.generic:mail.example.jp', 'pass', 'ptr'), check('names.myhostname', 'pass', 'ptr'), check('tls.outbound', 'pass', 'tls')]),
      ),
    );
    expect(rows.filter((r) => r.status !== 'pass').map((r) => r.id)).toEqual(['gmail.spamRate']);
    expect(status(rows, 'gmail.spamRate')).toBe('unknown');
  });

  it('SPF or DKIM is enough for every sender; bulk rules need both', () => {
    const rows = judgeRequirements(requirementFacts(verify([check('spf', 'fail'), check('dkim:s1', 'pass'), check('dmarc', 'fail')]), null));
    expect(status(rows, 'gmail.auth')).toBe('pass');
    expect(status(rows, 'yahoo.auth')).toBe('pass');
    expect(status(rows, 'gmail.bulk.auth')).toBe('fail');
    expect(status(rows, 'outlook.spf')).toBe('fail');
    expect(status(rows, 'outlook.dkim')).toBe('pass');
    expect(status(rows, 'gmail.bulk.alignment')).toBe('pass');
    expect(status(rows, 'outlook.dmarc')).toBe('fail');
  });

  it('without the server, TLS is "cannot tell"; without selectors, DKIM is "cannot tell"', () => {
    const rows = judgeRequirements(requirementFacts(verify([check('spf', 'pass')]), null));
    expect(status(rows, 'gmail.tls')).toBe('unknown');
    expect(status(rows, 'outlook.dkim')).toBe('unknown');
    expect(status(rows, 'gmail.bulk.auth')).toBe('unknown');
    expect(status(rows, 'gmail.ptr')).toBe('unknown');
  });

  it('without selectors given, the server\'s own (KeyTable or single-key Selector) are judged, and the row says so', () => {
    // inspection's key list as buildInspection makes it: one KeyTable entry per domain/selector, another domain's beside it
    const key = (domain: string | null, selector: string | null, keyType: 'rsa' | 'ed25519' | null = 'rsa') =>
      ({ path: `/etc/opendkim/keys/${selector ?? 'x'}.private`, domain, selector, exists: true, owner: 'opendkim', group: 'opendkim', mode: '600', keyType, bits: 2048, safetyProblems: [], safety: [] });
    const keys = [key('Example.JP', 's1'), key('example.jp', 's1e', 'ed25519'), key('example.jp', 's1'), key('other.example', 'o1'), key(null, null)];
    expect(serverDkimExpectations({ keys }, 'example.jp')).toEqual([
      { selector: 's1', publicKey: null, keyType: 'rsa' },
      { selector: 's1e', publicKey: null, keyType: 'ed25519' },
    ]);
    expect(serverDkimExpectations({ keys }, 'unsigned.example')).toEqual([]);
    const rows = judgeRequirements(requirementFacts(verify([check('spf', 'fail'), check('dkim:s1', 'pass', 'dkim'), check('dkim:s1e', 'pass', 'dkim')]), null, ['s1', 's1e']));
    expect(status(rows, 'outlook.dkim')).toBe('pass');
    expect(status(rows, 'gmail.auth')).toBe('pass');
    const why = checkText('reqDkimServerSelectors', { selectors: 's1, s1e' });
    expect(rows.find((r) => r.id === 'outlook.dkim')?.reasons).toEqual([why]);
    expect(rows.find((r) => r.id === 'gmail.bulk.alignment')?.reasons).toContainEqual(why);
    expect(cliText({ LANG: 'ja_JP.UTF-8' }).keyed('checks', why)).toContain('s1, s1e');
  });

  describe('with a relay, SPF is judged for the relay (relay.spf), not the server\'s own address', () => {
    const relayOutbound = (relayStatus: CheckStatus, reason: 'include-listed' | 'include-missing' | 'addresses-not-passing') =>
      ({
        publicAddress: '203.0.113.5',
        relaySpf: { domain: 'example.jp', relayHost: 'smtp.relay.example', include: 'unknown', includeListed: null, addresses: [], status: relayStatus, reason },
        checks: [{ ...check('relay.spf', relayStatus), found: checkText('outRelaySpfNoAddress', { relay: 'smtp.relay.example' }) }, check('tls.outbound', 'pass')],
      }) as unknown as OutboundReport;
    // The server's own address fails SPF (mail does not leave from it); only the relay's finding counts.
    const dnsChecks = [check('spf', 'pass'), check('spf.eval:203.0.113.5', 'fail'), check('dkim:s1', 'fail'), check('dmarc', 'pass')];

    it('pass: the relay is covered, so SPF passes although the server\'s own address would fail', () => {
      const rows = judgeRequirements(requirementFacts(verify(dnsChecks), relayOutbound('pass', 'include-listed')));
      expect(status(rows, 'gmail.auth')).toBe('pass');
      expect(status(rows, 'outlook.spf')).toBe('pass');
      const row = rows.find((r) => r.id === 'outlook.spf');
      expect(row?.basis).toEqual(['spf', 'relay.spf']);
      expect(row?.reasons.map((r) => r.key)).toEqual(['reqSpfViaRelay', 'outRelaySpfNoAddress']);
      expect(row?.reasons[0]?.params).toEqual({ relay: 'smtp.relay.example', domain: 'example.jp' });
    });
    it('fail: the relay\'s include is missing', () => {
      const rows = judgeRequirements(requirementFacts(verify(dnsChecks), relayOutbound('fail', 'include-missing')));
      expect(status(rows, 'outlook.spf')).toBe('fail');
      expect(status(rows, 'gmail.auth')).toBe('fail');
    });
    it('cannot tell: the relay documents no include and its host\'s addresses do not pass', () => {
      const rows = judgeRequirements(requirementFacts(verify(dnsChecks), relayOutbound('unknown', 'addresses-not-passing')));
      expect(status(rows, 'outlook.spf')).toBe('unknown');
      expect(status(rows, 'gmail.auth')).toBe('unknown');
    });
    it('without a relay the server\'s own address counts, and the row says so', () => {
      const direct = { publicAddress: '203.0.113.5', relaySpf: null, checks: [check('tls.outbound', 'pass')] } as unknown as OutboundReport;
      const rows = judgeRequirements(requirementFacts(verify(dnsChecks), direct));
      expect(status(rows, 'outlook.spf')).toBe('fail');
      expect(rows.find((r) => r.id === 'outlook.spf')?.reasons).toEqual([checkText('reqSpfDirect', { address: '203.0.113.5' })]);
      expect(rows.find((r) => r.id === 'gmail.tls')?.reasons).toEqual([]);
    });
  });

  it('sender_dependent_relayhost_maps: a relay for the whole domain replaces the server\'s address; one for a single sender adds to it', () => {
    const spf = { domain: 'example.jp', relayHost: 'smtp.relay.example', include: 'relay.example', includeListed: true, addresses: [], status: 'pass', reason: 'include-listed' };
    const withDependent = (sender: string) =>
      ({
        publicAddress: '203.0.113.5',
        relaySpf: null,
        senderDependentRelays: { maps: [], relays: [{ map: 'hash:/etc/postfix/sender_relay', sender, relayhost: '[smtp.relay.example]:587', domain: 'example.jp', spf }] },
        checks: [{ ...check(`relay.spf:${sender}`, 'pass'), found: checkText('outRelaySpfIncludeListed', { include: 'relay.example' }) }],
      }) as unknown as OutboundReport;
    const dns = [check('spf', 'pass'), check('spf.eval:203.0.113.5', 'fail'), check('dkim:s1', 'pass'), check('dmarc', 'pass')];
    const whole = judgeRequirements(requirementFacts(verify(dns), withDependent('@example.jp'))).find((r) => r.id === 'outlook.spf');
    expect(whole).toMatchObject({ status: 'pass', basis: ['spf', 'relay.spf:@example.jp'] });
    expect(whole?.reasons.map((r) => r.key)).toEqual(['reqSpfViaSenderRelay', 'outRelaySpfIncludeListed']);
    const single = judgeRequirements(requirementFacts(verify(dns), withDependent('shop@example.jp'))).find((r) => r.id === 'outlook.spf');
    expect(single).toMatchObject({ status: 'fail', basis: ['spf', 'spf.eval:203.0.113.5', 'relay.spf:shop@example.jp'] });
    expect(single?.reasons.map((r) => r.key)).toEqual(['reqSpfDirect', 'reqSpfViaSenderRelay', 'outRelaySpfIncludeListed']);
  });

  it('from DNS alone (verify\'s section), the SPF rows say which addresses were judged and that a relay needs the server', () => {
    const rows = judgeRequirements(requirementFacts(verify([check('spf', 'pass'), check('spf.eval:192.0.2.7', 'pass')]), null));
    expect(rows.find((r) => r.id === 'outlook.spf')?.reasons).toEqual([checkText('reqSpfDnsOnly', { addresses: '192.0.2.7' })]);
    expect(rows.find((r) => r.id === 'outlook.dkim')?.reasons).toEqual([]);
  });

  it('a TLS or PTR failure on the server fails Gmail\'s and Yahoo\'s rules', () => {
    const rows = judgeRequirements(requirementFacts(verify([]), outbound([check('names.myhostname', 'fail', 'ptr'), check('tls.outbound', 'fail', 'tls')])));
    expect(status(rows, 'gmail.tls')).toBe('fail');
    expect(status(rows, 'gmail.ptr')).toBe('fail');
    expect(status(rows, 'yahoo.ptr')).toBe('fail');
  });

  it('with the server, the reverse-name rows are judged from its own view (outbound\'s names and reverse checks), "cannot tell" while its public address is unknown', () => {
    const unknownAddress = requirementFacts(verify([check('spf', 'pass')]), outbound([check('names.myhostname', 'unknown', 'ptr'), check('tls.outbound', 'pass', 'tls'), check('policy', 'unknown', 'blocklist')]));
    expect(unknownAddress.reverseDns).toBe('unknown');
    expect(unknownAddress.basis.reverseDns).toEqual(['names.myhostname']);
    const rows = judgeRequirements(unknownAddress);
    expect(status(rows, 'gmail.ptr')).toBe('unknown');
    expect(rows.find((r) => r.id === 'gmail.ptr')?.basis).toEqual(['names.myhostname']);
    const agreeing = requirementFacts(verify([]), outbound([check('reverse.generic:mail.example.jp', 'pass', 'ptr'), check('names.myhostname', 'pass', 'ptr')]));
    expect(agreeing.reverseDns).toBe('pass');
  });
});
