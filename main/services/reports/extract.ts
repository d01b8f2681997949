import type { AggregateReport, SkippedReport } from '../../../shared/reports.js';
import { parseAggregateReport, ReportRefused } from './aggregateXml.js';
import { ArchiveRefused, defaultArchiveLimits, gunzipLimited, sniffArchive, unzipLimited, type ArchiveLimits } from './archive.js';
import { parseMessage, reportParts, type MimePart } from './mime.js';

export interface ExtractedReports {
  reports: AggregateReport[];
  skipped: SkippedReport[];
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The XML documents inside one attachment: plain, gzip or zip (by content, then by name). */
export function attachmentXml(part: MimePart, limits: ArchiveLimits = defaultArchiveLimits): Array<{ name: string; xml: string }> {
  const name = part.filename ?? part.contentType;
  const kind = sniffArchive(part.data);
  if (kind === 'gzip') return [{ name, xml: utf8.decode(gunzipLimited(part.data, limits)) }];
  if (kind === 'zip') {
    const entries = unzipLimited(part.data, (entry) => entry.toLowerCase().endsWith('.xml'), limits);
    if (entries.length === 0) throw new ArchiveRefused('The zip attachment holds no .xml file.');
    return entries.map((e) => ({ name: `${name}/${e.name}`, xml: utf8.decode(e.data) }));
  }
  if (part.data.length > limits.maxOutputBytes) throw new ArchiveRefused(`The attachment is over ${limits.maxOutputBytes} bytes.`);
  return [{ name, xml: utf8.decode(part.data) }];
}

function label(headers: Map<string, string>): string {
  const subject = headers.get('subject');
  const id = headers.get('message-id');
  return (subject ?? id ?? 'a message without subject').slice(0, 160);
}

/**
 * The aggregate reports of one message; every attachment that is refused (damaged, a zip
 * bomb, an XXE attempt, not a report) becomes a note instead of stopping the others.
 */
export function reportsFromMessage(text: string, limits: ArchiveLimits = defaultArchiveLimits): ExtractedReports {
  const message = parseMessage(text);
  const where = label(message.headers);
  const reports: AggregateReport[] = [];
  const skipped: SkippedReport[] = [];
  for (const part of reportParts(message)) {
    const source = `${where} — ${part.filename ?? part.contentType}`;
    let documents: Array<{ name: string; xml: string }>;
    try {
      documents = attachmentXml(part, limits);
    } catch (error) {
      if (!(error instanceof ArchiveRefused)) throw error;
      skipped.push({ source, reason: error.message });
      continue;
    }
    for (const document of documents) {
      try {
        reports.push(parseAggregateReport(document.xml));
      } catch (error) {
        if (!(error instanceof ReportRefused)) throw error;
        skipped.push({ source: `${where} — ${document.name}`, reason: error.message });
      }
    }
  }
  return { reports, skipped };
}
