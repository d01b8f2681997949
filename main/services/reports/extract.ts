import type { AggregateReport, ReportNote, SkippedReport } from '../../../shared/reports.js';
import { AggregateReportReader, MAX_REPORT_XML_BYTES } from './aggregateXml.js';
import { ArchiveRefused, defaultArchiveLimits, GunzipStream, UnzipStream, type ArchiveLimits } from './archive.js';
import { BudgetExhausted, ReadBudget, ReportRefused } from './budget.js';
import { looksLikeTlsReport, sniffContent, XmlTextStream } from './decode.js';
import { MimeStream, type LeafInfo, type LeafSink } from './mime.js';
import { refusedNote, reportNote, reportSentence } from './sentences.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';

/**
 * The aggregate reports of one message, read as its text arrives: MIME parts are decoded piece
 * by piece, each attachment is sniffed on its first bytes, archives are inflated and reports
 * scanned as the pieces come, so what is held is the rows kept plus a few buffers of bounded
 * size, whatever the size of the message or of one attachment.
 */
export interface ExtractedReports {
  reports: AggregateReport[];
  skipped: SkippedReport[];
  notes: ReportNote[];
}

export interface ExtractOptions {
  limits?: ArchiveLimits;
  budget?: ReadBudget;
}

/** Bytes an attachment or document is sniffed on (a BOM, 4 KiB of blanks, 512 bytes of head). */
const SNIFF_BYTES = 8 * 1024;

/** Runs a step; a refusal (not the budget's, which stops the run) comes back as its reason. */
function refusal(step: () => void): ReportRefused | null {
  try {
    step();
    return null;
  } catch (error) {
    if (error instanceof BudgetExhausted || !(error instanceof ReportRefused)) throw error;
    return error;
  }
}

/** Holds the first bytes of a stream until `decide` can look at them. */
class Prefix {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private decided = false;

  constructor(
    private readonly decide: (head: Uint8Array) => void,
    private readonly pass: (bytes: Uint8Array) => void,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.decided) {
      this.pass(bytes);
      return;
    }
    this.chunks.push(bytes);
    this.bytes += bytes.length;
    if (this.bytes >= SNIFF_BYTES) this.flush();
  }

  /** Decides on what came (at the end of a short stream) and hands it on. */
  flush(): void {
    if (this.decided) return;
    this.decided = true;
    const head = Buffer.concat(this.chunks);
    this.chunks = [];
    this.decide(head);
    if (head.length > 0) this.pass(head);
  }
}

/** What one document (a report, or what it turned out to be) adds to the message's results. */
class DocumentReader {
  private readonly prefix: Prefix;
  private kind: 'report' | 'drain' = 'drain';
  private reader: AggregateReportReader | null = null;
  private text: XmlTextStream | null = null;
  private bytes = 0;
  private failure: ReportRefused | null = null;

  constructor(
    private readonly source: string,
    private readonly name: string,
    private readonly out: ExtractedReports,
    private readonly budget: ReadBudget,
  ) {
    this.prefix = new Prefix(
      (head) => this.decide(head),
      (bytes) => this.take(bytes),
    );
  }

  private decide(head: Uint8Array): void {
    const inner = sniffContent(head);
    if (inner === 'json' || (inner === null && looksLikeTlsReport(head))) {
      if (looksLikeTlsReport(head)) this.out.notes.push(reportNote(this.source, reportSentence('tlsReport')));
      else this.out.skipped.push(reportNote(this.source, reportSentence('otherJson')));
      return;
    }
    if (inner !== 'xml') {
      this.out.skipped.push(reportNote(this.source, reportSentence('notXml')));
      return;
    }
    this.kind = 'report';
    const reader = new AggregateReportReader({ fileName: this.name, budget: this.budget });
    this.reader = reader;
    this.text = new XmlTextStream((chunk) => {
      this.budget.spendBytes(chunk.length);
      reader.write(chunk);
    });
  }

