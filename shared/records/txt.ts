/**
 * TXT character strings: a TXT record is ONE record holding strings of at most 255 bytes
 * each, which resolvers join with nothing between. These functions split values so that
 * joining gives the value back byte for byte, and write and read the zone-file form.
 */

export const MAX_TXT_STRING_BYTES = 255;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Splits a value into strings of at most `max` UTF-8 bytes, cutting only between code
 * points (a Japanese character is never torn in half), as full as possible. An empty value
 * is one empty string. `max` must be at least 4, the longest code point.
 */
export function splitTxtValue(value: string, max = MAX_TXT_STRING_BYTES): string[] {
  if (max < 4) throw new RangeError('max must be at least 4 bytes');
  const strings: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of value) {
    const size = utf8Length(char);
    if (bytes + size > max) {
      strings.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  strings.push(current);
  return strings;
}

/**
 * Splits a DKIM value the way `opendkim-genkey` lays it out: the tags before `p=` as one
 * string, then `p=` with the first 250 characters of the key, then 250 characters per
 * string. Any piece that would not fit 255 bytes (a long `n=` note) is split further.
 */
export function splitDkimValue(value: string): string[] {
  const at = value.search(/(^|;\s*)p=/);
  if (at < 0) return splitTxtValue(value);
  const pStart = value.indexOf('p=', at);
  const head = value.slice(0, pStart);
  const key = value.slice(pStart + 2);
  const pieces: string[] = [];
  if (head !== '') pieces.push(head);
  pieces.push(`p=${key.slice(0, 250)}`);
  for (let i = 250; i < key.length; i += 250) pieces.push(key.slice(i, i + 250));
  return pieces.flatMap((piece) => (utf8Length(piece) <= MAX_TXT_STRING_BYTES ? [piece] : splitTxtValue(piece)));
}

export function joinTxtStrings(strings: readonly string[]): string {
  return strings.join('');
}

/**
 * One string in zone-file presentation form: in double quotes, `"` and `\` escaped, and
 * every byte outside printable ASCII written as `\DDD` (RFC 1035 §5.1), which BIND and NSD
 * both read back to the same bytes.
 */
export function quoteTxtString(text: string): string {
  let out = '"';
  for (const byte of encoder.encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

export function quoteTxtStrings(strings: readonly string[]): string {
  return strings.map(quoteTxtString).join(' ');
}

/**
 * Reads quoted strings back (`"a" "b\"c" "\227\129\130"`) into their text, the inverse of
 * quoteTxtStrings. Returns null when the text is not a sequence of quoted strings.
 */
export function parseQuotedStrings(text: string): string[] | null {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const strings: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] !== '"') return null;
    i += 1;
    const bytes: number[] = [];
    let closed = false;
    while (i < s.length) {
      const c = s[i] as string;
      if (c === '"') {
        closed = true;
        i += 1;
        break;
      }
      if (c === '\\') {
        const digits = /^\d{3}/.exec(s.slice(i + 1, i + 4));
        if (digits) {
          const n = Number(digits[0]);
          if (n > 255) return null;
          bytes.push(n);
          i += 4;
        } else {
          if (i + 1 >= s.length) return null;
          bytes.push(...encoder.encode(s[i + 1] as string));
          i += 2;
        }
        continue;
      }
      const cp = s.codePointAt(i) as number;
      const char = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(char));
      i += char.length;
    }
    if (!closed) return null;
    strings.push(decoder.decode(new Uint8Array(bytes)));
    while (i < s.length && /\s/.test(s[i] as string)) i += 1;
  }
  return strings;
}
