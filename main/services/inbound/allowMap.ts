import type { AllowEntry } from '../../../shared/inbound.js';
import { parseAllowEntry } from '../../../shared/validation/allowEntry.js';
import { escapeControlCharacters } from '../../../shared/validation/text.js';
import type { ValidationProblem } from '../../../shared/validation/problem.js';
import { keyedError } from '../../../shared/errors.js';
import { lookupTableComment, lookupTableLine } from '../../server/config/lookupTable.js';

/**
 * The client allowlist for `reject_unknown_client_hostname`: known senders whose reverse DNS
 * does not match. Addresses and networks go in a cidr: table read by check_client_access
 * (`OK`: the address is trustworthy). Host names and patterns can only be matched against the
 * unverified reverse name (check_reverse_client_hostname_access), which anyone can set for
 * their own addresses, so Postfix refuses `OK` there: the regexp table answers `DUNNO` for the
 * listed names (an exception to the host-name rule only, every other check still applies)
 * and carries the host-name rule itself as its last line for everyone else.
 */

export const ALLOW_REGEXP_PATH = '/etc/postfix/homemail_client_allow';
export const ALLOW_CIDR_PATH = '/etc/postfix/homemail_client_allow.cidr';
export const ALLOW_REGEXP_MAP = `regexp:${ALLOW_REGEXP_PATH}`;
export const ALLOW_CIDR_MAP = `cidr:${ALLOW_CIDR_PATH}`;

export interface AllowProblem {
  index: number;
  value: string;
  /** Why it was refused: a validation code (`validation.<key>`). */
  problem: ValidationProblem;
}

export interface AllowMaps {
  regexp: string | null;
  cidr: string | null;
  /** A value and what the table must answer for it (checked with postmap -q on the server). */
  probes: Array<{ map: string; value: string; expect: string }>;
  problems: AllowProblem[];
}

const HEADER = [
  '# Known senders whose reverse DNS does not match, excepted from the host-name rule.',
  '# Written by Homemail; edit it with Homemail so the plan shows the change.',
];

export type HostnameRuleName = 'reject_unknown_client_hostname' | 'reject_unknown_reverse_client_hostname';

function escapeRegexp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export { checkRegexpPattern } from '../../../shared/validation/allowEntry.js';

function comment(text: string): string[] {
  return text === '' ? [] : [lookupTableComment(text)];
}

/** Builds the two tables from the entries; problems name the entry and why it was refused. */
export function buildAllowMaps(entries: readonly AllowEntry[], rule: HostnameRuleName = 'reject_unknown_client_hostname'): AllowMaps {
  const regexpLines: string[] = [];
  const cidrLines: string[] = [];
  const probes: AllowMaps['probes'] = [];
  const problems: AllowProblem[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseAllowEntry(entry);
    if (!parsed.ok) {
      problems.push({ index, value: entry.value.trim(), problem: parsed.problem });
      return;
    }
    const item = parsed.value;
    if (item.kind === 'name') {
      const body = escapeRegexp(item.domain);
      regexpLines.push(...comment(item.comment), lookupTableLine(item.subdomains ? `/(^|\\.)${body}$/` : `/^${body}$/`, 'DUNNO'));
      probes.push({ map: ALLOW_REGEXP_MAP, value: item.subdomains ? `host.${item.domain}` : item.domain, expect: 'DUNNO' });
    } else if (item.kind === 'regexp') {
      regexpLines.push(...comment(item.comment), lookupTableLine(item.pattern, 'DUNNO'));
    } else {
      cidrLines.push(...comment(item.comment), lookupTableLine(`${item.address}/${item.prefix}`, 'OK'));
      probes.push({ map: ALLOW_CIDR_MAP, value: item.address, expect: 'OK' });
    }
  });
  if (regexpLines.length > 0) {
    regexpLines.push(lookupTableComment('Everyone else: the host-name rule.'), lookupTableLine('/./', rule));
    probes.push({ map: ALLOW_REGEXP_MAP, value: 'unknown', expect: rule });
  }
  const file = (lines: string[]) => (lines.length === 0 ? null : `${[...HEADER, ...lines].join('\n')}\n`);
  return { regexp: file(regexpLines), cidr: file(cidrLines), probes, problems };
}

/** Refuses the entries (bad-input, naming the first problem) before anything is touched. */
export function assertAllowEntries(maps: AllowMaps): void {
  const first = maps.problems[0];
  if (first === undefined) return;
  throw keyedError('bad-input', { key: 'allowEntryInvalid', params: { entry: first.index + 1, value: escapeControlCharacters(first.value, { singleLine: true }) } }, {
    notes: [{ namespace: 'validation', key: first.problem.key, params: first.problem.params }],
    details: { field: 'allow', index: first.index },
    hint: { key: 'allowEntryForms', params: {} },
  });
}
