// One reader per server file kind, each with the rules of the program that reads the file.
// The rules themselves are checked against the real programs in test/host/config-files.test.ts.
import { describe, expect, it } from 'vitest';
import { editAliases, readAliasEntries, readAliases } from '../../../../main/server/config/aliases.js';
import { mainCfSettings, readMainCf, splitPostfixList } from '../../../../main/server/config/mainCf.js';
import { parseMasterCf } from '../../../../main/server/config/masterCf.js';
import { editOpendkimConf, opendkimSettingsAsWritten, readOpendkimConf, repeatedOpendkimSettings } from '../../../../main/server/config/opendkimConf.js';
import { readKeyTable, readKeyTableEntries } from '../../../../main/server/config/tables.js';

describe('opendkim.conf, as OpenDKIM reads it', () => {
  it('cuts a line at any #, even without a space before it', () => {
    const conf = readOpendkimConf('Socket inet:8891@localhost#old one\nMode sv # signing and verifying\n');
    expect(conf.get('socket')).toBe('inet:8891@localhost');
    expect(conf.get('mode')).toBe('sv');
  });
  it('takes the LAST line of a repeated setting, whatever its case', () => {
    const text = 'Socket inet:8891@localhost\nsocket inet:8892@localhost\n';
    expect(readOpendkimConf(text).get('socket')).toBe('inet:8892@localhost');
    expect(opendkimSettingsAsWritten(text)).toEqual({ Socket: 'inet:8892@localhost' });
    expect([...repeatedOpendkimSettings(text)]).toEqual(['socket']);
  });
  it('edits the line OpenDKIM reads and comments out the earlier ones', () => {
    const text = 'Socket\tinet:8891@localhost\nSyslog\tyes\nSocket\tinet:8892@localhost\n';
    expect(editOpendkimConf(text, [{ name: 'Socket', value: 'inet:8892@localhost' }])).toBe('#Socket\tinet:8891@localhost\nSyslog\tyes\nSocket\tinet:8892@localhost\n');
    const moved = editOpendkimConf(text, [{ name: 'socket', value: 'inet:8893@127.0.0.1' }]);
    expect(readOpendkimConf(moved).get('socket')).toBe('inet:8893@127.0.0.1');
    expect(repeatedOpendkimSettings(moved).size).toBe(0);
  });
});

describe('/etc/aliases, as Postfix reads it', () => {
  const text = ['# reports', 'DMARC: alice', '  # a comment does not end the entry', '  , bob', 'dmarc: carol', '"Odd Name": |/bin/true', 'root: admin'].join('\n');
  it('folds names to lower case and keeps the first definition of a name', () => {
    expect(readAliases(text).get('dmarc')).toEqual(['alice', 'bob']);
    expect(readAliasEntries(text).map((e) => e.name)).toEqual(['DMARC', 'Odd Name', 'root']);
    expect(readAliases(text).get('odd name')).toEqual(['|/bin/true']);
  });
  it('adds a name only when no spelling of it exists', () => {
    expect(editAliases(text, [{ name: 'dmarc', target: 'x' }])).toBe(`${text}\n`);
    expect(editAliases('root: admin\n', [{ name: 'dmarc', target: 'x' }])).toBe('root: admin\ndmarc: x\n');
  });
});

describe('Postfix main.cf, master.cf and lists', () => {
  it('reads main.cf and postconf output with one reader: continuation lines, last assignment wins', () => {
    expect(readMainCf('a = 1\n# c\n  2\na = 3\n').get('a')).toBe('3');
    expect(readMainCf('a = 1\n# c\n  2\n').get('a')).toBe('1 2');
    expect(mainCfSettings('mydestination = $myhostname, localhost\nnon_smtpd_milters =\n')).toEqual({ mydestination: '$myhostname, localhost', non_smtpd_milters: '' });
  });
  it('splits lists once, on commas and whitespace, keeping { } groups whole', () => {
    expect(splitPostfixList('a,b  c,{ d, e = 1 },f')).toEqual(['a', 'b', 'c', '{ d, e = 1 }', 'f']);
  });
  it('joins master.cf continuation lines', () => {
    expect(parseMasterCf('smtp inet n - y - -\n  smtpd\n')).toMatchObject([{ service: 'smtp', chroot: 'y', command: 'smtpd' }]);
  });
});

describe('KeyTable', () => {
  it('uses the first line of a key name and cuts comments anywhere', () => {
    const text = 'k a.test:s:/k/s.private#note\nk a.test:s:/k/other.private\n';
    expect(readKeyTable(text).get('k')).toBe('a.test:s:/k/s.private');
    expect(readKeyTableEntries(text)).toEqual([{ name: 'k', domain: 'a.test', selector: 's', keyPath: '/k/s.private' }]);
  });
});
