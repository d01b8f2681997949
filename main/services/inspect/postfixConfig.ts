import { splitPostfixList } from '../../server/config/mainCf.js';

/** Domains of reject_rbl_client / reject_rhsbl_* entries and postscreen_dnsbl_sites, verbatim. */
export function rblEntries(settings: Record<string, string>): string[] {
  const found: string[] = [];
  const add = (entry: string | undefined) => {
    if (entry && !found.includes(entry)) found.push(entry);
  };
  for (const [name, value] of Object.entries(settings)) {
    const items = splitPostfixList(value);
    if (name === 'postscreen_dnsbl_sites') items.forEach(add);
    if (!name.startsWith('smtpd_') || !name.endsWith('_restrictions')) continue;
    items.forEach((item, index) => {
      if (/^reject_(rbl_client|rhsbl_\w+)$/.test(item)) add(items[index + 1]);
    });
  }
  return found;
}
