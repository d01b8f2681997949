import { normalizeDomain } from './domain.js';
import { invalid, valid, type Validated } from './problem.js';
import { refuseControlCharacters } from './text.js';

export interface EmailAddress {
  /** The part before "@", as given (local parts may be case-sensitive). */
  local: string;
  /** The domain in its ASCII (`xn--`) form, lower case. */
  domain: string;
  address: string;
}

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);

/**
 * An ordinary mailbox address (RFC 5321 dot-atom local part, ASCII) whose domain is
 * normalised like every other domain here. A leading `mailto:` is accepted and dropped, so
 * people can paste what they see in a DMARC record.
 */
export function parseEmailAddress(input: string): Validated<EmailAddress> {
  const control = refuseControlCharacters<EmailAddress>(input);
  if (control) return control;
  let value = input.trim();
  if (/^mailto:/i.test(value)) value = value.slice('mailto:'.length);
  if (value === '') return invalid('emailEmpty');
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return invalid('emailShape', { value });
  const local = value.slice(0, at);
  if (!DOT_ATOM.test(local)) return invalid('emailLocalPart', { value });
  if (local.length > 64) return invalid('emailLocalTooLong', { value });
  const domain = normalizeDomain(value.slice(at + 1));
  if (!domain.ok) return invalid('emailDomain', { value, reason: domain.problem.text });
  const address = `${local}@${domain.value}`;
  if (address.length > 254) return invalid('emailTooLong', { value });
  return valid({ local, domain: domain.value, address });
}

const REPORT_LOCAL_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._+-]*[A-Za-z0-9_+-])?$/;

/**
 * A DMARC report address (rua/ruf): an email address whose local part a DMARC record and
 * /etc/aliases both carry unchanged. DMARC reads "!" after an address as a size limit and ","
 * as a separator (RFC 7489 §6.4), and Postfix alias names are plain, so `a!b@example.com` is
 * refused here, with the reason, instead of being written half-right.
 */
export function parseReportAddress(input: string): Validated<EmailAddress> {
  const parsed = parseEmailAddress(input);
  if (!parsed.ok) return parsed;
  if (!REPORT_LOCAL_PART.test(parsed.value.local)) return invalid('reportLocalPart', { value: parsed.value.address });
  return parsed;
}
