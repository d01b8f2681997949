import { Unzip, UnzipInflate } from 'fflate';
import { crc32, inflateRawSync } from 'node:zlib';
import { ReportRefused } from './budget.js';

/**
 * Gzip and zip attachments opened with hard limits, so a crafted archive (a "zip bomb")
 * costs a few megabytes at most: the output is counted as it is inflated, input is fed in
 * small chunks (one 4 KiB chunk of deflate can grow to about 4 MiB at most), and declared
 * sizes in zip headers are never trusted.
 */
export interface ArchiveLimits {
  /** Largest compressed attachment accepted. */
  maxInputBytes: number;
  /** Largest XML a report may expand to. */
  maxOutputBytes: number;
  /** Largest expansion ratio, checked once the output passes `ratioGraceBytes`. */
  maxRatio: number;
  ratioGraceBytes: number;
  /** Zip archives: most entries looked at. */
  maxEntries: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxInputBytes: 10 * 1024 * 1024,
  maxOutputBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  ratioGraceBytes: 1024 * 1024,
  maxEntries: 8,
};

/** An archive that could not be opened within the limits (one kind of ReportRefused). */
export class ArchiveRefused extends ReportRefused {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveRefused';
  }
}

const CHUNK = 4096;

class OutputCounter {
  readonly parts: Uint8Array[] = [];
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly inputBytes: number,
    private readonly what: string,
  ) {}

  add(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxOutputBytes) {
      throw new ArchiveRefused(`${this.what} expands past ${this.limits.maxOutputBytes} bytes; refused as a possible zip bomb.`);
    }
    if (this.bytes > this.limits.ratioGraceBytes && this.bytes > this.inputBytes * this.limits.maxRatio) {
      throw new ArchiveRefused(`${this.what} expands more than ${this.limits.maxRatio} times its size; refused as a possible zip bomb.`);
    }
    this.parts.push(chunk);
  }

  joined(): Uint8Array {
    const out = new Uint8Array(this.bytes);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function checkInput(data: Uint8Array, limits: ArchiveLimits, what: string): void {
  if (data.length > limits.maxInputBytes) throw new ArchiveRefused(`${what} is ${data.length} bytes, over the ${limits.maxInputBytes}-byte limit.`);
}

function feed(data: Uint8Array, push: (chunk: Uint8Array, final: boolean) => void): void {
  if (data.length === 0) {
    push(data, true);
    return;
  }
  for (let at = 0; at < data.length; at += CHUNK) push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
}

/** The length of a gzip member header (RFC 1952 2.3), or -1 when it is not one. */
function gzipHeaderLength(data: Uint8Array, at: number): number {
  if (data.length - at < 18 || data[at] !== 0x1f || data[at + 1] !== 0x8b || data[at + 2] !== 8) return -1;
  const flags = data[at + 3] ?? 0;
  let p = at + 10;
  if (flags & 4) p += 2 + ((data[p] ?? 0) | ((data[p + 1] ?? 0) << 8));
  const skipZero = () => {
    while (p < data.length && data[p] !== 0) p++;
    p++;
  };
  if (flags & 8) skipZero();
  if (flags & 16) skipZero();
  if (flags & 2) p += 2;
  return p <= data.length ? p - at : -1;
}

function isPadding(data: Uint8Array): boolean {
  return data.every((b) => b === 0 || b === 0x0d || b === 0x0a || b === 0x20);
}

export interface Gunzipped {
  data: Uint8Array;
  members: number;
  /** Bytes after the last member that are not another member (a CRLF, NUL padding). */
  trailingBytes: number;
}

/**
 * Inflates a gzip file member by member (RFC 1952: concatenated members are one file), each
 * checked against its own CRC-32 and ISIZE at the member's end, not the attachment's last
 * bytes: mail systems append a CRLF or pad with NULs. Output is bounded while inflating.
 */
export function gunzipMembers(data: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Gunzipped {
  checkInput(data, limits, 'The gzip attachment');
  const outputCap = Math.min(limits.maxOutputBytes, Math.max(limits.ratioGraceBytes, data.length * limits.maxRatio));
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  let members = 0;
  // zlib hands back one buffer when the output fits one chunk, else it joins all chunks into a
  // new one (twice the memory for a moment). The size of the (last) member is written at the
  // end (ISIZE): size the chunk by it, past any padding.
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0 || data[end - 1] === 0x0a || data[end - 1] === 0x0d || data[end - 1] === 0x20)) end--;
  const isize = end >= 4 ? new DataView(data.buffer, data.byteOffset + end - 4, 4).getUint32(0, true) : 0;
  const chunkSize = Math.min(Math.max(isize + 1, 64 * 1024), outputCap + 1);
  while (at < data.length) {
    const header = gzipHeaderLength(data, at);
    if (header === -1) {
      if (members === 0) throw new ArchiveRefused('The gzip attachment is too short or not a gzip file.');
      break;
    }
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      inflated = inflateRawSync(data.subarray(at + header), { info: true, chunkSize, maxOutputLength: Math.max(1, outputCap - total) }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ArchiveRefused(
          outputCap < limits.maxOutputBytes
            ? `The gzip attachment expands more than ${limits.maxRatio} times its size; refused as a possible zip bomb.`
            : `The gzip attachment expands past ${limits.maxOutputBytes} bytes; refused as a possible zip bomb.`,
        );
      }
      throw new ArchiveRefused(`The gzip attachment is damaged or ends early (${error instanceof Error ? error.message : String(error)}).`);
    }
    const trailer = at + header + inflated.engine.bytesWritten;
    if (trailer + 8 > data.length) throw new ArchiveRefused('The gzip attachment is damaged or ends early (no CRC and size after the data).');
    const view = new DataView(data.buffer, data.byteOffset + trailer, 8);
    if (view.getUint32(4, true) !== inflated.buffer.length % 2 ** 32 || view.getUint32(0, true) !== crc32(inflated.buffer)) {
      throw new ArchiveRefused('The gzip attachment is damaged (its CRC or size does not match the data).');
    }
    parts.push(inflated.buffer);
    total += inflated.buffer.length;
    members += 1;
    at = trailer + 8;
    if (members > 1024) throw new ArchiveRefused('The gzip attachment has more than 1024 members.');
  }
  const rest = data.subarray(at);
  if (rest.length > 0 && !isPadding(rest) && members === 0) throw new ArchiveRefused('The gzip attachment is damaged.');
  return { data: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total), members, trailingBytes: rest.length };
}

