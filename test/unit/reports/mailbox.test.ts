import { describe, expect, it } from 'vitest';
import { readAliases } from '../../../main/server/config/aliases.js';
import { dmarcRecordsFromDig, guessReportAliases, mailboxPaths, parsePasswd, readMailSettings, resolveLocalPart, ruaAddresses } from '../../../main/services/reports/mailbox.js';
import { ownNetworksFrom, splitMbox } from '../../../main/services/reports/remote.js';

const settings = readMailSettings(['mail.example.test', 'example.test', '$myhostname, $mydomain, localhost.localdomain, localhost', '', '', '', '+']);
const aliases = readAliases(`# See man 5 aliases
postmaster:    root
report-a: root
dmarc: reports,
  "|/usr/bin/archive --to x,y"
reports: alice@example.test, bob@elsewhere.example
alice: \\alice, /var/mail/alice-copy
loop1: loop2
loop2: loop1
`);
const passwd = parsePasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n');

describe('report mailbox discovery', () => {
  it('expands mydestination', () => {
    expect(settings.mydestination).toEqual(['mail.example.test', 'example.test', 'localhost.localdomain', 'localhost']);
  });

  it('follows aliases to local users, noting pipes and remote targets', () => {
    const r = resolveLocalPart('DMARC', aliases, settings);
    expect(r.users).toEqual(['alice']);
    expect(r.notes.map((n) => n.text).join('\n')).toMatch(/piped to a command/);
    expect(r.notes.map((n) => n.text).join('\n')).toMatch(/forwarded to bob@elsewhere.example/);
    expect(r.notes.map((n) => n.text).join('\n')).toMatch(/alice-copy/);
    expect(resolveLocalPart('report-a', aliases, settings).users).toEqual(['root']);
    expect(resolveLocalPart('dmarc+google', aliases, settings).users).toEqual(['alice']);
    expect(resolveLocalPart('loop1', aliases, settings).users.length).toBeGreaterThan(0);
  });

  it('finds the mbox or Maildir of a user', () => {
    expect(mailboxPaths('alice', passwd, settings).paths).toEqual([{ path: '/var/mail/alice', format: 'mbox' }]);
    expect(mailboxPaths('alice', passwd, { ...settings, homeMailbox: 'Maildir/' }).paths).toEqual([{ path: '/home/alice/Maildir', format: 'maildir' }]);
    expect(mailboxPaths('nobody', passwd, settings).notes[0]?.text).toMatch(/not a user/);
  });

  it('reads rua addresses and DMARC records from dig output', () => {
    const records = dmarcRecordsFromDig('"v=DMARC1; p=none; " "rua=mailto:dmarc@example.test!10m,mailto:x%40y@remote.example"\n"google-site-verification=abc"\n');
    expect(records).toEqual(['v=DMARC1; p=none; rua=mailto:dmarc@example.test!10m,mailto:x%40y@remote.example']);
    expect(ruaAddresses(records[0] ?? '')).toEqual(['dmarc@example.test']);
    expect(ruaAddresses('v=DMARC1; p=none; rua=mailto:A@Example.test')).toEqual(['a@example.test']);
    expect(guessReportAliases(aliases)).toEqual(['report-a', 'dmarc']);
  });

  it('collects own networks from SPF and the server', () => {
    const nets = ownNetworksFrom('"v=spf1 ip4:203.0.113.0/28 ip6:2001:db8::/32 mx -all"\n"other"', ['198.51.100.1'], ['192.0.2.5', '']);
    expect(nets.map((n) => (n.prefix === undefined ? n.address : `${n.address}/${n.prefix}`))).toEqual(['192.0.2.5', '203.0.113.0/28', '2001:db8::/32', '198.51.100.1']);
    expect(ownNetworksFrom('"v=spf1 -all"', ['198.51.100.1'], []).length).toBe(0);
  });

  it('splits an mbox, dropping a message cut by the cap', () => {
    const mbox = 'tail of a cut message\nFrom a@b Mon Mar  3 10:00:00 2025\nSubject: one\n\n>From the body\n\nFrom c@d Mon Mar  3 11:00:00 2025\nSubject: two\n\nbody\n';
    expect(splitMbox(mbox)).toEqual(['Subject: one\n\nFrom the body\n', 'Subject: two\n\nbody']);
  });
});
