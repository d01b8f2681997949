import type { AggregateReport, ReportNote, SkippedReport } from '../../../shared/reports.js';
import { MAX_REPORT_XML_BYTES, parseAggregateReport } from './aggregateXml.js';
import { ArchiveRefused, defaultArchiveLimits, gunzipMembers, unzipLimited, type ArchiveLimits } from './archive.js';
import { BudgetExhausted, ReadBudget, ReportRefused } from './budget.js';
import { decodeXmlChunks, looksLikeTlsReport, sniffContent } from './decode.js';
import { parseMessage, type MimePart } from './mime.js';

export interface ExtractedReports {
  reports: AggregateReport[];
  skipped: SkippedReport[];
  notes: ReportNote[];
}

export interface ExtractOptions {
  limits?: ArchiveLimits;
  budget?: ReadBudget;
}

/** One document found in an attachment, before it is read as a report. */
interface Document {
  name: string;
  bytes: Uint8Array;
}

function withinBudget(limits: ArchiveLimits, budget: ReadBudget): ArchiveLimits {
  const left = budget.bytesLeft();
  if (left <= 0) budget.spendBytes(1);
  return { ...limits, maxOutputBytes: Math.min(limits.maxOutputBytes, left) };
}

/**
 * The documents inside one attachment, by content (names and MIME types lie): plain XML or
 * JSON, gzip (any number of members), or zip (every entry, whatever its name ends with).
 */
export function attachmentDocuments(part: MimePart, limits: ArchiveLimits = defaultArchiveLimits, budget: ReadBudget = new ReadBudget()): Document[] {
  const name = part.filename ?? part.contentType;
  const kind = sniffContent(part.data);
  if (kind === 'gzip') {
    const out = gunzipMembers(part.data, withinBudget(limits, budget));
    budget.spendBytes(out.data.length);
    return [{ name, bytes: out.data }];
  }
  if (kind === 'zip') {
    const entries = unzipLimited(part.data, (entry) => !entry.endsWith('/'), withinBudget(limits, budget));
    if (entries.length === 0) throw new ArchiveRefused('The zip attachment holds no file.');
    for (const e of entries) budget.spendBytes(e.data.length);
    return entries.map((e) => {
      const inner = sniffContent(e.data) === 'gzip' ? gunzipMembers(e.data, withinBudget(limits, budget)).data : e.data;
      return { name: `${name}/${e.name}`, bytes: inner };
    });
  }
  if (part.data.length > limits.maxOutputBytes) throw new ArchiveRefused(`The attachment is over ${limits.maxOutputBytes} bytes.`);
  return [{ name, bytes: part.data }];
}

function label(headers: Map<string, string>): string {
  const subject = headers.get('subject');
  const id = headers.get('message-id');
  return (subject ?? id ?? 'a message without subject').slice(0, 160);
}

const reportLikeName = /\.(xml|xml\.gz|gz|gzip|zip)$/i;

/** Parts a person reads (the message text), which are not looked at unless they hold XML. */
function isMessageText(part: MimePart): boolean {
  return part.filename === null && (part.contentType === 'text/plain' || part.contentType === 'text/html');
}

/**
 * The aggregate reports of one message. Every leaf part, in forwarded messages too, is
 * sniffed; each one that is refused or skipped becomes a note with the reason instead of
 * stopping the others. Throws only BudgetExhausted (the run is out of budget).
 */
export function reportsFromMessage(text: string, options: ExtractOptions = {}): ExtractedReports {
  const limits = options.limits ?? defaultArchiveLimits;
  const budget = options.budget ?? new ReadBudget();
  const reports: AggregateReport[] = [];
  const skipped: SkippedReport[] = [];
  const notes: ReportNote[] = [];
  budget.check();
  const message = parseMessage(text, { spendBytes: (n) => budget.spendBytes(n) });
  const where = label(message.headers);
  for (const reason of message.skipped) skipped.push({ source: where, reason: `${reason[0]?.toUpperCase() ?? ''}${reason.slice(1)}.` });
  for (const part of message.parts) {
    budget.check();
    const source = `${where} — ${part.filename ?? part.contentType}`;
    const kind = sniffContent(part.data);
    if (kind === null) {
      if (isMessageText(part)) continue;
      const named = part.filename !== null && reportLikeName.test(part.filename);
      skipped.push({ source, reason: `${named ? 'Named like a report, but its' : 'Its'} content is not XML, gzip, zip or a TLS report (${part.contentType}); not read.` });
      continue;
    }
    let documents: Document[];
    try {
      documents = attachmentDocuments(part, limits, budget);
    } catch (error) {
      if (error instanceof BudgetExhausted || !(error instanceof ReportRefused)) throw error;
      skipped.push({ source, reason: error.message });
      continue;
    }
    for (const document of documents) {
      const documentSource = `${where} — ${document.name}`;
      const inner = sniffContent(document.bytes);
      if (inner === 'json' || (inner === null && looksLikeTlsReport(document.bytes))) {
        if (looksLikeTlsReport(document.bytes)) notes.push({ source: documentSource, reason: 'A TLS report (SMTP TLS reporting, RFC 8460), not a DMARC aggregate report: not counted here.' });
        else skipped.push({ source: documentSource, reason: 'JSON that is not a TLS report or a DMARC report; not read.' });
        continue;
      }
      if (inner !== 'xml') {
        skipped.push({ source: documentSource, reason: 'The attachment holds something that is not XML (nor gzip or zip of XML); not read.' });
        continue;
      }
      try {
        if (document.bytes.length > MAX_REPORT_XML_BYTES) throw new ReportRefused(`The report is over ${MAX_REPORT_XML_BYTES} bytes.`);
        // Decoded chunk by chunk as the scanner goes: the text is never one string.
        const decoded = decodeXmlChunks(document.bytes);
        const report = parseAggregateReport(() => {
          const chunks = decoded.chunks();
          return (function* counted() {
            for (const chunk of chunks) {
              budget.spendBytes(chunk.length);
              yield chunk;
            }
          })();
        }, { fileName: document.name, budget });
        if (decoded.problem !== null) report.notes.push(`The report ${decoded.problem}.`);
        for (const note of report.notes) notes.push({ source: documentSource, reason: note });
        reports.push(report);
      } catch (error) {
        if (error instanceof BudgetExhausted || !(error instanceof ReportRefused)) throw error;
        skipped.push({ source: documentSource, reason: error.message });
      }
    }
  }
  return { reports, skipped, notes };
}