/** Inflates a gzip file (one or more members, trailing padding ignored) within the limits. */
export function gunzipLimited(data: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Uint8Array {
  return gunzipMembers(data, limits).data;
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/**
 * The entries of a zip file whose names pass `wanted`, inflated within the limits (shared by
 * all entries: the whole archive may not expand past maxOutputBytes).
 */
export function unzipLimited(data: Uint8Array, wanted: (name: string) => boolean, limits: ArchiveLimits = defaultArchiveLimits): ZipEntry[] {
  checkInput(data, limits, 'The zip attachment');
  const total = new OutputCounter(limits, data.length, 'The zip attachment');
  const entries: Array<{ name: string; out: OutputCounter; done: boolean }> = [];
  let seen = 0;
  const unzip = new Unzip((file) => {
    seen += 1;
    if (seen > limits.maxEntries) throw new ArchiveRefused(`The zip attachment holds more than ${limits.maxEntries} files.`);
    if (!wanted(file.name)) return;
    if (file.compression !== 0 && file.compression !== 8) {
      throw new ArchiveRefused(`${file.name} in the zip attachment uses compression method ${file.compression}, which is not supported.`);
    }
    const entry = { name: file.name, out: new OutputCounter(limits, data.length, `${file.name} in the zip attachment`), done: false };
    entries.push(entry);
    file.ondata = (error, chunk, final) => {
      if (error) throw new ArchiveRefused(`${file.name} in the zip attachment is damaged (${error.message}).`);
      total.add(chunk);
      entry.out.add(chunk);
      if (final) entry.done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    feed(data, (chunk, final) => unzip.push(chunk, final));
  } catch (error) {
    if (error instanceof ArchiveRefused) throw error;
    throw new ArchiveRefused(`The zip attachment is damaged (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (seen === 0) throw new ArchiveRefused('The zip attachment holds no files (or is not a zip file).');
  const unfinished = entries.find((e) => !e.done);
  if (unfinished) throw new ArchiveRefused(`${unfinished.name} in the zip attachment ends early.`);
  return entries.map((e) => ({ name: e.name, data: e.out.joined() }));
}

/** gzip starts with 1f 8b; zip local headers with "PK\3\4". */
export function sniffArchive(data: Uint8Array): 'gzip' | 'zip' | null {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return 'zip';
  return null;
}