  /** Runs a step of the report's reading: a refusal becomes this document's reason. */
  private guard(step: () => void): void {
    if (this.failure === null) this.failure = refusal(step);
  }

  private take(bytes: Uint8Array): void {
    if (this.kind !== 'report') return;
    this.bytes += bytes.length;
    this.guard(() => {
      if (this.bytes > MAX_REPORT_XML_BYTES) throw new ReportRefused(reportSentence('tooLarge', { bytes: MAX_REPORT_XML_BYTES }));
      this.text?.write(bytes);
    });
  }

  write(bytes: Uint8Array): void {
    this.prefix.write(bytes);
  }

  end(): void {
    this.prefix.flush();
    if (this.kind !== 'report') return;
    this.guard(() => {
      const text = this.text as XmlTextStream;
      text.end();
      const report = (this.reader as AggregateReportReader).end();
      if (text.problem !== null) report.notes.push(reportSentence('encoding', { declared: text.problem.declared, problem: text.problem.key }));
      for (const note of report.notes) this.out.notes.push(reportNote(this.source, note));
      this.out.reports.push(report);
    });
    if (this.failure !== null) this.out.skipped.push(refusedNote(this.source, this.failure));
  }
}

const reportLikeName = /\.(xml|xml\.gz|gz|gzip|zip)$/i;

/** Parts a person reads (the message text), which are not looked at unless they hold XML. */
function isMessageText(info: LeafInfo): boolean {
  return info.filename === null && (info.contentType === 'text/plain' || info.contentType === 'text/html');
}

interface ByteStream {
  write(bytes: Uint8Array): void;
  end(): void;
}

/**
 * One attachment, by content (names and MIME types lie): plain XML or JSON, gzip (any number
 * of members), or zip (every entry, whatever its name ends with, gzip inside opened too). Its
 * documents' results count only once the archive proved whole: a damaged archive is one note.
 */
class AttachmentReader implements LeafSink {
  private readonly prefix: Prefix;
  private readonly found: ExtractedReports = { reports: [], skipped: [], notes: [] };
  private readonly name: string;
  private stream: ByteStream | null = null;
  private refused: ReportRefused | null = null;
  private bytes = 0;
  private plain = false;

  constructor(
    private readonly info: LeafInfo,
    private readonly where: string,
    private readonly out: ExtractedReports,
    private readonly limits: ArchiveLimits,
    private readonly budget: ReadBudget,
  ) {
    this.name = info.filename ?? info.contentType;
    this.prefix = new Prefix(
      (head) => this.decide(head),
      (bytes) => this.take(bytes),
    );
  }

  private get source(): string {
    return `${this.where} — ${this.name}`;
  }

  private document(name: string): DocumentReader {
    return new DocumentReader(`${this.where} — ${name}`, name, this.found, this.budget);
  }

  /** Archive output: counted in the budget, then read as a document. */
  private counted(target: ByteStream): (bytes: Uint8Array) => void {
    return (bytes) => {
      this.budget.spendBytes(bytes.length);
      target.write(bytes);
    };
  }

  private decide(head: Uint8Array): void {
    const kind = sniffContent(head);
    if (kind === null) {
      if (isMessageText(this.info)) return;
      const named = this.info.filename !== null && reportLikeName.test(this.info.filename);
      this.out.skipped.push(reportNote(this.source, reportSentence(named ? 'namedNotReport' : 'notReportContent', { contentType: this.info.contentType })));
      return;
    }
    if (kind === 'gzip') {
      const document = this.document(this.name);
      const gunzip = new GunzipStream(this.limits, this.counted(document));
      this.stream = { write: (bytes) => gunzip.write(bytes), end: () => (gunzip.end(), document.end()) };
    } else if (kind === 'zip') {
      this.stream = this.unzip();
    } else {
      this.plain = true;
      this.stream = this.document(this.name);
    }
  }

