/**
 * Just enough MIME (RFC 2045/2046/2183/2231) to find the report attachments of a DMARC
 * aggregate report message: headers unfolded, multipart walked (bounded depth and part
 * count), base64 and quoted-printable decoded, file names read from Content-Disposition or
 * Content-Type.
 */

export interface MimePart {
  contentType: string;
  filename: string | null;
  data: Uint8Array;
}

export interface ParsedMessage {
  headers: Map<string, string>;
  parts: MimePart[];
}

const MAX_DEPTH = 5;
const MAX_PARTS = 64;

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
      return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset.toLowerCase()).decode(bytes);
    } catch {
      return whole;
    }
  });
}

export function decodeQuotedPrintable(text: string): Uint8Array {
  const soft = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft.charCodeAt(i);
    if (ch === 0x3d && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch < 0x80) {
      out.push(ch);
    } else {
      for (const byte of Buffer.from(soft[i] ?? '', 'utf8')) out.push(byte);
    }
  }
  return Uint8Array.from(out);
}

function decodeBody(body: string, encoding: string): Uint8Array {
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return new Uint8Array(Buffer.from(body, 'utf8'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function walk(text: string, depth: number, out: MimePart[]): void {
  if (out.length >= MAX_PARTS) return;
  const { head, body } = splitHeadBody(text);
  const headers = parseHeaders(head);
  const type = parseHeaderParams(headers.get('content-type') ?? 'text/plain');
  const boundary = type.params.get('boundary');
  if (type.value.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const delimiter = new RegExp(`^--${escapeRegExp(boundary)}(--)?[ \\t]*\\r?$`, 'm');
    const sections = body.split(delimiter);
    // split() with a capture group interleaves the captured "--"; the preamble comes first.
    for (let i = 2; i < sections.length; i += 2) {
      const section = sections[i] ?? '';
      if (sections[i - 1] === '--') break;
      walk(section.replace(/^\r?\n/, '').replace(/\r?\n$/, ''), depth + 1, out);
      if (out.length >= MAX_PARTS) return;
    }
    return;
  }
  const disposition = parseHeaderParams(headers.get('content-disposition') ?? '');
  const rawName = disposition.params.get('filename') ?? type.params.get('name') ?? null;
  out.push({
    contentType: type.value,
    filename: rawName === null ? null : decodeEncodedWords(rawName),
    data: decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit'),
  });
}

/** Headers and leaf parts of one RFC 5322 message. */
export function parseMessage(text: string): ParsedMessage {
  const { head } = splitHeadBody(text);
  const parts: MimePart[] = [];
  walk(text, 0, parts);
  return { headers: parseHeaders(head), parts };
}

const reportTypes = new Set([
  'application/gzip',
  'application/x-gzip',
  'application/zip',
  'application/x-zip-compressed',
  'application/x-zip',
  'text/xml',
  'application/xml',
  'application/octet-stream',
]);

/** The parts that may hold an aggregate report (by name or type). */
export function reportParts(message: ParsedMessage): MimePart[] {
  return message.parts.filter((part) => {
    const name = part.filename?.toLowerCase() ?? '';
    if (/\.(xml|xml\.gz|gz|zip)$/.test(name)) return true;
    return part.contentType !== 'application/octet-stream' && reportTypes.has(part.contentType);
  });
}
