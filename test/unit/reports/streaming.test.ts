// The message reader within one message: the text arrives in pieces cut anywhere (inside
// headers, delimiter lines, base64 quads, quoted-printable escapes, UTF-8 characters, gzip
// members, zip entries, XML tags) and it reads exactly what it reads from the whole message;
// and a big attachment never reaches a sink, nor the reader's buffers, whole. Messages: real
// samples (test/fixtures/dmarc/parsedmarc, Apache-2.0) and ones constructed per RFC 2045/2046,
// RFC 1952 and the zip format (said at each).
import fc from 'fast-check';
import { gzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gunzipMembers, GunzipStream, defaultArchiveLimits } from '../../../main/services/reports/archive.js';
import { MessageReportsReader, reportsFromMessage } from '../../../main/services/reports/extract.js';
import { MailboxStream } from '../../../main/services/reports/mailboxStream.js';
import { MimeStream, parseMessage } from '../../../main/services/reports/mime.js';
import { MessageParser } from '../../../main/services/reports/parseMessages.js';
import { forwarded, mimeMessage, reportMessage, reportXml } from './fixtures.js';

const dir = new URL('../../fixtures/dmarc/parsedmarc/', import.meta.url);
const sample = (name: string): Buffer => readFileSync(new URL(encodeURIComponent(name).replaceAll('%21', '!'), dir));

const day = new Date('2025-03-01T00:00:00Z');
const xml = (id: string, org = 'Société Receiver') => reportXml({ org, id, domain: 'example.test', begin: day, rows: [{ ip: '192.0.2.1', count: 3 }, { ip: '2001:db8::1', count: 4, reason: 'forwarded' }] });
const bytes = (text: string) => new TextEncoder().encode(text);

// Constructed: every transfer encoding and packing in one message, a forwarded message (7bit
// and base64), CRLF line ends, a quoted-printable XML with soft breaks and escapes.
const qpXml = xml('qp')
  .replace(/[=\u0080-\uffff]/g, (c) => [...Buffer.from(c)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))
  .replace(/(.{60})/g, '$1=\n');
const everything = mimeMessage('every packing', [
  { contentType: 'text/plain', data: 'Reports attached — ünïcödé text.' },
  { contentType: 'text/xml', filename: 'qp.xml', data: qpXml, encoding: 'quoted-printable' },
  { contentType: 'application/gzip', filename: 'two-members.xml.gz', data: Buffer.concat([gzipSync(bytes(xml('gz').slice(0, 500))), gzipSync(bytes(xml('gz').slice(500))), Buffer.from('\r\n\0\0')]) },
  { contentType: 'application/zip', filename: 'r.zip', data: zipSync({ 'a.xml': bytes(xml('zip-a')), 'b.xml.gz': gzipSync(bytes(xml('zip-b'))), 'dir/': new Uint8Array(0) }) },
  { contentType: 'text/xml', filename: 'plain.xml', data: xml('plain') },
  { contentType: 'image/png', filename: 'logo.png', data: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
  { contentType: 'application/gzip', filename: 'broken.xml.gz', data: gzipSync(bytes(xml('broken'))).subarray(0, 200) },
]);
const forwardedBase64 = mimeMessage('forwarded as base64', [{ contentType: 'message/rfc822', data: Buffer.from(reportMessage({ from: 'a@b', to: 'dmarc@example.test', subject: 'inner', attachment: { filename: 'r.xml.gz', contentType: 'application/gzip', data: gzipSync(bytes(xml('inner-b64'))) } })) }]);
const messages: Array<[string, string]> = [
  ['constructed: every packing', everything],
  ['constructed: every packing, CRLF', everything.replaceAll('\n', '\r\n')],
  ['constructed: forwarded (7bit)', forwarded('Fwd: report', reportMessage({ from: 'a@b', to: 'dmarc@example.test', subject: 'inner', attachment: { filename: 'r.xml', contentType: 'text/xml', data: bytes(xml('inner')) } }))],
  ['constructed: forwarded (base64)', forwardedBase64],
  ['real: mimecast-weird-gzip.eml', sample('mimecast-weird-gzip.eml').toString('utf8')],
  ['real: google.com_smtp_tls_report.eml', sample('google.com_smtp_tls_report.eml').toString('utf8')],
  ['real: twilight.eml', sample('twilight.eml').toString('utf8')],
];

function cut(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % text.length))].filter((c) => c > 0).sort((a, b) => a - b);
  return [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
}

