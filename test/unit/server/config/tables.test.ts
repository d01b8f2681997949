import { describe, expect, it } from 'vitest';
import { editOpendkimConf, parseDataset, readOpendkimConf } from '../../../../main/server/config/opendkimConf.js';
import { milterForSocket, parseOpendkimSocket, readChroot } from '../../../../main/server/config/socket.js';
import { editAliases, readAliases } from '../../../../main/server/config/aliases.js';
import { editHostList, editKeyTable, editSigningTable, peersFromMynetworks } from '../../../../main/server/config/tables.js';

describe('opendkim.conf edits', () => {
  const conf = '# comment\nSyslog\t\t\tyes\nSocket\t\t\tlocal:/run/opendkim/opendkim.sock\nDomain example.test # inline\n';
  it('replaces in place keeping the column, comments out removals, appends the rest under one heading', () => {
    const out = editOpendkimConf(conf, [
      { name: 'Socket', value: 'inet:8891@127.0.0.1' },
      { name: 'Domain', value: null },
      { name: 'KeyTable', value: '/etc/opendkim/key.table' },
    ]);
    expect(out).toBe('# comment\nSyslog\t\t\tyes\nSocket\t\t\tinet:8891@127.0.0.1\n#Domain example.test # inline\n\n# Added by Homemail\nKeyTable\t\t/etc/opendkim/key.table\n');
    expect(readOpendkimConf(out).get('keytable')).toBe('/etc/opendkim/key.table');
    expect(readOpendkimConf(conf).get('domain')).toBe('example.test');
  });
  it('is a no-op for values already set, and reads datasets', () => {
    expect(editOpendkimConf(conf, [{ name: 'syslog', value: 'yes' }])).toBe(conf);
    expect(parseDataset('refile:/etc/x')).toEqual({ type: 'refile', path: '/etc/x' });
    expect(parseDataset('/etc/y')).toEqual({ type: 'file', path: '/etc/y' });
    expect(parseDataset('db:/etc/z.db').type).toBe('other');
  });
});

describe('sockets and the Postfix chroot', () => {
  const chrooted = readChroot('smtp      inet  n       -       y       -       -       smtpd\ncleanup   unix  n       -       y       -       0       cleanup\n', '/var/spool/postfix');
  it('reads the chroot column of smtpd and cleanup', () => {
    expect(chrooted).toEqual({ smtpd: true, cleanup: true, queueDirectory: '/var/spool/postfix' });
    expect(readChroot('smtp inet n - - - - smtpd\n', '/q').smtpd).toBe(false);
    expect(readChroot('smtp inet n - - - - smtpd\n', '/q', 2).smtpd).toBe(true);
  });
  it('maps sockets to milter addresses a chrooted Postfix can reach, or null', () => {
    expect(milterForSocket(parseOpendkimSocket('inet:8892@localhost')!, chrooted)).toBe('inet:127.0.0.1:8892');
    expect(milterForSocket(parseOpendkimSocket('local:/run/opendkim/opendkim.sock')!, chrooted)).toBeNull();
    expect(milterForSocket(parseOpendkimSocket('local:/var/spool/postfix/opendkim/opendkim.sock')!, chrooted)).toBe('unix:/opendkim/opendkim.sock');
    expect(milterForSocket(parseOpendkimSocket('/run/x.sock')!, { smtpd: false, cleanup: false, queueDirectory: '/q' })).toBe('unix:/run/x.sock');
    expect(parseOpendkimSocket('inet:99999')).toBeNull();
  });
});

describe('tables and aliases', () => {
  it('adds key table entries once and corrects a wrong one', () => {
    const entry = { name: 's._domainkey.a.test', domain: 'a.test', selector: 's', keyPath: '/k/s.private' };
    const once = editKeyTable('# keys\nold._domainkey.b.test b.test:old:/k/old.private\n', [entry]);
    expect(editKeyTable(once, [entry])).toBe(once);
    expect(editKeyTable('s._domainkey.a.test a.test:s:/wrong\n', [entry])).toBe('s._domainkey.a.test a.test:s:/k/s.private\n');
  });
  it('replaces a domain\'s signing entries where they stood and keeps the others', () => {
    const table = '*@b.test b\n*@a.test old._domainkey.a.test\n*@c.test c\n';
    expect(editSigningTable(table, 'a.test', ['s1._domainkey.a.test', 's2._domainkey.a.test'], true)).toBe('*@b.test b\n*@a.test s1._domainkey.a.test\n*@a.test s2._domainkey.a.test\n*@c.test c\n');
    expect(editSigningTable('', 'a.test', ['k'], false)).toBe('a.test k\n');
  });
  it('adds missing peers only, from mynetworks without brackets or lookup tables', () => {
    expect(peersFromMynetworks('127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 hash:/etc/x $foo 192.168.1.0/24')).toEqual([
      '127.0.0.1', '::1', 'localhost', '127.0.0.0/8', '::ffff:127.0.0.0/104', '::1/128', '192.168.1.0/24',
    ]);
    expect(editHostList('127.0.0.1\n', ['127.0.0.1', '::1'])).toBe('127.0.0.1\n::1\n');
  });
  it('never changes an existing alias and reads continuation lines', () => {
    const text = 'postmaster: root\nreports: alice,\n  bob\n';
    expect(readAliases(text).get('reports')).toEqual(['alice', 'bob']);
    expect(editAliases(text, [{ name: 'reports', target: 'admin' }, { name: 'dmarc', target: 'admin' }])).toBe(`${text}dmarc: admin\n`);
  });
});
