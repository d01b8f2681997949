// The relay SPF decision (pure): the documented include decides when a preset knows one; the
// relay host's addresses decide only when they pass; otherwise "cannot tell". SPF answers are
// written here in the shape published.ts records them ("TXT name" → TXT strings).
import { describe, expect, it } from 'vitest';
import { judgeRelaySpf, relayHostOf, relaySpfCheck, senderDependentChecks, senderDependentRelays, spfNamesInclude, type RelaySpfFacts } from '../../../main/services/outbound/relaySpf.js';

const base: RelaySpfFacts = { domain: 'example.jp', relayHost: 'smtp.sendgrid.net', include: 'sendgrid.net', includeListed: null, addresses: [], spfUnreadable: false };

describe('relayHostOf', () => {
  it('reads bracketed, plain and port-less relayhost values', () => {
    expect(relayHostOf('[smtp.sendgrid.net]:587')).toBe('smtp.sendgrid.net');
    expect(relayHostOf('relay.example.org:587')).toBe('relay.example.org');
    expect(relayHostOf('[127.0.0.2]:587')).toBe('127.0.0.2');
    expect(relayHostOf('not a host!')).toBeNull();
  });
});

describe('spfNamesInclude', () => {
  it('finds the include at the top, through an include, and through a redirect', () => {
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 mx include:sendgrid.net -all'] }, 'sendgrid.net')).toBe(true);
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 include:_spf.example.jp -all'], 'TXT _spf.example.jp': ['v=spf1 include:sendgrid.net ~all'] }, 'sendgrid.net')).toBe(true);
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 redirect=_spf.example.net'], 'TXT _spf.example.net': ['v=spf1 include:Sendgrid.net. -all'] }, 'sendgrid.net')).toBe(true);
  });
  it('says false when the read tree lacks it and null when part of it is unknown', () => {
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 mx -all'] }, 'sendgrid.net')).toBe(false);
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': null }, 'sendgrid.net')).toBe(false);
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 include:_spf.example.jp -all'], 'TXT _spf.example.jp': 'unknown' }, 'sendgrid.net')).toBeNull();
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': 'unknown' }, 'sendgrid.net')).toBeNull();
  });
  it('stops at a loop', () => {
    expect(spfNamesInclude('example.jp', { 'TXT example.jp': ['v=spf1 include:a.example.jp -all'], 'TXT a.example.jp': ['v=spf1 include:example.jp -all'] }, 'sendgrid.net')).toBe(false);
  });
});

describe('judgeRelaySpf', () => {
  it('a preset with a documented include: pass when listed, fail when not, unknown when unread', () => {
    expect(judgeRelaySpf({ ...base, includeListed: true })).toMatchObject({ status: 'pass', reason: 'include-listed' });
    expect(judgeRelaySpf({ ...base, includeListed: false })).toMatchObject({ status: 'fail', reason: 'include-missing' });
    expect(judgeRelaySpf({ ...base, includeListed: null, spfUnreadable: true })).toMatchObject({ status: 'unknown', reason: 'spf-unreadable' });
  });
  it('no documented include: the addresses pass → pass; otherwise cannot tell, never fail', () => {
    const other = { ...base, relayHost: 'relay.example.org', include: 'unknown' as const };
    expect(judgeRelaySpf({ ...other, addresses: [{ address: '127.0.0.2', verdict: 'pass' }] })).toMatchObject({ status: 'pass', reason: 'addresses-pass' });
    expect(judgeRelaySpf({ ...other, addresses: [{ address: '127.0.0.2', verdict: 'fail' }] })).toMatchObject({ status: 'unknown', reason: 'addresses-not-passing' });
    expect(judgeRelaySpf({ ...other, addresses: [{ address: '127.0.0.2', verdict: 'pass' }, { address: '::2', verdict: 'softfail' }] })).toMatchObject({ status: 'unknown' });
    expect(judgeRelaySpf({ ...other, addresses: [] })).toMatchObject({ status: 'unknown', reason: 'no-address' });
    expect(judgeRelaySpf({ ...other, addresses: [{ address: '127.0.0.2', verdict: 'temperror' }], spfUnreadable: true })).toMatchObject({ status: 'unknown', reason: 'spf-unreadable' });
  });
});

