/**
 * Just enough MIME (RFC 2045/2046/2183/2231) to find the report attachments of a DMARC
 * aggregate report message: headers unfolded, multipart and forwarded messages walked
 * (bounded depth and part count, delimiters found with indexOf so any input costs linear
 * time), base64 and quoted-printable decoded into byte buffers with the decoded size checked
 * against the run's budget first, file names read from Content-Disposition or Content-Type.
 */

export interface MimePart {
  contentType: string;
  filename: string | null;
  data: Uint8Array;
}

export interface ParsedMessage {
  headers: Map<string, string>;
  parts: MimePart[];
  /** Why some parts were not opened (too deep, too many). */
  skipped: string[];
}

const MAX_DEPTH = 8;
const MAX_PARTS = 256;

function splitHeadBody(text: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { head: text, body: '' };
  return { head: text.slice(0, match.index), body: text.slice(match.index + match[0].length) };
}

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

function decodeBody(body: string, encoding: string): Uint8Array {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return Buffer.from(body, 'base64');
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'utf8');
}

/** Bytes a body decodes to at most (checked against the budget before decoding). */
function decodedSizeBound(body: string, encoding: string): number {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return Math.ceil((body.length * 3) / 4);
  return body.length * 3;
}

/** Where each delimiter line `--boundary` starts (RFC 2046 5.1.1), found with indexOf: linear. */
function splitMultipart(body: string, boundary: string): { parts: string[]; closed: boolean } {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let partStart = -1;
  let from = 0;
  while (from <= body.length) {
    const at = body.indexOf(delimiter, from);
    if (at === -1) break;
    const lineStart = at === 0 || body.charCodeAt(at - 1) === 0x0a;
    let after = at + delimiter.length;
    if (!lineStart) {
      from = after;
      continue;
    }
    const closing = body.startsWith('--', after);
    if (closing) after += 2;
    // Only blanks may follow on the delimiter line.
    let eol = after;
    while (eol < body.length && (body.charCodeAt(eol) === 0x20 || body.charCodeAt(eol) === 0x09 || body.charCodeAt(eol) === 0x0d)) eol++;
    if (eol < body.length && body.charCodeAt(eol) !== 0x0a) {
      from = after;
      continue;
    }
    if (partStart !== -1) {
      let end = at - 1;
      if (end > partStart && body.charCodeAt(end - 1) === 0x0d) end -= 1;
      parts.push(body.slice(partStart, Math.max(partStart, end)));
    }
    if (closing) return { parts, closed: true };
    partStart = eol + 1;
    from = eol + 1;
  }
  if (partStart !== -1 && partStart < body.length) parts.push(body.slice(partStart));
  return { parts, closed: false };
}

export interface WalkLimits {
  /** Bytes the leaf parts may decode to, checked before each is decoded. */
  spendBytes?: (count: number) => void;
}

interface Walk {
  out: MimePart[];
  skipped: string[];
  limits: WalkLimits;
}

function walk(text: string, depth: number, state: Walk): void {
  if (state.out.length >= MAX_PARTS) return;
  const { head, body } = splitHeadBody(text);
  const headers = parseHeaders(head);
  const type = parseHeaderParams(headers.get('content-type') ?? 'text/plain');
  const encoding = headers.get('content-transfer-encoding') ?? '7bit';
  const boundary = type.params.get('boundary');
  if (type.value.startsWith('multipart/') && boundary) {
    if (depth >= MAX_DEPTH) {
      state.skipped.push(`a part nested more than ${MAX_DEPTH} deep was not opened`);
      return;
    }
    for (const section of splitMultipart(body, boundary).parts) {
      if (state.out.length >= MAX_PARTS) {
        state.skipped.push(`the message has more than ${MAX_PARTS} parts; the rest were not opened`);
        return;
      }
      walk(section, depth + 1, state);
    }
    return;
  }
  if (type.value === 'message/rfc822' || type.value === 'message/global') {
    if (depth >= MAX_DEPTH) {
      state.skipped.push(`a forwarded message nested more than ${MAX_DEPTH} deep was not opened`);
      return;
    }
    state.limits.spendBytes?.(decodedSizeBound(body, encoding));
    const inner = encoding.trim().toLowerCase() === 'base64' || encoding.trim().toLowerCase() === 'quoted-printable' ? Buffer.from(decodeBody(body, encoding)).toString('utf8') : body;
    walk(inner, depth + 1, state);
    return;
  }
  const disposition = parseHeaderParams(headers.get('content-disposition') ?? '');
  const rawName = disposition.params.get('filename') ?? type.params.get('name') ?? null;
  state.limits.spendBytes?.(decodedSizeBound(body, encoding));
  state.out.push({
    contentType: type.value,
    filename: rawName === null ? null : decodeEncodedWords(rawName),
    data: decodeBody(body, encoding),
  });
}

/** Headers and leaf parts of one RFC 5322 message, forwarded messages (message/rfc822) opened. */
export function parseMessage(text: string, limits: WalkLimits = {}): ParsedMessage {
  const { head } = splitHeadBody(text);
  const state: Walk = { out: [], skipped: [], limits };
  walk(text, 0, state);
  return { headers: parseHeaders(head), parts: state.out, skipped: state.skipped };
}
