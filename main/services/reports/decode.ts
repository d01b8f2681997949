/**
 * Bytes of a report → text, in the encoding the document says it is in (XML 1.0 appendix F):
 * a byte order mark first (UTF-8, UTF-16 LE/BE), else the `encoding` of the XML declaration
 * (windows-1252, ISO-8859-1, Shift_JIS, … as WHATWG decoders know them), else UTF-8.
 * And what a decoded attachment looks like: an XML document, a gzip or zip archive, or JSON
 * (a TLS report, RFC 8460).
 */

export interface DecodedText {
  text: string;
  /** The encoding used, when it was not plain UTF-8. */
  encoding: string | null;
  /** Why the declared encoding was not used. */
  problem: string | null;
}

function decoder(label: string): InstanceType<typeof TextDecoder> | null {
  try {
    return new TextDecoder(label, { fatal: false });
  } catch {
    return null;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { text: utf8.decode(bytes.subarray(3)), encoding: null, problem: null };
  if (a === 0xff && b === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE', problem: null };
  if (a === 0xfe && b === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE', problem: null };
  // UTF-16 without a BOM: "<?" as 3C 00 3F 00 or 00 3C 00 3F.
  if (a === 0x3c && b === 0x00) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'UTF-16LE', problem: null };
  if (a === 0x00 && b === 0x3c) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'UTF-16BE', problem: null };
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head)?.[1];
  if (declared === undefined || /^utf-?8$/i.test(declared)) return { text: utf8.decode(bytes), encoding: null, problem: null };
  if (/^(utf-?16|ucs-?2)/i.test(declared)) return { text: utf8.decode(bytes), encoding: null, problem: `declares ${declared} but is written in single bytes; read as UTF-8` };
  const chosen = decoder(declared);
  if (chosen === null) return { text: utf8.decode(bytes), encoding: null, problem: `declares the unknown encoding ${declared}; read as UTF-8` };
  return { text: chosen.decode(bytes), encoding: declared, problem: null };
}

export type Sniffed = 'gzip' | 'zip' | 'xml' | 'json' | null;

/** What the bytes are, by content alone (file names and MIME types lie). */
export function sniffContent(bytes: Uint8Array): Sniffed {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'xml';
  if ((bytes[0] === 0x3c && bytes[1] === 0x00) || (bytes[0] === 0x00 && bytes[1] === 0x3c)) return 'xml';
  const limit = Math.min(bytes.length, i + 4096);
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x3c /* < */) {
    const head = String.fromCharCode(...bytes.subarray(i, i + 512)).toLowerCase();
    // An XML declaration, a comment, a DOCTYPE that is not HTML's (the parser refuses it with
    // its reason), or the report's root element.
    if (head.startsWith('<?xml') || head.startsWith('<!--') || (head.startsWith('<!doctype') && !head.startsWith('<!doctype html')) || head.startsWith('<feedback') || /^<[a-z_][\w.-]*:feedback/.test(head)) return 'xml';
    return null;
  }
  if (bytes[i] === 0x7b /* { */) return 'json';
  return null;
}

/** A TLS report (RFC 8460) in JSON: `organization-name` and `policies`. */
export function looksLikeTlsReport(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, 4096));
  return /"organization-name"\s*:/.test(head) || (/"policies"\s*:/.test(head) && /"report-id"\s*:/.test(head));
}
