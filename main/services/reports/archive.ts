import { Gunzip, Unzip, UnzipInflate } from 'fflate';

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
  maxOutputBytes: 32 * 1024 * 1024,
  maxRatio: 200,
  ratioGraceBytes: 1024 * 1024,
  maxEntries: 8,
};

export class ArchiveRefused extends Error {
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

/** Inflates a gzip file (one or more members) within the limits. */
export function gunzipLimited(data: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Uint8Array {
  checkInput(data, limits, 'The gzip attachment');
  if (data.length < 18) throw new ArchiveRefused('The gzip attachment is too short to be a gzip file.');
  const out = new OutputCounter(limits, data.length, 'The gzip attachment');
  let ended = false;
  let members = 0;
  const stream = new Gunzip({}, (chunk, final) => {
    out.add(chunk);
    if (final) ended = true;
  });
  stream.onmember = () => {
    members += 1;
  };
  try {
    feed(data, (chunk, final) => stream.push(chunk, final));
  } catch (error) {
    if (error instanceof ArchiveRefused) throw error;
    throw new ArchiveRefused(`The gzip attachment is damaged (${error instanceof Error ? error.message : String(error)}).`);
  }
  // ISIZE (the last 4 bytes) is the length mod 2^32 of the last member: a cheap check that
  // the stream was whole, for the usual single-member file.
  const isize = new DataView(data.buffer, data.byteOffset + data.length - 4, 4).getUint32(0, true);
  if (!ended || (members <= 1 && isize !== out.bytes % 2 ** 32)) throw new ArchiveRefused('The gzip attachment is damaged or ends early.');
  return out.joined();
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
