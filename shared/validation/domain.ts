import { invalid, valid, type Validated } from './problem.js';
import { refuseControlCharacters } from './text.js';

export interface DomainOptions {
  /** Accept a name without a dot (never for a mail domain; for labels checked alone). */
  allowSingleLabel?: boolean;
  /**
   * Accept "_" in labels other than the last: names that are not host names, such as SPF
   * include: targets (`_spf.google.com`, RFC 7208 §7.1's domain-spec takes any DNS name).
   */
  allowUnderscore?: boolean;
}

// Characters that would make the URL parser read something other than a host name.
const URL_STRUCTURE = /[\s/\\?#@:[\]%<>"^`{|}]/u;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const UNDERSCORE_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const IPV4_LIKE = /^\d+(?:\.\d+){3}$/;

/**
 * A domain name as DNS wants it: internationalised names turned into their `xn--` form
 * (the WHATWG URL parser's IDNA mapping, the same in Node and browsers, so full-width
 * letters and "。" work too), case folded, one trailing dot dropped. Refuses addresses,
 * empty or over-long labels, non-LDH characters and names over 253 characters.
 */
export function normalizeDomain(input: string, options: DomainOptions = {}): Validated<string> {
  const control = refuseControlCharacters<string>(input);
  if (control) return control;
  const value = input.trim();
  if (value === '') return invalid('domainEmpty');
  const odd = URL_STRUCTURE.exec(value);
  if (odd) return invalid('domainChars', { value, char: odd[0] === ' ' ? 'space' : odd[0] });
  if (value.length > 1024) return invalid('domainTooLong', { length: value.length });
  let host: string;
  try {
    host = new URL(`http://${value}/`).hostname;
  } catch {
    return invalid('domainUnparsable', { value });
  }
  if (host.startsWith('[') || IPV4_LIKE.test(host)) return invalid('domainIsAddress', { value });
  if (host.endsWith('.')) host = host.slice(0, -1);
  const labels = host.split('.');
  for (const [index, label] of labels.entries()) {
    if (label === '') return invalid('domainEmptyLabel', { value });
    if (label.length > 63) return invalid('domainLabelTooLong', { label });
    const underscore = options.allowUnderscore === true && index < labels.length - 1;
    if (!(underscore ? UNDERSCORE_LABEL : LDH_LABEL).test(label)) return invalid('domainLabelChars', { label });
  }
  if (host.length > 253) return invalid('domainTooLong', { length: host.length });
  if (labels.length < 2 && !options.allowSingleLabel) return invalid('domainSingleLabel', { value });
  if (labels.length >= 2 && /^\d+$/.test(labels[labels.length - 1] ?? '')) return invalid('domainNumericTld', { value });
  return valid(host);
}

/** True when `name` is `domain` or one of its subdomains (both already normalised). */
export function isSameOrSubdomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}
