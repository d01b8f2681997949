// Postfix's logical lines and lookup table sources; the same rules are checked against the
// real postmap (hash: and texthash:) in test/host/config-files.test.ts.
import { describe, expect, it } from 'vitest';
import { readLogicalLines } from '../../../../main/server/config/logicalLines.js';
import { editLookupTable, lookupTableComment, lookupTableLine, lookupTableMap, readLookupTable } from '../../../../main/server/config/lookupTable.js';
import { LOOKUP_TABLE_ENTRIES, LOOKUP_TABLE_SOURCE } from '../../../fixtures/postfix/lookupTableSource.js';

describe('logical lines, as Postfix reads them (readllines)', () => {
  it('joins continuation lines as they stand, across comments and blank lines, and drops text before any logical line', () => {
    const text = ['  orphan', '\tand its continuation', 'a 1', '# comment', '', '  \t', '  more', 'b#x 2 # kept', '   # indented comment', 'c 3\r', ''].join('\n');
    expect(readLogicalLines(text).map((l) => [l.text, l.line, l.indexes])).toEqual([
      ['a 1  more', 3, [2, 6]],
      ['b#x 2 # kept', 8, [7]],
      ['c 3', 10, [9]],
    ]);
  });
});

describe('lookup table sources, as postmap reads them', () => {
  const source = LOOKUP_TABLE_SOURCE;
  it('splits key and value at the first whitespace, folds keys to lower case, keeps the first entry of a key', () => {
    expect(readLookupTable(source).map((e) => [e.key, e.value])).toEqual(LOOKUP_TABLE_ENTRIES);
    expect(readLookupTable(source).map((e) => [e.written, e.line])).toEqual([['Alice@Example.COM', 3], ['multi', 5], ['hash#key', 9], ['crlf', 10], ['[smtp.example.net]:587', 11]]);
    expect(lookupTableMap(source).get('alice@example.com')).toBe('first value');
    expect(lookupTableMap(source).has('novalue')).toBe(false);
  });
  it('writes one line per entry and refuses what would not read back as that entry', () => {
    expect(lookupTableLine('[smtp.example.net]:587', 'user:pass word')).toBe('[smtp.example.net]:587 user:pass word');
    for (const [key, value] of [['', 'x'], ['a b', 'x'], ['#a', 'x'], ['a', ''], ['a', 'x\ny'], ['a', ' x'], ['a', 'x\t'], ['a\tb', 'x']]) {
      expect(() => lookupTableLine(key as string, value as string)).toThrow(/cannot hold/);
    }
    expect(lookupTableComment('known senders')).toBe('# known senders');
    expect(() => lookupTableComment('a\nb OK')).toThrow(/span lines/);
    const written = [lookupTableComment('x'), lookupTableLine('k1', 'v 1'), lookupTableLine('K2', 'v2')].join('\n');
    expect(lookupTableMap(written)).toEqual(new Map([['k1', 'v 1'], ['k2', 'v2']]));
  });
  it('edits the entry postmap uses in place (continuations and later duplicates go), appends new keys, keeps comments', () => {
    const edited = editLookupTable(source, [
      { key: 'ALICE@example.com', value: 'new value' },
      { key: 'multi', value: null },
      { key: 'added', value: 'yes' },
    ]);
    const lines = source.split('\n');
    // line 3 becomes the new entry; line 4 (its duplicate), lines 5 and 7 (multi and its continuation) go; the CRLF line stays as written
    const expected = [...lines.slice(0, 2), 'ALICE@example.com new value', lines[5], ...lines.slice(7, 11), 'added yes', ''].join('\n');
    expect(edited).toBe(expected);
    expect(lookupTableMap(edited)).toEqual(new Map([['alice@example.com', 'new value'], ['hash#key', 'value # not a comment'], ['crlf', 'value'], ['[smtp.example.net]:587', 'user:Pa55 word'], ['added', 'yes']]));
    expect(editLookupTable('', [{ key: 'a', value: 'b' }])).toBe('a b\n');
    expect(editLookupTable('a b\n', [{ key: 'a', value: null }])).toBe('');
  });
});