describe('relaySpfCheck', () => {
  it('a missing include fails with the records command that adds it', () => {
    const check = relaySpfCheck(judgeRelaySpf({ ...base, includeListed: false }));
    expect(check).toMatchObject({ id: 'relay.spf', area: 'relay', status: 'fail' });
    expect(check.fix?.key).toBe('outRelaySpfFixInclude');
    expect(check.fix?.text).toContain('homemail records --domain example.jp --include sendgrid.net');
  });
  it('cannot tell names the addresses and asks for the operator\'s include', () => {
    const check = relaySpfCheck(judgeRelaySpf({ ...base, relayHost: 'relay.example.org', include: 'unknown', addresses: [{ address: '127.0.0.2', verdict: 'fail' }] }));
    expect(check.status).toBe('unknown');
    expect(check.found?.text).toContain('127.0.0.2 (fail)');
    expect(check.fix?.text).toContain('homemail records --domain example.jp --include');
  });
});

describe('senderDependentRelays (the tables of sender_dependent_relayhost_maps)', () => {
  const hashTable = ['# sender → relay', '@example.jp  [smtp.sendgrid.net]:587', 'Shop@Shop.example.jp [relay.example.net]:587', '@other.example DUNNO', '@example.jp [ignored.example]:25'].join('\n');
  const regexpTable = ['if /@example\\.jp$/', '/^news@/ [mail.example.org]:465', '/^(.*)@x$/ [$1.example]:25', 'endif'].join('\n');

  it('reads each entry\'s sender, relay and the domain whose SPF must cover it; the first entry of a sender counts', () => {
    const found = senderDependentRelays(
      'hash:/etc/postfix/sender_relay, regexp:/etc/postfix/sender_relay.re, mysql:/etc/postfix/relay.cf, hash:/etc/postfix/missing',
      [
        { map: 'hash:/etc/postfix/sender_relay', text: hashTable, read: 'read' },
        { map: 'regexp:/etc/postfix/sender_relay.re', text: regexpTable, read: 'read' },
        { map: 'mysql:/etc/postfix/relay.cf', text: null, read: 'unsupported' },
        { map: 'hash:/etc/postfix/missing', text: null, read: 'unreadable' },
      ],
      'example.jp',
    );
    expect(found?.relays).toEqual([
      { map: 'hash:/etc/postfix/sender_relay', sender: '@example.jp', relayhost: '[smtp.sendgrid.net]:587', domain: 'example.jp', spf: null },
      { map: 'hash:/etc/postfix/sender_relay', sender: 'Shop@Shop.example.jp', relayhost: '[relay.example.net]:587', domain: 'shop.example.jp', spf: null },
      // A pattern names no domain: the mail domain's SPF must cover it. `if` lines, $1 and DUNNO are no relay.
      { map: 'regexp:/etc/postfix/sender_relay.re', sender: '/^news@/', relayhost: '[mail.example.org]:465', domain: 'example.jp', spf: null },
    ]);
    expect(found?.maps.map((m) => m.read)).toEqual(['read', 'read', 'unsupported', 'unreadable']);
  });

  it('is null when the setting is unset', () => {
    expect(senderDependentRelays(null, [], 'example.jp')).toBeNull();
  });

  it('a table not read is a "cannot tell" check of its own; a relay without a domain too', () => {
    const checks = senderDependentChecks({
      maps: [{ map: 'mysql:/etc/postfix/relay.cf', read: 'unsupported' }],
      relays: [{ map: 'hash:/etc/postfix/r', sender: '/^x/', relayhost: '[relay.example.net]:587', domain: null, spf: null }],
    });
    expect(checks.map((c) => [c.id, c.status, c.found?.key])).toEqual([
      ['relay.map:mysql:/etc/postfix/relay.cf', 'unknown', 'outRelayMapUnsupported'],
      ['relay.spf:/^x/', 'unknown', 'outRelaySenderNoDomain'],
    ]);
  });

  it('a relay\'s SPF check names its senders', () => {
    const check = relaySpfCheck(judgeRelaySpf({ ...base, includeListed: true }), '@example.jp');
    expect(check).toMatchObject({ id: 'relay.spf:@example.jp', status: 'pass', title: { key: 'outRelaySenderSpfTitle', params: { sender: '@example.jp', relay: 'smtp.sendgrid.net', domain: 'example.jp' } } });
  });
});
