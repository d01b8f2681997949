// The read script run by the real sh on local files (no server needed: it only reads files):
// newest mail first within the cap, one awk over the Maildir files, the total announced first;
// reading only new mail, the messages already read are named and not sent.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MailboxStream } from '../../../main/services/reports/mailboxStream.js';
import { reportsReadScript as READ_SCRIPT } from '../../../main/server/scripts/index.js';
import { encodeSeenList, type MessageKey } from '../../../main/services/reports/seenList.js';

const tok = 'HOMEMAIL-aaaaaaaaaaaaaaaaaaaaaaaa';

/** The whole mailbox; with `seenList` (the script's standard input), only new mail. */
function read(specs: string[], cap: number, seenList?: string): { messages: string[]; stream: MailboxStream; out: string } {
  const mode = seenList === undefined ? 'all' : 'new';
  const out = execFileSync('sh', ['-c', READ_SCRIPT, 'homemail-reports', tok, String(cap), mode, ...specs], { encoding: 'utf8', input: seenList ?? '' });
  const messages: string[] = [];
  const stream = new MailboxStream(tok, cap, (m) => messages.push(...m));
  stream.push(out);
  stream.end();
  return { messages, stream, out };
}

describe('the read script', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-read-'));
  const maildir = path.join(dir, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  const names: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const name = path.join(maildir, i % 2 ? 'new' : 'cur', `170000000${i}.M${i}.host,S=30:2,S`);
    writeFileSync(name, `Subject: message ${i}\n\nbody ${i} = with an equals sign\n`);
    utimesSync(name, 1_700_000_000 + i, 1_700_000_000 + i);
    names.push(name);
  }
  const mbox = path.join(dir, 'mbox');
  writeFileSync(mbox, 'From a@b Mon Mar  3 10:00:00 2025\nSubject: m1\n\none\n\nFrom a@b Mon Mar  3 11:00:00 2025\nSubject: m2\n\ntwo\n');

  it('reads every Maildir file and the mbox, announcing the total first', () => {
    const { messages, stream, out } = read([`maildir:${maildir}`, `mbox:${mbox}`], 1_000_000);
    expect(out.startsWith(`${tok} total `)).toBe(true);
    expect(messages.filter((m) => m.startsWith('Subject: message')).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `Subject: message ${i}\n\nbody ${i} = with an equals sign`));
    expect(messages.filter((m) => m.startsWith('Subject: m'))).toHaveLength(7);
    expect(stream.truncated).toBe(false);
    expect(stream.total).toBeGreaterThan(200);
  });

  it('keeps the newest files within the cap and says it left the rest', () => {
    const { messages, stream } = read([`maildir:${maildir}`], 120);
    // 49 bytes each: two fit in 120, newest first.
    expect(messages.map((m) => m.split('\n')[0])).toEqual(['Subject: message 5', 'Subject: message 4']);
    expect(stream.truncated).toBe(true);
  });
});

const readNew = (specs: string[], seen: readonly MessageKey[], cap = 1_000_000, seenList = encodeSeenList(seen)) => read(specs, cap, seenList);

