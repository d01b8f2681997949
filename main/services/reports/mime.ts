/**
 * Just enough MIME (RFC 2045/2046/2183/2231) to find the report attachments of a DMARC
 * aggregate report message, read as the text arrives: headers unfolded, multipart and
 * forwarded messages walked (bounded depth and part count), delimiter lines recognised line
 * by line, base64 and quoted-printable decoded piece by piece, file names read from
 * Content-Disposition or Content-Type. Only the current line (bounded) and the header block
 * of the part being read are held; each part's bytes go on as they are decoded.
 */

import { StringDecoder } from 'node:string_decoder';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { reportSentence } from './sentences.js';

export interface MimePart {
  contentType: string;
  filename: string | null;
  data: Uint8Array;
}

export interface ParsedMessage {
  headers: Map<string, string>;
  parts: MimePart[];
  /** Why some parts were not opened (too deep, too many). */
  skipped: KeyedText[];
}

const MAX_DEPTH = 8;
const MAX_PARTS = 256;

/** Header fields, unfolded; names lower-cased; the first occurrence wins. */
export function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** `type/subtype; a=b; c="d"` → value and parameters (RFC 2231 `name*=` and `name*0*=` joined). */
export function parseHeaderParams(value: string): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '\\' && quoted) {
      current += value[i + 1] ?? '';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ';' && !quoted) {
      pieces.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  pieces.push(current);
  const continued = new Map<string, Array<{ index: number; text: string; encoded: boolean }>>();
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const text = piece.slice(eq + 1).trim();
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (m?.[1] !== undefined) {
      const parts = continued.get(m[1]) ?? [];
      parts.push({ index: m[2] === undefined ? 0 : Number(m[2]), text, encoded: m[3] !== undefined || m[2] === undefined });
      continued.set(m[1], parts);
    } else {
      params.set(key, text);
    }
  }
  for (const [key, parts] of continued) {
    parts.sort((a, b) => a.index - b.index);
    let joined = '';
    for (const [i, part] of parts.entries()) {
      let text = part.text;
      if (part.encoded && i === 0) text = text.replace(/^[^']*'[^']*'/, '');
      joined += part.encoded ? safeDecodePercent(text) : text;
    }
    params.set(key, joined);
  }
  return { value: (pieces[0] ?? '').trim().toLowerCase(), params };
}

function safeDecodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** RFC 2047 encoded words in a file name (`=?UTF-8?B?…?=`), as some reporters send them. */
export function decodeEncodedWords(text: string): string {
  return text.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (whole, charset: string, encoding: string, payload: string) => {
    try {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(payload, 'base64') : decodeQuotedPrintable(payload.replaceAll('_', ' '));
      if (bytes.length > 1024) return whole;
      return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset.toLowerCase()).decode(bytes);
    } catch {
      return whole;
    }
  });
}

/** Quoted-printable (RFC 2045 6.7) straight into bytes: one output buffer, no per-byte arrays. */
export function decodeQuotedPrintable(text: string): Uint8Array {
  const out = Buffer.allocUnsafe(Buffer.byteLength(text, 'utf8'));
  let n = 0;
  const hex = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3d /* = */) {
      const a = text.charCodeAt(i + 1);
      if (a === 0x0a) {
        i += 1;
        continue;
      }
      if (a === 0x0d && text.charCodeAt(i + 2) === 0x0a) {
        i += 2;
        continue;
      }
      const hi = hex(a);
      const lo = hex(text.charCodeAt(i + 2));
      if (hi !== -1 && lo !== -1) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
      out[n++] = ch;
    } else if (ch < 0x80) {
      out[n++] = ch;
    } else {
      n += out.write(text[i] ?? '', n, 'utf8');
    }
  }
  return out.subarray(0, n);
}

/** Where a transfer decoder's bytes go. */
type ByteSink = (bytes: Uint8Array) => void;

interface TransferDecoder {
  write(text: string): void;
  end(): void;
}

