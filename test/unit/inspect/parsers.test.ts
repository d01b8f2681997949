import { describe, expect, it } from 'vitest';
import { readAliasEntries } from '../../../main/server/config/aliases.js';
import { mainCfSettings, splitPostfixList } from '../../../main/server/config/mainCf.js';
import { parseMasterCf, smtpdChroot } from '../../../main/server/config/masterCf.js';
import { opendkimSettingsAsWritten } from '../../../main/server/config/opendkimConf.js';
import { readKeyTableEntries } from '../../../main/server/config/tables.js';
import { buildInspection, keySafetyProblems } from '../../../main/services/inspect/buildInspection.js';
import { milterMatchesSocket, socketAsMilter } from '../../../main/services/inspect/opendkimConfig.js';
import { rblEntries } from '../../../main/services/inspect/postfixConfig.js';
import { parseProbeOutput, type ProbeFields } from '../../../main/services/inspect/probeOutput.js';
import { parseOsRelease } from '../../../main/server/platform/osRelease.js';
import { parseAddresses } from '../../../main/services/inspect/systemFacts.js';

const masterCf = `# comment
smtp      inet  n       -       y       -       -       smtpd
submission inet n       -       y       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_milters=inet:127.0.0.1:11332
  -o { content_filter = amavis:[127.0.0.1]:10024 }
127.0.0.1:10025 inet n - n - - smtpd
  -o content_filter=
pickup    unix  n       -       y       60      1       pickup
`;

describe('Postfix parsers', () => {
  it('reads postconf -n, keeping empty values', () => {
    expect(mainCfSettings('myhostname = mail.example.test\nnon_smtpd_milters =\nmydestination = $myhostname, localhost\n')).toEqual({
      myhostname: 'mail.example.test',
      non_smtpd_milters: '',
      mydestination: '$myhostname, localhost',
    });
  });

  it('reads master.cf services, continuation lines and both -o forms', () => {
    const services = parseMasterCf(masterCf);
    expect(services.map((s) => s.service)).toEqual(['smtp', 'submission', '127.0.0.1:10025', 'pickup']);
    expect(services[1]?.overrides).toEqual([
      { name: 'syslog_name', value: 'postfix/submission' },
      { name: 'smtpd_milters', value: 'inet:127.0.0.1:11332' },
      { name: 'content_filter', value: 'amavis:[127.0.0.1]:10024' },
    ]);
    expect(smtpdChroot(services)).toBe(true);
    expect(smtpdChroot(parseMasterCf('smtp inet n - n - - smtpd\n'))).toBe(false);
    expect(smtpdChroot(parseMasterCf('pickup unix n - y 60 1 pickup\n'))).toBeNull();
  });

  it('lists RBL entries from restrictions and postscreen', () => {
    expect(
      rblEntries({
        smtpd_recipient_restrictions: 'permit_mynetworks, reject_rbl_client all.rbl.jp, reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], reject_rhsbl_sender dbl.spamhaus.org',
        postscreen_dnsbl_sites: 'bl.spamcop.net*2',
        mydestination: 'reject_rbl_client not.a.restriction',
      }),
    ).toEqual(['all.rbl.jp', 'zen.spamhaus.org=127.0.0.[2..11]', 'dbl.spamhaus.org', 'bl.spamcop.net*2']);
  });

  it('keeps Postfix 3 milter groups whole', () => {
    expect(splitPostfixList('inet:127.0.0.1:8891, { unix:/run/x.sock, default_action=accept } local:/y')).toEqual([
      'inet:127.0.0.1:8891',
      '{ unix:/run/x.sock, default_action=accept }',
      'local:/y',
    ]);
  });
});

describe('OpenDKIM parsers', () => {
  it('reads opendkim.conf case-insensitively, dropping comments', () => {
    const settings = opendkimSettingsAsWritten('Domain example.jp # ours\n#KeyFile /x\nkeyfile /etc/dkimkeys/postfix.private\nSocket inet:8892@localhost\n');
    expect(settings).toEqual({ Domain: 'example.jp', keyfile: '/etc/dkimkeys/postfix.private', Socket: 'inet:8892@localhost' });
  });

  it('reads KeyTable entries, with the signing algorithm apart from the path', () => {
    expect(readKeyTableEntries('s._domainkey.a.jp a.jp:s:/k/s.private:ed25519-sha256\n')).toEqual([
      { name: 's._domainkey.a.jp', domain: 'a.jp', selector: 's', keyPath: '/k/s.private', algorithm: 'ed25519-sha256' },
    ]);
    expect(readKeyTableEntries('# c\npostfix._domainkey.example.jp example.jp:postfix:/etc/dkimkeys/example.jp/postfix.private\nbad line\n')).toEqual([
      { name: 'postfix._domainkey.example.jp', domain: 'example.jp', selector: 'postfix', keyPath: '/etc/dkimkeys/example.jp/postfix.private' },
    ]);
  });

  it('names sockets as Postfix does and matches loopback spellings', () => {
    expect(socketAsMilter('inet:8892@localhost')).toBe('inet:localhost:8892');
    expect(socketAsMilter('inet:8891')).toBe('inet:127.0.0.1:8891');
    expect(socketAsMilter('local:/run/opendkim/opendkim.sock')).toBe('unix:/run/opendkim/opendkim.sock');
    expect(milterMatchesSocket('inet:127.0.0.1:8892', 'inet:localhost:8892')).toBe(true);
    expect(milterMatchesSocket('inet:127.0.0.1:8891', 'inet:localhost:8892')).toBe(false);
    expect(milterMatchesSocket('unix:opendkim/opendkim.sock', 'unix:/var/spool/postfix/opendkim/opendkim.sock')).toBe(true);
  });

  it('says what RequireSafeKeys would refuse', () => {
    expect(keySafetyProblems({ owner: 'opendkim', group: 'opendkim', mode: '600' }, 'opendkim')).toEqual([]);
    expect(keySafetyProblems({ owner: 'root', group: 'root', mode: '644' }, 'opendkim').map((p) => p.text)).toEqual(['readable or writable by every user']);
    expect(keySafetyProblems({ owner: 'admin', group: 'users', mode: '660' }, 'opendkim').map((p) => p.text)).toEqual(['writable by the group users', 'owned by admin, not root or opendkim']);
  });
});