function readInPieces(pieces: string[]) {
  const reader = new MessageReportsReader();
  for (const piece of pieces) reader.write(piece);
  return reader.end();
}

// Hundreds of property runs and a 24 MB message each: seconds of CPU on a loaded machine.
describe('the message reader, fed in pieces', { timeout: 30_000 }, () => {
  it('reads every packing of the constructed message', () => {
    const out = reportsFromMessage(everything);
    expect(out.reports.map((r) => r.reportId)).toEqual(['qp', 'gz', 'zip-a', 'zip-b', 'plain']);
    expect(out.reports.every((r) => r.orgName === 'Société Receiver' && r.rows.length === 2)).toBe(true);
    expect(out.skipped.map((s) => s.source.replace(/^.* — /, ''))).toEqual(['logo.png', 'broken.xml.gz']);
    expect(reportsFromMessage(forwardedBase64).reports.map((r) => r.reportId)).toEqual(['inner-b64']);
  });

  it('reads the same reports, notes and skipped parts however the message is cut', () => {
    const whole = messages.map(([, text]) => reportsFromMessage(text));
    fc.assert(
      fc.property(fc.nat({ max: messages.length - 1 }), fc.array(fc.nat(), { maxLength: 60 }), (index, cuts) => {
        const text = (messages[index] as [string, string])[1];
        expect(readInPieces(cut(text, cuts))).toEqual(whole[index]);
      }),
      { numRuns: 250 },
    );
  });

  it('stops at the same message with the same budget note however the messages are cut', () => {
    const mail = [everything, forwardedBase64, everything, messages[4]?.[1] ?? ''];
    const budget = { maxDecodedBytes: 20_000, maxRows: 100, maxMs: 10_000 };
    const run = (pieces: string[][]) => {
      const parser = new MessageParser({ budget });
      const batch = parser.timed(() => {
        for (const message of pieces) {
          parser.begin();
          for (const piece of message) parser.write(piece);
          parser.end();
        }
        return parser.take();
      });
      return { ...batch, note: parser.budgetNote(), read: parser.messagesRead, leftOut: parser.messagesLeftOut };
    };
    const whole = run(mail.map((m) => [m]));
    expect(whole.note?.reason).toMatch(/decoding budget/);
    expect(whole.read).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 30 }), { minLength: mail.length, maxLength: mail.length }), (cuts) => {
        expect(run(mail.map((m, i) => cut(m, cuts[i] ?? [])))).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('reads the same however the message is cut, one character at a time included', () => {
    for (const [name, text] of messages.slice(0, 4)) {
      expect(readInPieces([...text]), name).toEqual(reportsFromMessage(text));
    }
  });

  it('gives the same MIME parts however the message is cut', () => {
    const whole = messages.map(([, text]) => parseMessage(text));
    fc.assert(
      fc.property(fc.nat({ max: messages.length - 1 }), fc.array(fc.nat(), { maxLength: 60 }), (index, cuts) => {
        const text = (messages[index] as [string, string])[1];
        const parts: Array<{ contentType: string; filename: string | null; data: Buffer }> = [];
        const skipped: string[] = [];
        const stream = MimeStream.forMessage({
          leaf(info) {
            const chunks: Uint8Array[] = [];
            return { write: (b) => void chunks.push(b), end: () => void parts.push({ ...info, data: Buffer.concat(chunks) }) };
          },
          skipped: (reason) => void skipped.push(reason.text),
        });
        for (const piece of cut(text, cuts)) stream.write(piece);
        stream.end();
        expect({ parts, skipped }).toEqual({ parts: whole[index]?.parts.map((p) => ({ ...p, data: Buffer.from(p.data) })), skipped: whole[index]?.skipped });
      }),
      { numRuns: 250 },
    );
  });

  it('gives the same MIME parts when a piece ends between the CR and the LF of any line end (found by the property above)', () => {
    const [name, text] = messages[1] as [string, string];
    const whole = parseMessage(text);
    const mimeParts = (pieces: string[]) => {
      const parts: Array<{ contentType: string; filename: string | null; data: Buffer }> = [];
      const stream = MimeStream.forMessage({
        leaf(info) {
          const chunks: Uint8Array[] = [];
          return { write: (b) => void chunks.push(b), end: () => void parts.push({ ...info, data: Buffer.concat(chunks) }) };
        },
        skipped: () => undefined,
      });
      for (const piece of pieces) stream.write(piece);
      stream.end();
      return parts;
    };
    const crAt = [...text.matchAll(/\r\n/g)].map((m) => m.index + 1);
    expect(crAt.length).toBeGreaterThan(100);
    for (const at of crAt) {
      expect(mimeParts(cut(text, [at])), `${name}, cut at ${at}`).toEqual(whole.parts.map((p) => ({ ...p, data: Buffer.from(p.data) })));
    }
  });

  it('inflates the same gzip bytes however the attachment is cut (members, padding)', () => {
    const data = Buffer.concat([gzipSync(bytes('first member ')), gzipSync(bytes(xml('g'))), Buffer.from('\r\n\0\0\0')]);
    const whole = Buffer.from(gunzipMembers(data).data).toString();
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        const out: Uint8Array[] = [];
        const stream = new GunzipStream(defaultArchiveLimits, (chunk) => out.push(chunk));
        for (const piece of cut(data.toString('latin1'), cuts)) stream.write(Buffer.from(piece, 'latin1'));
        stream.end();
        expect(Buffer.concat(out).toString()).toBe(whole);
        expect(stream.members).toBe(2);
      }),
      { numRuns: 200 },
    );
  });

  it('gives up on a gzip header whose file name never ends, without waiting for the rest (constructed, RFC 1952 FNAME)', () => {
    const header = Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]);
    const stream = new GunzipStream(defaultArchiveLimits, () => undefined);
    expect(() => {
      stream.write(header);
      for (let i = 0; i < 40; i++) stream.write(Buffer.alloc(4096, 0x61));
    }).toThrow(/not a gzip file/);
  });

  it('hands a 24 MB quoted-printable attachment on in small pieces, never whole', () => {
    const line = `${'=3Cfeedback=3E'.repeat(5)}=\n`;
    const body = line.repeat(Math.ceil((24 * 1024 * 1024) / line.length));
    const message = `Subject: big\nContent-Type: text/xml; name="big.xml"\nContent-Transfer-Encoding: quoted-printable\n\n${body}`;
    let largest = 0;
    let total = 0;
    const stream = MimeStream.forMessage({
      leaf: () => ({
        write: (b) => {
          largest = Math.max(largest, b.length);
          total += b.length;
        },
        end: () => undefined,
      }),
      skipped: () => undefined,
    });
    for (let at = 0; at < message.length; at += 64 * 1024) stream.write(message.slice(at, at + 64 * 1024));
    stream.end();
    expect(total).toBe((body.length / line.length) * 50);
    expect(largest).toBeLessThanOrEqual(128 * 1024);
  });

  it('hands an 8 MB message of an mbox on in pieces as the mailbox streams, the same text as whole', () => {
    const tok = 'HOMEMAIL-0123456789abcdef01234567';
    const big = `Subject: big\n\n${'A'.repeat(75)}\n`.repeat(1) + `${'QUFB'.repeat(19)}\n`.repeat(110_000);
    const mbox = `From a@b Mon Mar  3 10:00:00 2025\n${big}\nFrom c@d Mon Mar  3 11:00:00 2025\nSubject: small\n\nx\n`;
    const output = `${tok} total 1\n${tok} mbox ${mbox.length} /var/mail/dmarc\n${mbox}${tok} logs\n${tok} end\n`;
    const messages: string[][] = [];
    let largest = 0;
    const stream = new MailboxStream(tok, 64 * 1024 * 1024, {
      begin: () => void messages.push([]),
      text: (text) => {
        largest = Math.max(largest, text.length);
        messages.at(-1)?.push(text);
      },
      end: () => undefined,
    });
    for (let at = 0; at < output.length; at += 32 * 1024) stream.push(output.slice(at, at + 32 * 1024));
    stream.end();
    expect(messages.map((m) => m.join(''))).toEqual([big, 'Subject: small\n\nx']);
    expect(largest).toBeLessThanOrEqual(128 * 1024);
    expect(stream.tail).toBe(`${tok} logs\n${tok} end\n`);
  });
});