/** base64 as Node decodes it (characters outside the alphabet skipped, `=` ends the data), piece by piece. */
class Base64Decoder implements TransferDecoder {
  private carry = '';
  private done = false;
  constructor(private readonly out: ByteSink) {}

  write(text: string): void {
    if (this.done) return;
    let clean = text.replace(/[^A-Za-z0-9+/=_-]+/g, '');
    const pad = clean.indexOf('=');
    if (pad !== -1) {
      clean = clean.slice(0, pad);
      this.done = true;
    }
    const all = this.carry + clean;
    const whole = this.done ? all.length : all.length - (all.length % 4);
    this.carry = all.slice(whole);
    if (whole > 0) this.out(Buffer.from(all.slice(0, whole), 'base64'));
  }

  end(): void {
    if (this.carry !== '') this.out(Buffer.from(this.carry, 'base64'));
    this.carry = '';
  }
}

/** Quoted-printable piece by piece: an escape cut between pieces waits for the next one. */
class QuotedPrintableDecoder implements TransferDecoder {
  private carry = '';
  constructor(private readonly out: ByteSink) {}

  write(text: string): void {
    const all = this.carry + text;
    const eq = all.lastIndexOf('=');
    const cut = eq !== -1 && eq >= all.length - 2 ? eq : all.length;
    this.carry = all.slice(cut);
    if (cut > 0) this.out(decodeQuotedPrintable(all.slice(0, cut)));
  }

  end(): void {
    if (this.carry !== '') this.out(decodeQuotedPrintable(this.carry));
    this.carry = '';
  }
}

/** 7bit, 8bit, binary: the text's UTF-8 bytes (a surrogate pair cut between pieces kept whole). */
class PlainDecoder implements TransferDecoder {
  private carry = '';
  constructor(private readonly out: ByteSink) {}

  write(text: string): void {
    let all = this.carry + text;
    this.carry = '';
    const last = all.charCodeAt(all.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carry = all.slice(-1);
      all = all.slice(0, -1);
    }
    if (all !== '') this.out(Buffer.from(all, 'utf8'));
  }

  end(): void {
    if (this.carry !== '') this.out(Buffer.from(this.carry, 'utf8'));
    this.carry = '';
  }
}

function transferDecoder(encoding: string, out: ByteSink): TransferDecoder {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return new Base64Decoder(out);
  if (e === 'quoted-printable') return new QuotedPrintableDecoder(out);
  return new PlainDecoder(out);
}

export interface WalkLimits {
  /** Bytes the parts decode to, asked before each piece is handed on. */
  spendBytes?: (count: number) => void;
  /** Asked now and then (time budget). */
  check?: () => void;
}

export interface LeafInfo {
  contentType: string;
  filename: string | null;
}

/** Where one leaf part's decoded bytes go. */
export interface LeafSink {
  write(bytes: Uint8Array): void;
  end(): void;
}

export interface MimeHandler {
  /** The message's own header fields, before any part. */
  headers?(headers: Map<string, string>): void;
  leaf(info: LeafInfo): LeafSink;
  /** Why some parts were not opened (too deep, too many). */
  skipped(reason: KeyedText): void;
}

/** Longest header block kept per part (the rest is not read). */
const MAX_HEAD_CHARS = 256 * 1024;
/** A line starting with "--" is held whole up to this length to see whether it is a delimiter. */
const MAX_DELIMITER_LINE_CHARS = 64 * 1024;

interface Shared {
  handler: MimeHandler;
  limits: WalkLimits;
  leaves: number;
}

type Body =
  | { kind: 'multipart'; delimiter: string; depth: number; child: Entity | null; closed: boolean }
  | { kind: 'leaf'; decoder: TransferDecoder; sink: LeafSink; held: string }
  | { kind: 'message'; inner: Entity }
  | { kind: 'encoded-message'; decoder: TransferDecoder; inner: MimeStream; utf8: StringDecoder; held: string }
  | { kind: 'ignore' };

