import { Inflate, Unzip, UnzipInflate } from 'fflate';
import { crc32 } from 'node:zlib';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';
import { ReportRefused } from './budget.js';
import { reportSentence } from './sentences.js';

/** Which archive a refusal is about, as a word of the catalogs (`words.reports.note.what.<what>`, a zip entry by its name). */
type Archive = { what: 'gzip' } | { what: 'zip' } | { what: 'zipEntry'; name: string };

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
  constructor(reason: KeyedText) {
    super(reason);
    this.name = 'ArchiveRefused';
  }
}

const CHUNK = 4096;

/** Output counted against the limits as it is inflated, relative to the input seen so far. */
class OutputCounter {
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly inputBytes: () => number,
    private readonly what: Archive,
  ) {}

  add(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxOutputBytes) {
      throw new ArchiveRefused(reportSentence('expandsPast', { ...this.what, limit: this.limits.maxOutputBytes }));
    }
    if (this.bytes > this.limits.ratioGraceBytes && this.bytes > this.inputBytes() * this.limits.maxRatio) {
      throw new ArchiveRefused(reportSentence('expandsRatio', { ...this.what, ratio: this.limits.maxRatio }));
    }
  }
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

export interface Gunzipped {
  data: Uint8Array;
  members: number;
  /** Bytes after the last member that are not another member (a CRLF, NUL padding). */
  trailingBytes: number;
}

/** What fflate's streaming inflater keeps internally (fflate 0.8.3, pinned exactly in package.json for this reason; the member and padding tests fail if a new version moves it): where the deflate data ended. */
interface InflateState {
  s: { f?: number; l?: unknown; p?: number };
  p: Uint8Array;
}

type GunzipPhase = 'header' | 'inflate' | 'trailer' | 'after';

/** Longest gzip member header waited for (a file name or comment that never ends is no header). */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * A gzip file inflated as it arrives, member by member (RFC 1952: concatenated members are one
 * file), each checked against its own CRC-32 and ISIZE at the member's end, not the
 * attachment's last bytes: mail systems append a CRLF or pad with NULs. Input is fed to the
 * inflater in small pieces and the output counted as it comes, so a bomb is stopped early
 * and only one piece of output is held at a time.
 */
export class GunzipStream {
  private phase: GunzipPhase = 'header';
  private held: Uint8Array = new Uint8Array(0);
  private inflater: Inflate | null = null;
  private crc = 0;
  private memberBytes = 0;
  private inputBytes = 0;
  outputBytes = 0;
  members = 0;
  trailingBytes = 0;

  constructor(
    private readonly limits: ArchiveLimits,
    private readonly onData: (chunk: Uint8Array) => void,
    private readonly what: Archive = { what: 'gzip' },
  ) {}

  write(chunk: Uint8Array): void {
    this.inputBytes += chunk.length;
    if (this.inputBytes > this.limits.maxInputBytes) {
      this.phase = 'after';
      return;
    }
    this.take(chunk);
  }

  private hold(chunk: Uint8Array): Uint8Array {
    if (this.held.length === 0) return chunk;
    const joined = new Uint8Array(this.held.length + chunk.length);
    joined.set(this.held);
    joined.set(chunk, this.held.length);
    this.held = new Uint8Array(0);
    return joined;
  }

  private take(chunk: Uint8Array): void {
    let data = this.hold(chunk);
    while (data.length > 0) {
      if (this.phase === 'after') {
        this.trailingBytes += data.length;
        return;
      }
      if (this.phase === 'header') {
        const header = gzipHeaderLength(data, 0);
        if (header === -1) {
          // A real header (with its optional name and comment) is far shorter than MAX_HEADER_BYTES.
          if (data.length > MAX_HEADER_BYTES || (data.length >= 3 && !(data[0] === 0x1f && data[1] === 0x8b && data[2] === 8))) {
            if (this.members === 0) throw new ArchiveRefused(reportSentence('gzipNotGzip'));
            this.phase = 'after';
            continue;
          }
          this.held = data;
          return;
        }
        this.startMember();
        data = data.subarray(header);
      } else if (this.phase === 'inflate') {
        data = this.inflate(data);
      } else {
        if (data.length < 8) {
          this.held = data;
          return;
        }
        this.endMember(data.subarray(0, 8));
        data = data.subarray(8);
      }
    }
  }

