/**
 * The report mailbox as the read script streams it: `TOKEN total BYTES`, then per mailbox
 * `TOKEN mbox SIZE PATH` and the mbox text, or `TOKEN maildir PATH` before each Maildir file,
 * then the `TOKEN logs` and `TOKEN versions` sections. Reading only new mail (the watch), each
 * message comes after `TOKEN message SIZE HEX-KEY` instead, and one already read is only named
 * by `TOKEN seen SIZE HEX-KEY`. Messages are handed on as soon as they
 * are whole, so they are parsed while the rest still arrives. Each chunk is scanned once:
 * the cost is linear in the mailbox, however the chunks fall.
 */

/** Splits an mbox into messages, `>From ` quoting undone; text before the first separator (cut by the size cap) is dropped. */
export function splitMbox(text: string): string[] {
  return text
    .split(/^From .*\r?\n/m)
    .slice(1)
    .map((m) => m.replace(/^>(>*From )/gm, '$1').replace(/\r?\n$/, ''));
}

import { decodeMessageKey, type MessageKey } from './seenList.js';

export class MailboxStream {
  /** Text not handed on yet: it starts at a block header, or inside the current block. */
  private pending = '';
  /** Where the search for the next boundary resumes in `pending`. */
  private scanFrom = 0;
  /** Inside an mbox block: the last message start seen (index in `pending`), -1 when none. */
  private lastFrom = -1;
  private kind: 'mbox' | 'maildir' | 'message' | 'after' | null = null;
  truncated = false;
  /** Bytes the server said it will send (its own count), or null before it did. */
  total: number | null = null;
  /** Characters received so far. */
  received = 0;
  messages = 0;
  bytesRead = 0;
  /** Reading only new mail: the keys of the messages sent (in order), and how many were named as already read. */
  readonly newKeys: MessageKey[] = [];
  alreadyRead = 0;
  private readonly marker: string;

  constructor(
    private readonly token: string,
    private readonly capBytes: number,
    private readonly emit: (messages: string[]) => void,
  ) {
    this.marker = `${token} `;
  }

  push(chunk: string): void {
    this.received += chunk.length;
    if (this.kind === 'after') return;
    this.pending += chunk;
    this.drain(false);
  }

  end(): void {
    if (this.kind !== 'after') this.drain(true);
  }

  private send(messages: string[]): void {
    const kept = messages.filter((m) => m.trim() !== '');
    this.messages += kept.length;
    if (kept.length > 0) this.emit(kept);
  }

  private header(line: string): void {
    const [kind = '', size = '0', key = ''] = line.slice(this.marker.length).split(' ');
    this.lastFrom = -1;
    if (kind === 'total') {
      this.total = Number(size);
      this.kind = null;
    } else if (kind === 'truncated') {
      this.truncated = true;
    } else if (kind === 'mbox') {
      const total = Number(size);
      if (total > this.capBytes) this.truncated = true;
      this.bytesRead += Math.min(total, this.capBytes);
      this.kind = 'mbox';
    } else if (kind === 'maildir') {
      this.kind = 'maildir';
    } else if (kind === 'message' || kind === 'seen') {
      const named = decodeMessageKey(size, key);
      if (kind === 'seen') this.alreadyRead += 1;
      else if (named !== null) this.newKeys.push(named);
      // A message whose key could not be read is still read (it is only not remembered).
      this.kind = kind === 'message' ? 'message' : null;
    } else {
      this.kind = 'after';
    }
  }

  private drain(final: boolean): void {
    for (;;) {
      if (this.kind === 'after') {
        this.pending = '';
        return;
      }
      if (this.pending.startsWith(this.marker)) {
        const eol = this.pending.indexOf('\n');
        if (eol === -1) return;
        this.header(this.pending.slice(0, eol));
        this.pending = this.pending.slice(eol + 1);
        this.scanFrom = 0;
        continue;
      }
      const next = this.pending.indexOf(`\n${this.marker}`, this.scanFrom);
      const complete = next !== -1 || final;
      const blockEnd = next === -1 ? this.pending.length : next + 1;
      if (this.kind === 'mbox') {
        if (complete) {
          this.send(splitMbox(this.pending.slice(0, blockEnd)));
        } else {
          // Whole messages so far: everything before the last "From " line seen.
          let at = this.pending.indexOf('\nFrom ', Math.max(0, this.scanFrom - 6));
          while (at !== -1) {
            this.lastFrom = at + 1;
            at = this.pending.indexOf('\nFrom ', at + 1);
          }
          if (this.lastFrom > 0) {
            this.send(splitMbox(this.pending.slice(0, this.lastFrom)));
            this.pending = this.pending.slice(this.lastFrom);
            this.lastFrom = -1;
          }
        }
      } else if ((this.kind === 'maildir' || this.kind === 'message') && complete) {
        this.bytesRead += blockEnd;
        this.send([this.pending.slice(0, blockEnd).replace(/\n$/, '')]);
      }
      if (!complete) {
        this.scanFrom = Math.max(0, this.pending.length - this.marker.length - 1);
        return;
      }
      this.pending = this.pending.slice(blockEnd);
      this.scanFrom = 0;
      if (this.pending === '') return;
    }
  }
}
