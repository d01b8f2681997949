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
