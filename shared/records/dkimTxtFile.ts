import { quoteTxtString } from './txt.js';
import type { DnsRecord } from './types.js';

/**
 * The `S.txt` file `opendkim-genkey` writes beside `S.private`, byte for byte in its layout:
 * the owner relative to the domain, the strings in parentheses one per line, and the
 * trailing comment naming selector and domain.
 */
export function dkimTxtFile(record: DnsRecord): string {
  if (record.purpose !== 'dkim' || record.selector === undefined) throw new Error('dkimTxtFile needs a DKIM record');
  const strings = record.strings.map(quoteTxtString).join('\n\t  ');
  return `${record.selector}._domainkey\tIN\tTXT\t( ${strings} )  ; ----- DKIM key ${record.selector} for ${record.zone}\n`;
}