interface Entity {
  depth: number;
  top: boolean;
  head: string;
  body: Body | null;
}

function entity(depth: number, top = false): Entity {
  return { depth, top, head: '', body: null };
}

/** `--boundary` or `--boundary--`, then only blanks (RFC 2046 5.1.1); null when the line is not one. */
function delimiterKind(line: string, delimiter: string): 'next' | 'close' | null {
  if (!line.startsWith(delimiter)) return null;
  let at = delimiter.length;
  const closing = line.startsWith('--', at);
  if (closing) at += 2;
  for (; at < line.length; at++) {
    const c = line.charCodeAt(at);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return null;
  }
  return closing ? 'close' : 'next';
}

/** `line\r\n` → ["line", "\r\n"]; the text of a complete line and its end. */
function splitEol(line: string): [string, string] {
  if (!line.endsWith('\n')) return [line, ''];
  return line.endsWith('\r\n') ? [line.slice(0, -2), '\r\n'] : [line.slice(0, -1), '\n'];
}

/**
 * One message (or a forwarded message inside it) read as its text arrives: `write` pieces cut
 * anywhere, then `end`. Leaf parts reach the handler as they are decoded.
 */
export class MimeStream {
  private readonly top: Entity;
  /** The start of a line not yet complete (empty at a line start). */
  private pending = '';
  /** The text so far is in the middle of a line whose start was handed on already. */
  private midLine = false;
  private lines = 0;

  constructor(
    private readonly shared: Shared,
    depth = 0,
    isTop = true,
  ) {
    this.top = entity(depth, isTop);
  }

  static forMessage(handler: MimeHandler, limits: WalkLimits = {}): MimeStream {
    return new MimeStream({ handler, limits, leaves: 0 });
  }