describe('the read script, reading only new mail', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hm-read-new-'));
  const maildir = path.join(dir, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
  const hostileId = `<$(touch ${dir}/pwned)'";\`\\x@example.test>`;
  writeFileSync(path.join(maildir, 'cur', '1.M1.host:2,S'), `Message-ID: ${hostileId}\nSubject: hostile\n\nbody\n`);
  writeFileSync(path.join(maildir, 'new', '2.M2.host'), 'Message-ID:\n  <folded@example.test>\nSubject: folded\n\nbody\n');
  // Newest first: the hostile one, then the folded one.
  utimesSync(path.join(maildir, 'cur', '1.M1.host:2,S'), 1_700_000_002, 1_700_000_002);
  utimesSync(path.join(maildir, 'new', '2.M2.host'), 1_700_000_001, 1_700_000_001);
  const mbox = path.join(dir, 'mbox');
  writeFileSync(
    mbox,
    [
      'From a@b Mon Mar  3 10:00:00 2025',
      'Message-Id: <one@example.test>',
      'Subject: one',
      '',
      '>From the body',
      '',
      'From a@b Mon Mar  3 11:00:00 2025',
      'Received: from x by mail.example.test (Postfix) with ESMTP id 4AB12;',
      '\tMon,  3 Mar 2025 11:00:00 +0000',
      'Date: Mon, 3 Mar 2025 11:00:00 +0000',
      'Subject: no id',
      '',
      'two',
      '',
      'From a@b Mon Mar  3 11:00:01 2025',
      'Received: from x by mail.example.test (Postfix) with ESMTP id 4AB13;',
      '\tMon,  3 Mar 2025 11:00:01 +0000',
      'Date: Mon, 3 Mar 2025 11:00:00 +0000',
      'Subject: no id',
      '',
      'two',
      '',
      '',
    ].join('\n'),
  );
  const specs = [`maildir:${maildir}`, `mbox:${mbox}`];

  it('sends every message the first time, each with its key, as the full read does', () => {
    const { messages, stream } = readNew(specs, []);
    const all = read(specs, 1_000_000).messages;
    // (The full read keeps one more newline at the end of the mbox, from the line it adds after the tail.)
    expect(messages.map((m) => m.trimEnd()).sort()).toEqual(all.map((m) => m.trimEnd()).sort());
    expect(messages).toContain('Subject: one\n\nFrom the body\n'.replace('Subject', 'Message-Id: <one@example.test>\nSubject'));
    expect(stream.alreadyRead).toBe(0);
    expect(stream.newKeys.map((k) => k.messageId)).toEqual([
      hostileId.replace(/\s/g, ''),
      '<folded@example.test>',
      '<one@example.test>',
      'no-message-id; date=Mon,3Mar202511:00:00+0000; received=fromxbymail.example.test(Postfix)withESMTPid4AB12;Mon,3Mar202511:00:00+0000',
      'no-message-id; date=Mon,3Mar202511:00:00+0000; received=fromxbymail.example.test(Postfix)withESMTPid4AB13;Mon,3Mar202511:00:01+0000',
    ]);
    // A Maildir message's size is its file's; an mbox message's, its bytes between two From lines.
    const mboxSizes = readFileSync(mbox, 'utf8').split(/^From .*\n/m).slice(1).map((m) => Buffer.byteLength(m));
    expect(stream.newKeys.map((k) => k.size)).toEqual([...['cur/1.M1.host:2,S', 'new/2.M2.host'].map((f) => statSync(path.join(maildir, f)).size), ...mboxSizes]);
  });

  it('the second time names them without sending them, then sends only what arrived since', () => {
    const first = readNew(specs, []).stream.newKeys;
    const again = readNew(specs, first);
    expect(again.messages).toEqual([]);
    expect(again.stream.alreadyRead).toBe(5);
    expect(again.out).not.toContain('body');
    expect(again.stream.newKeys).toEqual([]);

    appendFileSync(mbox, 'From a@b Mon Mar  3 12:00:00 2025\nMessage-ID: <three@example.test>\nSubject: three\n\nnew\n\n');
    writeFileSync(path.join(maildir, 'new', '3.M3.host'), 'Message-ID: <four@example.test>\nSubject: four\n\nnew\n');
    const third = readNew(specs, first);
    expect(third.messages.map((m) => m.split('\n')[1])).toEqual(['Subject: four', 'Subject: three']);
    expect(third.stream.newKeys.map((k) => k.messageId)).toEqual(['<four@example.test>', '<three@example.test>']);
    expect(third.stream.alreadyRead).toBe(5);
  });

  it('runs nothing it reads: the hostile Message-ID and a garbled seen list only change what is skipped', () => {
    const { stream } = readNew(specs, [], 1_000_000, `1 $(touch ${dir}/pwned)\n'; touch ${dir}/pwned\nzz zz\n`);
    expect(stream.newKeys.length).toBeGreaterThanOrEqual(5);
    expect(execFileSync('ls', [dir], { encoding: 'utf8' })).not.toContain('pwned');
  });
});
