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

/** Where the messages go, piece by piece: `begin`, `text` any number of times, `end`. */
export interface MessageSink {
  begin(): void;
  text(text: string): void;
  end(): void;
}

/** Whole messages, for callers that want them as strings (tests, the bench's counts). */
export function wholeMessages(emit: (messages: string[]) => void): MessageSink {
  let parts: string[] = [];
  return {
    begin: () => void (parts = []),
    text: (text) => void parts.push(text),
    end: () => emit([parts.join('')]),
  };
}

/** Longest line start held back to see whether it becomes a block header or an mbox separator. */
const MAX_HELD_LINE_CHARS = 64 * 1024;
/** A message that is only blanks so far is held up to this length (blank messages are not handed on). */
const MAX_BLANK_CHARS = 64 * 1024;
/** The sections after the mail (logs, versions) are kept up to this length. */
const MAX_TAIL_CHARS = 4 * 1024 * 1024;

export class MailboxStream {
  /** The start of a line not yet complete (only while it may be a header or separator). */
  private pending = '';
  /** The next text continues a line whose start was handed on already. */
  private midLine = false;
  private kind: 'mbox' | 'maildir' | 'message' | 'after' | null = null;
  /** The message being handed on: null outside one; `blank` while it is only blanks (not begun). */
  private message: { begun: boolean; blank: string; held: string } | null = null;
  /** The text after the mail: the `logs`, `versions` and `end` sections. */
  tail = '';
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
  private readonly sink: MessageSink;

  constructor(
    private readonly token: string,
    private readonly capBytes: number,
    sink: MessageSink | ((messages: string[]) => void),
  ) {
    this.marker = `${token} `;
    this.sink = typeof sink === 'function' ? wholeMessages(sink) : sink;
  }

  push(chunk: string): void {
    this.received += chunk.length;
    if (this.kind === 'after') {
      this.keepTail(chunk);
      return;
    }
    const text = this.pending === '' ? chunk : this.pending + chunk;
    this.pending = '';
    this.scan(text, false);
  }

  end(): void {
    const rest = this.pending;
    this.pending = '';
    if (this.kind !== 'after' && rest !== '') this.scan(rest, true);
    this.endMessage();
  }

  private keepTail(text: string): void {
    if (this.tail.length < MAX_TAIL_CHARS) this.tail += text.slice(0, MAX_TAIL_CHARS - this.tail.length);
  }

  // --- messages, with the line end before a separator held back (it belongs to the separator)

  private startMessage(): void {
    this.endMessage();
    this.message = { begun: false, blank: '', held: '' };
  }

  private data(text: string): void {
    const m = this.message;
    if (m === null || text === '') return;
    if (this.kind !== 'mbox') this.bytesRead += text.length;
    // mbox messages lose their last line end (CRLF or LF), Maildir files their last LF.
    const cut = text.endsWith('\n') ? (this.kind === 'mbox' && text.endsWith('\r\n') ? 2 : 1) : 0;
    const out = m.held + text.slice(0, text.length - cut);
    m.held = text.slice(text.length - cut);
    if (out === '') return;
    if (!m.begun) {
      m.blank += out;
      if (m.blank.trim() === '' && m.blank.length <= MAX_BLANK_CHARS) return;
      m.begun = true;
      this.messages += 1;
      this.sink.begin();
      this.sink.text(m.blank);
      m.blank = '';
      return;
    }
    this.sink.text(out);
  }

  private endMessage(): void {
    const m = this.message;
    this.message = null;
    if (m?.begun) this.sink.end();
  }

  private header(line: string): void {
    const [kind = '', size = '0', key = ''] = line.slice(this.marker.length).split(' ');
    this.endMessage();
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
      this.startMessage();
    } else if (kind === 'message' || kind === 'seen') {
      const named = decodeMessageKey(size, key);
      if (kind === 'seen') this.alreadyRead += 1;
      else if (named !== null) this.newKeys.push(named);
      // A message whose key could not be read is still read (it is only not remembered).
      this.kind = kind === 'message' ? 'message' : null;
      if (kind === 'message') this.startMessage();
    } else {
      this.kind = 'after';
    }
  }

  /** Whether a line start could still turn into a header line or (in an mbox) a separator or quoted separator. */
  private mayBeSpecial(start: string): boolean {
    if (start.length > MAX_HELD_LINE_CHARS) return false;
    if (this.marker.startsWith(start) || start.startsWith(this.marker)) return true;
    if (this.kind !== 'mbox') return false;
    return 'From '.startsWith(start) || start.startsWith('From ') || /^>+(F(r(o(m ?)?)?)?)?$/.test(start) || /^>+From /.test(start);
  }

  /** One whole line at a line start that may be special; `final` for the last line without an end. */
  private line(line: string): void {
    if (line.startsWith(this.marker) && line.endsWith('\n')) {
      this.header(line.slice(0, -1));
      return;
    }
    if (this.kind === 'mbox' && line.startsWith('From ') && line.endsWith('\n')) {
      this.startMessage();
      return;
    }
    if (this.kind === 'mbox' && /^>+From /.test(line)) {
      this.data(line.slice(1));
      return;
    }
    this.data(line);
  }

  /** The next place a special line may start (after a line end), or -1. */
  private nextSpecial(text: string, from: number): number {
    let next = text.indexOf(`\n${this.marker}`, from);
    if (this.kind === 'mbox') {
      const limit = next === -1 ? text.length : next;
      for (const probe of ['\nFrom ', '\n>']) {
        const at = text.indexOf(probe, from);
        if (at !== -1 && at < limit && (next === -1 || at < next)) next = at;
      }
    }
    return next === -1 ? -1 : next + 1;
  }

  private scan(text: string, final: boolean): void {
    let pos = 0;
    while (pos < text.length) {
      if (this.kind === 'after') {
        this.keepTail(text.slice(pos));
        return;
      }
      if (!this.midLine) {
        const nl = text.indexOf('\n', pos);
        const start = text.slice(pos, nl === -1 ? Math.min(text.length, pos + MAX_HELD_LINE_CHARS + 1) : Math.min(nl + 1, pos + MAX_HELD_LINE_CHARS + 1));
        if (this.mayBeSpecial(start)) {
          if (nl === -1) {
            if (!final) {
              this.pending = text.slice(pos);
              return;
            }
            // The last line, without an end: it is not a header or separator.
            if (!start.startsWith(this.marker)) this.line(text.slice(pos));
            return;
          }
          this.line(text.slice(pos, nl + 1));
          // The first section after the mail is kept with its header line.
          if ((this.kind as string) === 'after') this.keepTail(text.slice(pos, nl + 1));
          pos = nl + 1;
          continue;
        }
      }
      // Ordinary lines up to the next line that may be special go on in one piece.
      const special = this.nextSpecial(text, pos);
      const end = special === -1 ? text.length : special;
      if (special === -1 && !final) {
        // Hold back a last line start that may become special.
        const lastNl = text.lastIndexOf('\n');
        if (lastNl >= pos && this.mayBeSpecial(text.slice(lastNl + 1))) {
          this.data(text.slice(pos, lastNl + 1));
          this.midLine = false;
          this.pending = text.slice(lastNl + 1);
          return;
        }
      }
      this.data(text.slice(pos, end));
      this.midLine = !text.slice(pos, end).endsWith('\n') && end === text.length;
      pos = end;
    }
  }
}