  write(chunk: string): void {
    const text = this.pending === '' ? chunk : this.pending + chunk;
    this.pending = '';
    let pos = 0;
    while (pos < text.length) {
      if ((++this.lines & 1023) === 0) this.shared.limits.check?.();
      const target = this.target();
      const lineStart = !this.midLine;
      if (target.body === null) {
        // Header lines one at a time.
        const nl = text.indexOf('\n', pos);
        if (nl === -1) {
          this.keepPartial(text.slice(pos), target);
          return;
        }
        this.midLine = false;
        this.headerLine(target, text.slice(pos, nl + 1), lineStart);
        pos = nl + 1;
        continue;
      }
      // Body: every line up to the next one that starts with "--" goes on in one piece.
      const dash = lineStart && text.startsWith('--', pos) ? pos : text.indexOf('\n--', pos) + 1 || -1;
      if (dash !== pos) {
        const lastNl = text.lastIndexOf('\n', dash === -1 ? text.length - 1 : dash - 1);
        if (lastNl < pos) {
          // No complete line before the candidate: a partial line.
          if (dash === -1) {
            // A lone "-" at a line start may be the first half of a delimiter's "--".
            if (lineStart && text.length - pos === 1 && text.charCodeAt(pos) === 0x2d) {
              this.pending = '-';
              return;
            }
            this.content(target, text.slice(pos), lineStart);
            this.midLine = true;
            return;
          }
          this.content(target, text.slice(pos, dash), lineStart);
          this.midLine = false;
          pos = dash;
          continue;
        }
        this.content(target, text.slice(pos, lastNl + 1), lineStart);
        this.midLine = false;
        pos = lastNl + 1;
        continue;
      }
      // A line starting with "--": it may be a delimiter of this part or of one around it.
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        const rest = text.slice(pos);
        if (rest.length <= MAX_DELIMITER_LINE_CHARS) {
          this.pending = rest;
          return;
        }
        this.content(target, rest, true);
        this.midLine = true;
        return;
      }
      this.line(text.slice(pos, nl + 1));
      this.midLine = false;
      pos = nl + 1;
    }
  }

  /** A partial header line: held while short, else the part's header block is cut there. */
  private keepPartial(rest: string, target: Entity): void {
    if (rest.length <= MAX_DELIMITER_LINE_CHARS) {
      this.pending = rest;
      return;
    }
    if (target.head.length < MAX_HEAD_CHARS) target.head += rest.slice(0, MAX_HEAD_CHARS - target.head.length);
    this.midLine = true;
  }

  /** The innermost part the next line belongs to. */
  private target(): Entity {
    let at = this.top;
    for (;;) {
      const body = at.body;
      if (body?.kind === 'multipart' && body.child !== null) at = body.child;
      else if (body?.kind === 'message') at = body.inner;
      else return at;
    }
  }

  /** The multiparts around the current line, outermost first. */
  private multiparts(): Array<Extract<Body, { kind: 'multipart' }>> {
    const out: Array<Extract<Body, { kind: 'multipart' }>> = [];
    let at: Entity | null = this.top;
    while (at !== null) {
      const body: Body | null = at.body;
      if (body?.kind === 'multipart') {
        out.push(body);
        at = body.child;
      } else if (body?.kind === 'message') at = body.inner;
      else at = null;
    }
    return out;
  }

  /** One whole line (or the last, unterminated one) at a line start. */
  private line(raw: string): void {
    const [text] = splitEol(raw);
    for (const multipart of this.multiparts()) {
      if (multipart.closed) continue;
      const kind = delimiterKind(text, multipart.delimiter);
      if (kind === null) continue;
      if (multipart.child !== null) this.close(multipart.child, true);
      multipart.child = null;
      if (kind === 'close') {
        multipart.closed = true;
      } else if (this.shared.leaves >= MAX_PARTS) {
        this.shared.handler.skipped(reportSentence('tooManyParts', { parts: MAX_PARTS }));
        multipart.closed = true;
      } else {
        multipart.child = entity(multipart.depth + 1);
      }
      return;
    }
    const target = this.target();
    if (target.body === null) this.headerLine(target, raw, true);
    else this.content(target, raw, true);
  }

  private headerLine(target: Entity, raw: string, lineStart: boolean): void {
    const [text, eol] = splitEol(raw);
    if (lineStart && text === '' && eol !== '') {
      this.startBody(target);
      return;
    }
    if (target.head.length < MAX_HEAD_CHARS) target.head += (text + (eol === '' ? '' : '\n')).slice(0, MAX_HEAD_CHARS - target.head.length);
  }

  private startBody(target: Entity): void {
    const headers = parseHeaders(target.head);
    target.head = '';
    if (target.top) this.shared.handler.headers?.(headers);
    const type = parseHeaderParams(headers.get('content-type') ?? 'text/plain');
    const encoding = headers.get('content-transfer-encoding') ?? '7bit';
    const boundary = type.params.get('boundary');
    const { handler, limits } = this.shared;
    if (type.value.startsWith('multipart/') && boundary) {
      if (target.depth >= MAX_DEPTH) {
        handler.skipped(reportSentence('partTooDeep', { depth: MAX_DEPTH }));
        target.body = { kind: 'ignore' };
      } else {
        target.body = { kind: 'multipart', delimiter: `--${boundary}`, depth: target.depth, child: null, closed: false };
      }
      return;
    }
    if (type.value === 'message/rfc822' || type.value === 'message/global') {
      if (target.depth >= MAX_DEPTH) {
        handler.skipped(reportSentence('forwardTooDeep', { depth: MAX_DEPTH }));
        target.body = { kind: 'ignore' };
        return;
      }
      const e = encoding.trim().toLowerCase();
      if (e === 'base64' || e === 'quoted-printable') {
        const inner = new MimeStream(this.shared, target.depth + 1, false);
        const utf8 = new StringDecoder('utf8');
        const decoder = transferDecoder(encoding, (bytes) => {
          limits.spendBytes?.(bytes.length);
          inner.write(utf8.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)));
        });
        target.body = { kind: 'encoded-message', inner, utf8, held: '', decoder };
      } else {
        target.body = { kind: 'message', inner: entity(target.depth + 1) };
      }
      return;
    }
    if (this.shared.leaves >= MAX_PARTS) {
      target.body = { kind: 'ignore' };
      return;
    }
    this.shared.leaves += 1;
    const disposition = parseHeaderParams(headers.get('content-disposition') ?? '');
    const rawName = disposition.params.get('filename') ?? type.params.get('name') ?? null;
    const sink = handler.leaf({ contentType: type.value, filename: rawName === null ? null : decodeEncodedWords(rawName) });
    target.body = {
      kind: 'leaf',
      sink,
      held: '',
      decoder: transferDecoder(encoding, (bytes) => {
        limits.spendBytes?.(bytes.length);
        sink.write(bytes);
      }),
    };
  }

  /**
   * Body text for the innermost part: whole lines (or a piece of one). The line end before a
   * delimiter belongs to the delimiter, so each piece's last line end waits for what follows.
   */
  private content(target: Entity, text: string, lineStart: boolean): void {
    const body = target.body;
    if (body === null) {
      // Lines of a header block reached in one piece (only when the block holds no blank line yet).
      let from = 0;
      let first = lineStart;
      while (from < text.length) {
        const nl = text.indexOf('\n', from);
        const end = nl === -1 ? text.length : nl + 1;
        if (target.body !== null) {
          this.content(target, text.slice(from), first);
          return;
        }
        this.headerLine(target, text.slice(from, end), first);
        first = true;
        from = end;
      }
      return;
    }
    if (body.kind !== 'leaf' && body.kind !== 'encoded-message') return;
    // A piece may end between the CR and the LF of a line end: the lone CR waits too.
    const joined = body.held + text;
    const [piece, eol] = joined.endsWith('\r') ? [joined.slice(0, -1), '\r'] : splitEol(joined);
    body.held = eol;
    if (piece !== '') body.decoder.write(piece);
  }

  /** Ends a part: its sink, or every part inside it. `dropLineEnd` when a delimiter ends it. */
  private close(target: Entity, dropLineEnd: boolean): void {
    if (target.body === null) this.startBody(target);
    const body = target.body;
    if (body === null) return;
    if (body.kind === 'leaf' || body.kind === 'encoded-message') {
      if (!dropLineEnd && body.held !== '') body.decoder.write(body.held);
      body.held = '';
      body.decoder.end();
      if (body.kind === 'leaf') {
        body.sink.end();
      } else {
        body.inner.write(body.utf8.end());
        body.inner.end();
      }
    } else if (body.kind === 'multipart') {
      if (body.child !== null) this.close(body.child, dropLineEnd);
      body.child = null;
    } else if (body.kind === 'message') {
      this.close(body.inner, dropLineEnd);
    }
    target.body = { kind: 'ignore' };
  }

  end(): void {
    const rest = this.pending;
    this.pending = '';
    if (rest !== '') {
      if (this.midLine) this.content(this.target(), rest, false);
      else this.line(rest);
    }
    this.close(this.top, false);
  }
}

/** Headers and leaf parts of one whole RFC 5322 message, forwarded messages (message/rfc822) opened. */
export function parseMessage(text: string, limits: WalkLimits = {}): ParsedMessage {
  const parts: MimePart[] = [];
  const skipped: KeyedText[] = [];
  let headers = new Map<string, string>();
  const stream = MimeStream.forMessage(
    {
      headers: (h) => (headers = h),
      leaf(info) {
        const chunks: Uint8Array[] = [];
        return {
          write: (bytes) => void chunks.push(bytes),
          end: () => void parts.push({ ...info, data: Buffer.concat(chunks) }),
        };
      },
      skipped: (reason) => void skipped.push(reason),
    },
    limits,
  );
  stream.write(text);
  stream.end();
  return { headers, parts, skipped };
}