  private startMember(): void {
    this.phase = 'inflate';
    this.crc = 0;
    this.memberBytes = 0;
    this.inflater = new Inflate((out) => this.output(out));
  }

  private output(out: Uint8Array): void {
    if (out.length === 0) return;
    this.outputBytes += out.length;
    if (this.outputBytes > this.limits.maxOutputBytes) throw new ArchiveRefused(reportSentence('expandsPast', { ...this.what, limit: this.limits.maxOutputBytes }));
    if (this.outputBytes > this.limits.ratioGraceBytes && this.outputBytes > this.inputBytes * this.limits.maxRatio) {
      throw new ArchiveRefused(reportSentence('expandsRatio', { ...this.what, ratio: this.limits.maxRatio }));
    }
    this.crc = crc32(out, this.crc);
    this.memberBytes += out.length;
    this.onData(out);
  }

  /** Feeds deflate data; returns the bytes after the member's deflate data (empty while it goes on). */
  private inflate(data: Uint8Array): Uint8Array {
    const inflater = this.inflater as Inflate;
    const state = inflater as unknown as InflateState;
    for (let at = 0; at < data.length; at += CHUNK) {
      try {
        inflater.push(data.subarray(at, at + CHUNK));
      } catch (error) {
        if (error instanceof ReportRefused) throw error;
        throw new ArchiveRefused(reportSentence('gzipBroken'));
      }
      if (state.s.f && !state.s.l) {
        // The final block is done: the trailer starts at the next whole byte.
        const rest = state.p.subarray(((state.s.p ?? 0) + 7) >> 3);
        this.phase = 'trailer';
        this.inflater = null;
        const after = data.subarray(at + CHUNK);
        if (after.length === 0) return rest.slice();
        const joined = new Uint8Array(rest.length + after.length);
        joined.set(rest);
        joined.set(after, rest.length);
        return joined;
      }
    }
    return new Uint8Array(0);
  }

  private endMember(trailer: Uint8Array): void {
    const view = new DataView(trailer.buffer, trailer.byteOffset, 8);
    if (view.getUint32(4, true) !== this.memberBytes % 2 ** 32 || view.getUint32(0, true) !== this.crc >>> 0) {
      throw new ArchiveRefused(reportSentence('gzipChecksum'));
    }
    this.members += 1;
    if (this.members > 1024) throw new ArchiveRefused(reportSentence('gzipMembers'));
    this.phase = 'header';
  }

  /** The end of the attachment: throws ArchiveRefused when the last member is incomplete. */
  end(): void {
    if (this.inputBytes > this.limits.maxInputBytes) throw new ArchiveRefused(reportSentence('archiveTooBig', { ...this.what, bytes: this.inputBytes, limit: this.limits.maxInputBytes }));
    if (this.phase === 'inflate') throw new ArchiveRefused(reportSentence('gzipDamaged'));
    if (this.phase === 'trailer') throw new ArchiveRefused(reportSentence('gzipNoTrailer'));
    if (this.members === 0) throw new ArchiveRefused(reportSentence('gzipNotGzip'));
    this.trailingBytes += this.held.length;
    this.held = new Uint8Array(0);
  }
}

