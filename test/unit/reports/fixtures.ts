// Builders for DMARC aggregate reports and the messages that carry them, shared by the unit
// and host suites.
import { gzipSync, zipSync } from 'fflate';

export interface FixtureRow {
  ip: string;
  count: number;
  dkim?: 'pass' | 'fail';
  spf?: 'pass' | 'fail';
  disposition?: 'none' | 'quarantine' | 'reject';
  headerFrom?: string;
  reason?: string;
  dkimDomain?: string;
  dkimResult?: string;
  spfResult?: string;
}

export interface FixtureReport {
  org: string;
  id: string;
  domain: string;
  begin: Date;
  end?: Date;
  policy?: 'none' | 'quarantine' | 'reject';
  rows: FixtureRow[];
}

export function reportXml(r: FixtureReport): string {
  const end = r.end ?? new Date(r.begin.getTime() + 86_400_000 - 1000);
  const rows = r.rows
    .map(
      (row) => `  <record>
    <row>
      <source_ip>${row.ip}</source_ip>
      <count>${row.count}</count>
      <policy_evaluated>
        <disposition>${row.disposition ?? 'none'}</disposition>
        <dkim>${row.dkim ?? 'pass'}</dkim>
        <spf>${row.spf ?? 'pass'}</spf>${row.reason ? `\n        <reason><type>${row.reason}</type></reason>` : ''}
      </policy_evaluated>
    </row>
    <identifiers><header_from>${row.headerFrom ?? r.domain}</header_from></identifiers>
    <auth_results>
      <dkim><domain>${row.dkimDomain ?? r.domain}</domain><selector>s1</selector><result>${row.dkimResult ?? row.dkim ?? 'pass'}</result></dkim>
      <spf><domain>${r.domain}</domain><scope>mfrom</scope><result>${row.spfResult ?? row.spf ?? 'pass'}</result></spf>
    </auth_results>
  </record>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata>
    <org_name>${r.org}</org_name>
    <email>noreply-dmarc@${r.org.toLowerCase().replace(/[^a-z0-9]/g, '')}.example</email>
    <report_id>${r.id}</report_id>
    <date_range><begin>${Math.floor(r.begin.getTime() / 1000)}</begin><end>${Math.floor(end.getTime() / 1000)}</end></date_range>
  </report_metadata>
  <policy_published><domain>${r.domain}</domain><adkim>r</adkim><aspf>r</aspf><p>${r.policy ?? 'none'}</p><sp>none</sp><pct>100</pct></policy_published>
${rows}
</feedback>
`;
}

export type Packing = 'xml' | 'gzip' | 'zip';

export function packReport(xml: string, packing: Packing, name = 'report'): { filename: string; contentType: string; data: Uint8Array } {
  const bytes = new TextEncoder().encode(xml);
  if (packing === 'gzip') return { filename: `${name}.xml.gz`, contentType: 'application/gzip', data: gzipSync(bytes) };
  if (packing === 'zip') return { filename: `${name}.zip`, contentType: 'application/zip', data: zipSync({ [`${name}.xml`]: bytes }) };
  return { filename: `${name}.xml`, contentType: 'text/xml', data: bytes };
}

/** A report message as receivers send it: a short text part and the report attached in base64. */
export function reportMessage(options: { from: string; to: string; subject: string; attachment: { filename: string; contentType: string; data: Uint8Array } }): string {
  const boundary = `----=_Part_${Math.random().toString(36).slice(2)}`;
  const base64 = Buffer.from(options.attachment.data).toString('base64').replace(/.{76}/g, '$&\n');
  return [
    `From: ${options.from}`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'This is an aggregate report.',
    `--${boundary}`,
    `Content-Type: ${options.attachment.contentType}; name="${options.attachment.filename}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${options.attachment.filename}"`,
    '',
    base64,
    `--${boundary}--`,
    '',
  ].join('\n');
}

export interface FixturePart {
  contentType: string;
  filename?: string;
  data: Uint8Array | string;
  encoding?: 'base64' | 'quoted-printable' | '7bit';
}

/** A multipart/mixed message with the given parts (base64 unless said otherwise); constructed per RFC 2045/2046. */
export function mimeMessage(subject: string, parts: FixturePart[]): string {
  const boundary = `b_${subject.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${parts.length}`;
  const lines = ['From: noreply-dmarc@reporter.example', 'To: dmarc@example.test', `Subject: ${subject}`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, ''];
  for (const part of parts) {
    const encoding = part.encoding ?? (typeof part.data === 'string' ? '7bit' : 'base64');
    const body = encoding === 'base64' ? Buffer.from(part.data).toString('base64').replace(/.{76}/g, '$&\n') : typeof part.data === 'string' ? part.data : Buffer.from(part.data).toString('latin1');
    lines.push(`--${boundary}`, `Content-Type: ${part.contentType}${part.filename ? `; name="${part.filename}"` : ''}`, `Content-Transfer-Encoding: ${encoding}`);
    if (part.filename) lines.push(`Content-Disposition: attachment; filename="${part.filename}"`);
    lines.push('', body);
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\n');
}

/** A report message forwarded as an attachment (message/rfc822), as people forward them. */
export function forwarded(subject: string, inner: string): string {
  return mimeMessage(subject, [
    { contentType: 'text/plain', data: 'FYI, the report below.' },
    { contentType: 'message/rfc822', data: inner, encoding: '7bit' },
  ]);
}