describe('system facts', () => {
  it('reads os-release', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID_LIKE="ubuntu debian"\n')).toEqual({
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      idLike: ['ubuntu', 'debian'],
    });
  });

  it('reads ip -o addr and falls back to hostname -I', () => {
    const ip = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n4: eth0    inet 203.0.113.5/24 brd x\n4: eth0    inet6 fe80::1/64 scope link\n';
    expect(parseAddresses(ip, '').map((a) => [a.interface, a.address, a.prefixLength, a.scope])).toEqual([
      ['lo', '127.0.0.1', 8, 'loopback'],
      ['eth0', '203.0.113.5', 24, 'global'],
      ['eth0', 'fe80::1', 64, 'link-local'],
    ]);
    expect(parseAddresses('', '192.168.1.2 fd00::2 ').map((a) => a.scope)).toEqual(['private', 'private']);
  });

  it('reads /etc/aliases with continuations', () => {
    expect(readAliasEntries('# x\npostmaster: root\ndmarc-reports: admin,\n  archive\n"quoted name": |/bin/true\n')).toEqual([
      { name: 'postmaster', key: 'postmaster', targets: ['root'] },
      { name: 'dmarc-reports', key: 'dmarc-reports', targets: ['admin', 'archive'] },
      { name: 'quoted name', key: 'quoted name', targets: ['|/bin/true'] },
    ]);
  });
});

function probeJson(fields: Partial<Record<keyof ProbeFields, string>>, extra: Record<string, string> = {}): string {
  const encoded = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Buffer.from(v ?? '').toString('base64')]));
  return JSON.stringify({ probe: '1', uid: Buffer.from('0').toString('base64'), ...encoded, ...extra });
}