/** A whole gzip file inflated (what GunzipStream does as the bytes arrive). */
export function gunzipMembers(data: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Gunzipped {
  if (data.length > limits.maxInputBytes) throw new ArchiveRefused(reportSentence('archiveTooBig', { what: 'gzip', bytes: data.length, limit: limits.maxInputBytes }));
  const parts: Uint8Array[] = [];
  const stream = new GunzipStream(limits, (chunk) => parts.push(chunk));
  for (let at = 0; at < data.length; at += 64 * 1024) stream.write(data.subarray(at, at + 64 * 1024));
  stream.end();
  return { data: Buffer.concat(parts), members: stream.members, trailingBytes: stream.trailingBytes };
}

/** Inflates a gzip file (one or more members, trailing padding ignored) within the limits. */
export function gunzipLimited(data: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Uint8Array {
  return gunzipMembers(data, limits).data;
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** Where one zip entry's bytes go as they are inflated (`final` on its last chunk). */
export type ZipEntrySink = (chunk: Uint8Array, final: boolean) => void;

/**
 * A zip file read as it arrives (local headers, never the central directory): each entry whose
 * name passes `wanted` is inflated piece by piece to the sink `onEntry` gives, within the
 * limits (shared by all entries: the whole archive may not expand past maxOutputBytes).
 */
export class UnzipStream {
  private readonly unzip: Unzip;
  private readonly total: OutputCounter;
  private readonly open = new Set<string>();
  private inputBytes = 0;
  private failed: ArchiveRefused | null = null;
  seen = 0;
  entries = 0;

  constructor(
    private readonly limits: ArchiveLimits,
    wanted: (name: string) => boolean,
    onEntry: (name: string) => ZipEntrySink,
  ) {
    const input = () => this.inputBytes;
    this.total = new OutputCounter(limits, input, { what: 'zip' });
    this.unzip = new Unzip((file) => {
      this.seen += 1;
      if (this.seen > limits.maxEntries) throw new ArchiveRefused(reportSentence('zipEntries', { limit: limits.maxEntries }));
      if (!wanted(file.name)) return;
      if (file.compression !== 0 && file.compression !== 8) {
        throw new ArchiveRefused(reportSentence('zipMethod', { name: file.name, method: file.compression }));
      }
      this.entries += 1;
      const key = `${this.entries}\u0000${file.name}`;
      this.open.add(key);
      const out = new OutputCounter(limits, input, { what: 'zipEntry', name: file.name });
      const sink = onEntry(file.name);
      file.ondata = (error, chunk, final) => {
        // fflate hands back what our own sink threw (a limit reached) as the entry's error.
        if (error) throw error instanceof ReportRefused ? error : new ArchiveRefused(reportSentence('zipDamaged', { name: file.name }));
        this.total.add(chunk);
        out.add(chunk);
        sink(chunk, final);
        if (final) this.open.delete(key);
      };
      file.start();
    });
    this.unzip.register(UnzipInflate);
  }

  private push(chunk: Uint8Array, final: boolean): void {
    if (this.failed !== null) return;
    try {
      this.unzip.push(chunk, final);
    } catch (error) {
      if (error instanceof ReportRefused) throw error;
      this.failed = new ArchiveRefused(reportSentence('zipBroken'));
    }
  }

  write(data: Uint8Array): void {
    this.inputBytes += data.length;
    if (this.inputBytes > this.limits.maxInputBytes) return;
    for (let at = 0; at < data.length; at += CHUNK) this.push(data.subarray(at, at + CHUNK), false);
  }

  /** The end of the archive: throws ArchiveRefused when it was damaged, empty or cut short. */
  end(): void {
    if (this.inputBytes > this.limits.maxInputBytes) throw new ArchiveRefused(reportSentence('archiveTooBig', { what: 'zip', bytes: this.inputBytes, limit: this.limits.maxInputBytes }));
    this.push(new Uint8Array(0), true);
    if (this.failed !== null) throw this.failed;
    if (this.seen === 0) throw new ArchiveRefused(reportSentence('zipEmpty'));
    const unfinished = [...this.open][0];
    if (unfinished !== undefined) throw new ArchiveRefused(reportSentence('zipEndsEarly', { name: unfinished.slice(unfinished.indexOf('\u0000') + 1) }));
  }
}

/** The entries of a whole zip file whose names pass `wanted` (what UnzipStream does as the bytes arrive). */
export function unzipLimited(data: Uint8Array, wanted: (name: string) => boolean, limits: ArchiveLimits = defaultArchiveLimits): ZipEntry[] {
  const entries: Array<{ name: string; parts: Uint8Array[] }> = [];
  const stream = new UnzipStream(limits, wanted, (name) => {
    const entry = { name, parts: [] as Uint8Array[] };
    entries.push(entry);
    return (chunk) => void entry.parts.push(chunk);
  });
  stream.write(data);
  stream.end();
  return entries.map((e) => ({ name: e.name, data: Buffer.concat(e.parts) }));
}
