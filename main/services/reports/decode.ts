/**
 * Bytes of a report → text, in the encoding the document says it is in (XML 1.0 appendix F):
 * a byte order mark first (UTF-8, UTF-16 LE/BE), else the `encoding` of the XML declaration
 * (windows-1252, ISO-8859-1, Shift_JIS, … as WHATWG decoders know them), else UTF-8.
 * And what a decoded attachment looks like: an XML document, a gzip or zip archive, or JSON
 * (a TLS report, RFC 8460).
 */

export interface EncodingProblem {
  key: 'utf16SingleBytes' | 'unknownEncoding';
  declared: string;
}

export interface DecodedText {
  text: string;
  /** The encoding used, when it was not plain UTF-8. */
  encoding: string | null;
  /** Why the declared encoding was not used (`words.reports.note.problem.<key>`). */
  problem: EncodingProblem | null;
}

function decoder(label: string): InstanceType<typeof TextDecoder> | null {
  try {
    return new TextDecoder(label, { fatal: false });
  } catch {
    return null;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Which decoder the bytes need, and how many BOM bytes to skip. */
function chooseEncoding(bytes: Uint8Array): { label: string; skip: number; encoding: string | null; problem: EncodingProblem | null } {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { label: 'utf-8', skip: 3, encoding: null, problem: null };
  if (a === 0xff && b === 0xfe) return { label: 'utf-16le', skip: 2, encoding: 'UTF-16LE', problem: null };
  if (a === 0xfe && b === 0xff) return { label: 'utf-16be', skip: 2, encoding: 'UTF-16BE', problem: null };
  // UTF-16 without a BOM: "<?" as 3C 00 3F 00 or 00 3C 00 3F.
  if (a === 0x3c && b === 0x00) return { label: 'utf-16le', skip: 0, encoding: 'UTF-16LE', problem: null };
  if (a === 0x00 && b === 0x3c) return { label: 'utf-16be', skip: 0, encoding: 'UTF-16BE', problem: null };
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head)?.[1];
  if (declared === undefined || /^utf-?8$/i.test(declared)) return { label: 'utf-8', skip: 0, encoding: null, problem: null };
  if (/^(utf-?16|ucs-?2)/i.test(declared)) return { label: 'utf-8', skip: 0, encoding: null, problem: { key: 'utf16SingleBytes', declared } };
  if (decoder(declared) === null) return { label: 'utf-8', skip: 0, encoding: null, problem: { key: 'unknownEncoding', declared } };
  return { label: declared, skip: 0, encoding: declared, problem: null };
}

export function decodeXmlBytes(bytes: Uint8Array): DecodedText {
  const chosen = chooseEncoding(bytes);
  const text = (chosen.label === 'utf-8' ? utf8 : (decoder(chosen.label) ?? utf8)).decode(bytes.subarray(chosen.skip));
  return { text, encoding: chosen.encoding, problem: chosen.problem };
}

/** Decoded text in chunks (the decoder keeps characters cut between chunks whole). */
export interface DecodedChunks {
  chunks: () => Iterable<string>;
  encoding: string | null;
  problem: EncodingProblem | null;
}

// Small enough that each decoded chunk stays out of V8's large-object space (freed only by full GCs).
const CHUNK_BYTES = 32 * 1024;

/** Like decodeXmlBytes, but chunk by chunk: the text is never one string. */
export function decodeXmlChunks(bytes: Uint8Array): DecodedChunks {
  const chosen = chooseEncoding(bytes);
  const body = bytes.subarray(chosen.skip);
  function* chunks(): Iterable<string> {
    const streaming = decoder(chosen.label) ?? new TextDecoder('utf-8');
    for (let at = 0; at < body.length; at += CHUNK_BYTES) yield streaming.decode(body.subarray(at, at + CHUNK_BYTES), { stream: at + CHUNK_BYTES < body.length });
    if (body.length === 0) yield '';
  }
  return { chunks, encoding: chosen.encoding, problem: chosen.problem };
}

/** Bytes a document's encoding is chosen on (the BOM and the XML declaration). */
const ENCODING_HEAD_BYTES = 256;

/**
 * Like decodeXmlChunks, as the bytes arrive: the first bytes choose the encoding (BOM or
 * declaration), then each piece is decoded (characters cut between pieces kept whole) and
 * handed on in pieces of at most CHUNK_BYTES.
 */
export class XmlTextStream {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private streaming: InstanceType<typeof TextDecoder> | null = null;
  encoding: string | null = null;
  problem: EncodingProblem | null = null;

  constructor(private readonly onText: (text: string) => void) {}

  write(bytes: Uint8Array): void {
    if (this.streaming === null) {
      this.head.push(bytes);
      this.headBytes += bytes.length;
      if (this.headBytes < ENCODING_HEAD_BYTES) return;
      this.start();
      return;
    }
    this.decode(bytes, true);
  }

  private start(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const chosen = chooseEncoding(head);
    this.encoding = chosen.encoding;
    this.problem = chosen.problem;
    this.streaming = decoder(chosen.label) ?? new TextDecoder('utf-8');
    this.decode(head.subarray(chosen.skip), true);
  }

  private decode(bytes: Uint8Array, more: boolean): void {
    const streaming = this.streaming as InstanceType<typeof TextDecoder>;
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      const text = streaming.decode(bytes.subarray(at, at + CHUNK_BYTES), { stream: true });
      if (text !== '') this.onText(text);
    }
    if (!more) {
      const rest = streaming.decode();
      if (rest !== '') this.onText(rest);
    }
  }

  end(): void {
    if (this.streaming === null) this.start();
    this.decode(new Uint8Array(0), false);
  }
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
