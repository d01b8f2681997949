// The read script run by the real sh on local files (no server needed: it only reads files):
// newest mail first within the cap, one awk over the Maildir files, the total announced first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MailboxStream } from '../../../main/services/reports/mailboxStream.js';
import { reportsReadScript as READ_SCRIPT } from '../../../main/server/scripts/index.js';

const tok = 'HOMEMAIL-aaaaaaaaaaaaaaaaaaaaaaaa';

function read(specs: string[], cap: number): { messages: string[]; stream: MailboxStream; out: string } {
  const out = execFileSync('sh', ['-c', READ_SCRIPT, 'homemail-reports', tok, String(cap), ...specs], { encoding: 'utf8' });
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
