// The mailbox as the read script streams it, cut into chunks anywhere: the same messages as
// when it arrives whole, mbox and Maildir alike, and reading only new mail, the same keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailboxStream, splitMbox } from '../../../main/services/reports/mailboxStream.js';

const tok = 'HOMEMAIL-0123456789abcdef01234567';
const mbox = ['From a@b Mon Mar  3 10:00:00 2025', 'Subject: one', '', '>From the body', 'x', '', 'From c@d Mon Mar  3 11:00:00 2025', 'Subject: two', '', 'y', ''].join('\n');
const output = [
  `${tok} total 999`,
  `${tok} mbox ${mbox.length} /var/mail/admin`,
  mbox,
  `${tok} maildir /home/admin/Maildir/cur/1.host,S=20:2,S`,
  'Subject: three',
  '',
  'z',
  `${tok} maildir /home/admin/Maildir/new/2.host`,
  'Subject: four',
  '',
  'From inside a maildir message is not a separator',
  `${tok} logs`,
  'log line',
  `${tok} end`,
  '',
].join('\n');

function run(chunks: string[]): { messages: string[]; total: number | null } {
  const messages: string[] = [];
  const stream = new MailboxStream(tok, 1_000_000, (m) => messages.push(...m));
  for (const chunk of chunks) stream.push(chunk);
  stream.end();
  return { messages, total: stream.total };
}

describe('MailboxStream', () => {
  it('splits the whole output into messages, From-quoting undone', () => {
    const { messages, total } = run([output]);
    expect(total).toBe(999);
    expect(messages).toEqual([
      'Subject: one\n\nFrom the body\nx\n',
      'Subject: two\n\ny\n',
      'Subject: three\n\nz',
      'Subject: four\n\nFrom inside a maildir message is not a separator',
    ]);
  });

  it('gives the same messages however the chunks fall', () => {
    const whole = run([output]).messages;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: output.length - 1 }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => output.slice(start, points[i] ?? output.length));
        expect(run(chunks).messages).toEqual(whole);
      }),
    );
  });

  it('reading only new mail: each message with its key, those already read only counted, however the chunks fall', () => {
    const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
    const newOutput = [
      `${tok} total 999`,
      `${tok} seen 120 ${hex('<old@x>')}`,
      `${tok} message 30 ${hex('<new@x>')}`,
      'Subject: new',
      '',
      'body',
      `${tok} message 12 not-hex`,
      'Subject: odd key',
      `${tok} seen 99 ${hex('<older@x>')}`,
      `${tok} logs`,
      `${tok} end`,
      '',
    ].join('\n');
    const read = (chunks: string[]) => {
      const messages: string[] = [];
      const stream = new MailboxStream(tok, 1_000_000, (m) => messages.push(...m));
      for (const chunk of chunks) stream.push(chunk);
      stream.end();
      return { messages, keys: stream.newKeys, alreadyRead: stream.alreadyRead };
    };
    const whole = read([newOutput]);
    // The message whose key is garbled is still read, only not remembered.
    expect(whole).toEqual({ messages: ['Subject: new\n\nbody', 'Subject: odd key'], keys: [{ messageId: '<new@x>', size: 30 }], alreadyRead: 2 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: newOutput.length - 1 }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        expect(read([0, ...points].map((start, i) => newOutput.slice(start, points[i] ?? newOutput.length)))).toEqual(whole);
      }),
    );
  });

  it('drops the text before the first separator of a capped mbox', () => {
    expect(splitMbox('tail of a cut message\nFrom a@b x\nSubject: s\n\nbody\n')).toEqual(['Subject: s\n\nbody']);
  });
});