  private unzip(): ByteStream {
    let entries = 0;
    const unzip = new UnzipStream(
      this.limits,
      (entry) => !entry.endsWith('/'),
      (entry) => {
        entries += 1;
        const document = this.document(`${this.name}/${entry}`);
        let gunzip: GunzipStream | null = null;
        const inner = new Prefix(
          (head) => {
            if (sniffContent(head) === 'gzip') gunzip = new GunzipStream(this.limits, (bytes) => document.write(bytes));
          },
          (bytes) => (gunzip ?? document).write(bytes),
        );
        return (chunk, final) => {
          this.budget.spendBytes(chunk.length);
          inner.write(chunk);
          if (!final) return;
          inner.flush();
          (gunzip as GunzipStream | null)?.end();
          document.end();
        };
      },
    );
    return {
      write: (bytes) => unzip.write(bytes),
      end: () => {
        unzip.end();
        if (entries === 0) throw new ArchiveRefused(reportSentence('zipEmpty'));
      },
    };
  }

  private guard(step: () => void): void {
    if (this.refused === null) this.refused = refusal(step);
  }

  private take(bytes: Uint8Array): void {
    if (this.stream === null) return;
    this.bytes += bytes.length;
    this.guard(() => {
      if (this.plain && this.bytes > this.limits.maxOutputBytes) throw new ArchiveRefused(reportSentence('attachmentTooBig', { limit: this.limits.maxOutputBytes }));
      this.stream?.write(bytes);
    });
  }

  write(bytes: Uint8Array): void {
    this.prefix.write(bytes);
  }

  end(): void {
    this.prefix.flush();
    if (this.stream === null) return;
    this.guard(() => this.stream?.end());
    if (this.refused !== null) {
      this.out.skipped.push(refusedNote(this.source, this.refused));
      return;
    }
    this.out.reports.push(...this.found.reports);
    this.out.skipped.push(...this.found.skipped);
    this.out.notes.push(...this.found.notes);
  }
}

function label(headers: Map<string, string>): string {
  const subject = headers.get('subject');
  const id = headers.get('message-id');
  return (subject ?? id ?? 'a message without subject').slice(0, 160);
}

/**
 * The aggregate reports of one message as its text arrives (`write` pieces, then `end`). Every
 * leaf part, in forwarded messages too, is sniffed; each one that is refused or skipped becomes
 * a note with the reason instead of stopping the others. Throws only BudgetExhausted (the run
 * is out of budget).
 */
export class MessageReportsReader {
  private readonly mime: MimeStream;
  private readonly out: ExtractedReports = { reports: [], skipped: [], notes: [] };
  private readonly mimeSkipped: KeyedText[] = [];
  private where = label(new Map());

  constructor(options: ExtractOptions = {}) {
    const limits = options.limits ?? defaultArchiveLimits;
    const budget = options.budget ?? new ReadBudget();
    budget.check();
    this.mime = MimeStream.forMessage(
      {
        headers: (headers) => (this.where = label(headers)),
        leaf: (info) => {
          budget.check();
          return new AttachmentReader(info, this.where, this.out, limits, budget);
        },
        skipped: (reason) => void this.mimeSkipped.push(reason),
      },
      { spendBytes: (n) => budget.spendBytes(n), check: () => budget.check() },
    );
  }

  write(text: string): void {
    this.mime.write(text);
  }

  end(): ExtractedReports {
    this.mime.end();
    const mimeNotes = this.mimeSkipped.map((sentence) => reportNote(this.where, sentence));
    return { ...this.out, skipped: [...mimeNotes, ...this.out.skipped] };
  }
}

/** The aggregate reports of one whole message. */
export function reportsFromMessage(text: string, options: ExtractOptions = {}): ExtractedReports {
  const reader = new MessageReportsReader(options);
  reader.write(text);
  return reader.end();
}
