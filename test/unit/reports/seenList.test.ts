// The seen list the watch hands the read script on standard input, and the keys the script
// names back: hex on the wire, every byte of a Message-ID kept through the store.
import { describe, expect, it } from 'vitest';
import { decodeMessageKey, encodeSeenList } from '../../../main/services/reports/seenList.js';

describe('the seen list', () => {
  it('is one SIZE HEX line per message: nothing the shell or awk could read as code', () => {
    const list = encodeSeenList([
      { messageId: '<a@x>', size: 10 },
      { messageId: "<$(reboot)';`id`\n@x>", size: 2048 },
    ]);
    expect(list).toBe(`10 3c6140783e\n2048 ${Buffer.from("<$(reboot)';`id`\n@x>").toString('hex')}\n`);
    expect(list).toMatch(/^(?:[0-9]+ [0-9a-f]+\n)+$/);
  });

  it('leaves out what cannot be named (those messages are read again, never lost)', () => {
    expect(encodeSeenList([{ messageId: '', size: 1 }, { messageId: '<a@x>', size: -1 }, { messageId: '<a@x>', size: 1.5 }, { messageId: '<a@x>', size: Number.NaN }])).toBe('');
  });

  it('round-trips every byte, as the script writes keys', () => {
    const bytes = Buffer.from([0x3c, 0xe3, 0x81, 0x82, 0xff, 0x01, 0x3e]);
    const key = decodeMessageKey('77', bytes.toString('hex'));
    expect(key?.size).toBe(77);
    expect(encodeSeenList(key === null ? [] : [key])).toBe(`77 ${bytes.toString('hex')}\n`);
  });

  it('refuses keys the script would not write', () => {
    expect(decodeMessageKey('12', '3c6')).toBeNull();
    expect(decodeMessageKey('12', '')).toBeNull();
    expect(decodeMessageKey('-1', '3c3e')).toBeNull();
    expect(decodeMessageKey('1e3', '3c3e')).toBeNull();
    expect(decodeMessageKey('12', '3C3E')).toBeNull();
    expect(decodeMessageKey('99999999999999999', '3c3e')).toBeNull();
  });
});