describe('probe output', () => {
  it('refuses non-JSON, unknown fields and non-base64 values', () => {
    expect(() => parseProbeOutput('Welcome to Ubuntu!\n{}')).toThrow(expect.objectContaining({ code: 'command-failed' }));
    expect(() => parseProbeOutput(probeJson({}, { surprise: 'eA==' }))).toThrow(/schema/);
    expect(() => parseProbeOutput(probeJson({}, { hostname: 'not base64!' }))).toThrow(/schema/);
    expect(() => parseProbeOutput(JSON.stringify({ probe: '2', uid: 'MA==' }))).toThrow(/schema/);
  });

  it('tolerates missing tools (absent fields) and decodes hex fallbacks', () => {
    const fields = parseProbeOutput(JSON.stringify({ probe: '1', uid: 'hex:30', postfix: Buffer.from('no').toString('base64') }));
    expect(fields.uid).toBe('0');
    expect(fields.postfix).toBe(false);
    const inspection = buildInspection(fields, { target: { user: 'root', host: 'h', port: 22 }, privilege: 'root' });
    expect(inspection.postfix).toBeNull();
    expect(inspection.opendkim.installed).toBe(false);
    expect(inspection.findings.map((f) => f.key)).toEqual(expect.arrayContaining(['postfixMissing', 'opendkimMissing']));
  });

  it('builds the picture of the manual procedure\'s server: one domain on inet:8892, sendmail unsigned, 1024-bit key', () => {
    const fields = parseProbeOutput(
      probeJson({
        postfix: 'yes',
        postfixRunning: 'yes',
        postconfN: 'smtpd_milters = inet:127.0.0.1:8892\nsmtpd_recipient_restrictions = reject_rbl_client all.rbl.jp\n',
        postconfEffective: 'myhostname = mail.example.jp\nmydomain = example.jp\nmyorigin = $mydomain\nmydestination = $myhostname, localhost\nsmtpd_milters = inet:127.0.0.1:8892\nnon_smtpd_milters =\nmilter_default_action = tempfail\nmail_version = 3.7.11\nqueue_directory = /var/spool/postfix\n',
        masterCf: 'smtp inet n - y - - smtpd\n',
        newaliases: 'yes',
        postmap: 'yes',
        opendkim: 'yes',
        opendkimRunning: 'yes',
        opendkimVersion: 'opendkim: OpenDKIM Filter v2.11.0\n\tSupported signing algorithms:\n\t\trsa-sha1\n\t\trsa-sha256\n\tSupported canonicalization algorithms:\n',
        opendkimConf: 'Domain example.jp\nKeyFile /etc/dkimkeys/postfix.private\nSelector postfix\nSocket inet:8892@localhost\nUserID opendkim\n',
        keys: '/etc/dkimkeys/postfix.private\topendkim opendkim 600\tPrivate-Key: (1024 bit, 2 primes)\n',
        aliases: 'postmaster: root\n',
      }),
    );
    const inspection = buildInspection(fields, { target: { user: 'admin', host: 'mail.example.jp', port: 22 }, privilege: 'sudo-password' });
    expect(inspection.opendkim).toMatchObject({ mode: 'single-key', domains: ['example.jp'], socketAsMilter: 'inet:localhost:8892', canSignEd25519: false, version: '2.11.0' });
    expect(inspection.opendkim.keys).toEqual([
      { path: '/etc/dkimkeys/postfix.private', exists: true, owner: 'opendkim', group: 'opendkim', mode: '600', keyType: 'rsa', bits: 1024, domain: 'example.jp', selector: 'postfix', safetyProblems: [], safety: [] },
    ]);
    expect(inspection.postfix).toMatchObject({ version: '3.7.11', smtpdChroot: true, rblClients: ['all.rbl.jp'], milterDefaultAction: 'tempfail' });
    const byKey = Object.fromEntries(inspection.findings.map((f) => [f.key, f]));
    expect(byKey.opendkimSingleKey?.text).toBe('OpenDKIM is configured for one domain (example.jp, selector postfix) on inet:localhost:8892.');
    expect(Object.keys(byKey)).toEqual(expect.arrayContaining(['sendmailUnsigned', 'keyWeak', 'milterTempfail', 'rblList', 'ed25519Unsupported']));
    expect(Object.keys(byKey)).not.toContain('opendkimNotUsed');
    expect(Object.keys(byKey)).not.toContain('chrootSocket');
  });

  it('reads non_smtpd_milters = $smtpd_milters as the milters it names: sendmail mail is signed, no "$smtpd_milters" milter', () => {
    const fields = parseProbeOutput(
      probeJson({
        postfix: 'yes',
        postfixRunning: 'yes',
        postconfN: 'smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\nmilter_default_action = accept\n',
        postconfEffective: 'myhostname = mail.example.jp\nmydomain = example.jp\nmydestination = $myhostname, localhost\nsmtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\nmilter_default_action = accept\nmail_version = 3.7.11\n',
        masterCf: 'smtp inet n - y - - smtpd\n',
        opendkim: 'yes',
        opendkimRunning: 'yes',
        opendkimConf: 'KeyTable refile:/etc/opendkim/KeyTable\nSigningTable refile:/etc/opendkim/SigningTable\nSocket inet:8891@localhost\n',
      }),
    );
    const inspection = buildInspection(fields, { target: { user: 'admin', host: 'mail.example.jp', port: 22 }, privilege: 'sudo-password' });
    expect(inspection.postfix?.milters.map((m) => [m.source, m.value])).toEqual([
      ['smtpd_milters', 'inet:localhost:8891'],
      ['non_smtpd_milters', 'inet:localhost:8891'],
    ]);
    const keys = inspection.findings.map((f) => f.key);
    expect(keys).not.toContain('sendmailUnsigned');
    expect(keys).not.toContain('otherMilters');
  });

  it('calls a key file no configuration names unused (info), not a weak key to fix', () => {
    // After Homemail moved the manual procedure's 1024-bit key to a KeyTable with a new key, the old file stays.
    const fields = parseProbeOutput(
      probeJson({
        opendkim: 'yes',
        opendkimRunning: 'yes',
        opendkimConf: 'KeyTable /etc/opendkim/key.table\nSigningTable refile:/etc/opendkim/signing.table\nSocket inet:8892@localhost\nUserID opendkim\n',
        keyTable: '202611._domainkey.example.jp example.jp:202611:/etc/dkimkeys/202611.private\n',
        keys: '/etc/dkimkeys/202611.private\topendkim opendkim 600\tPrivate-Key: (2048 bit, 2 primes)\n/etc/dkimkeys/postfix.private\topendkim opendkim 644\tPrivate-Key: (1024 bit, 2 primes)\n',
      }),
    );
    const inspection = buildInspection(fields, { target: { user: 'admin', host: 'mail.example.jp', port: 22 }, privilege: 'sudo-password' });
    const keys = inspection.findings.filter((f) => f.key.startsWith('key')).map((f) => [f.key, f.severity, f.params['path']]);
    expect(keys).toEqual([['keyUnused', 'info', '/etc/dkimkeys/postfix.private']]);
  });
});
