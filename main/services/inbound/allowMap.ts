import type { AllowEntry } from '../../../shared/inbound.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { expandIpv6, parseIpAddress } from '../../../shared/validation/ip.js';
import { HomemailError } from '../../../shared/errors.js';
import { commandLine } from '../ssh/quote.js';
import type { RemoteSession } from '../ssh/types.js';

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
  reason: string;
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

/** Constructs JavaScript accepts that POSIX extended regular expressions (regcomp) do not. */
const NOT_POSIX: Array<[RegExp, string]> = [
  [/\(\?/, '"(?" groups (lookahead, non-capturing) are not POSIX regular expressions'],
  [/\\[dD]/, '\\d is not POSIX: write [0-9]'],
  [/[*+?}]\?/, 'lazy quantifiers (*?, +?) are not POSIX'],
  [/\\[1-9]/, 'back-references are not allowed in extended regular expressions'],
];

/** `/pattern/flags` in Postfix regexp_table(5) syntax; returns the reason it is refused, or null. */
export function checkRegexpPattern(text: string): string | null {
  const m = /^\/((?:[^/\\]|\\.)+)\/([imx]*)$/.exec(text.trim());
  if (!m?.[1]) return 'write it as /pattern/ with optional flags i, m or x, e.g. /^mail\\.example\\.com$/';
  const pattern = m[1];
  for (const [re, reason] of NOT_POSIX) if (re.test(pattern)) return reason;
  try {
    new RegExp(pattern, (m[2] ?? '').includes('i') ? '' : 'i');
  } catch (error) {
    return `not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (new RegExp(pattern, 'i').test('')) return 'it matches every client (even an empty name); make it more specific';
  return null;
}

function hostBitsZero(address: string, version: 4 | 6, prefix: number): boolean {
  const groups = version === 4 ? address.split('.').map(Number) : (expandIpv6(address) ?? []);
  const width = version === 4 ? 8 : 16;
  return groups.every((g, i) => {
    const keep = Math.max(0, Math.min(width, prefix - i * width));
    const mask = keep === 0 ? 0 : ((1 << width) - 1) ^ ((1 << (width - keep)) - 1);
    return (g & ~mask & ((1 << width) - 1)) === 0;
  });
}

function comment(text: string | undefined): string[] {
  const clean = (text ?? '').replace(/[\r\n]+/g, ' ').trim();
  return clean === '' ? [] : [`# ${clean}`];
}

/** Builds the two tables from the entries; problems name the entry and why it was refused. */
export function buildAllowMaps(entries: readonly AllowEntry[], rule: HostnameRuleName = 'reject_unknown_client_hostname'): AllowMaps {
  const regexpLines: string[] = [];
  const cidrLines: string[] = [];
  const probes: AllowMaps['probes'] = [];
  const problems: AllowProblem[] = [];
  entries.forEach((entry, index) => {
    const value = entry.value.trim();
    if (entry.kind === 'name') {
      const subdomains = value.startsWith('.');
      const domain = normalizeDomain(subdomains ? value.slice(1) : value);
      if (!domain.ok) {
        problems.push({ index, value, reason: domain.problem.text });
        return;
      }
      const body = escapeRegexp(domain.value);
      regexpLines.push(...comment(entry.comment), `${subdomains ? `/(^|\\.)${body}$/` : `/^${body}$/`} DUNNO`);
      probes.push({ map: ALLOW_REGEXP_MAP, value: subdomains ? `host.${domain.value}` : domain.value, expect: 'DUNNO' });
    } else if (entry.kind === 'regexp') {
      const reason = checkRegexpPattern(value);
      if (reason !== null) {
        problems.push({ index, value, reason });
        return;
      }
      regexpLines.push(...comment(entry.comment), `${value} DUNNO`);
    } else {
      const ip = parseIpAddress(value, { allowPrefix: true });
      if (!ip.ok) {
        problems.push({ index, value, reason: ip.problem.text });
        return;
      }
      const full = ip.value.version === 4 ? 32 : 128;
      const prefix = ip.value.prefix ?? full;
      if (!hostBitsZero(ip.value.address, ip.value.version, prefix)) {
        problems.push({ index, value, reason: `the address has bits set beyond /${prefix}; write the network's first address` });
        return;
      }
      cidrLines.push(...comment(entry.comment), `${ip.value.address}/${prefix} OK`);
      probes.push({ map: ALLOW_CIDR_MAP, value: ip.value.address, expect: 'OK' });
    }
  });
  if (regexpLines.length > 0) {
    regexpLines.push('# Everyone else: the host-name rule.', `/./ ${rule}`);
    probes.push({ map: ALLOW_REGEXP_MAP, value: 'unknown', expect: rule });
  }
  const file = (lines: string[]) => (lines.length === 0 ? null : `${[...HEADER, ...lines].join('\n')}\n`);
  return { regexp: file(regexpLines), cidr: file(cidrLines), probes, problems };
}

/** Refuses the entries (bad-input, naming the first problem) before anything is touched. */
export function assertAllowEntries(maps: AllowMaps): void {
  const first = maps.problems[0];
  if (first === undefined) return;
  throw new HomemailError('bad-input', `allow entry ${first.index + 1} ("${first.value}"): ${first.reason}.`, {
    details: { field: 'allow', index: first.index },
    hint: 'Give host names (mail.example.com, or .example.com for all its hosts), /regexp/ patterns or addresses (203.0.113.5, 198.51.100.0/24).',
  });
}

const CHECK_SCRIPT = `
command -v postmap >/dev/null 2>&1 || { echo 'nopostmap'; exit 0; }
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
printf '%s' "$1" > "$d/allow.regexp"
printf '%s' "$2" > "$d/allow.cidr"
shift 2
while [ $# -ge 2 ]; do
  kind=$1; value=$2; shift 2
  r=$(postmap -q "$value" "$kind:$d/allow.$kind" 2>"$d/err"); code=$?
  printf 'check %s %s %s %s\\n' "$kind" "$code" "$value" "$r"
  sed 's/^/warn /' "$d/err"
done
`;

/**
 * Compiles the tables with the server's own postmap (the regexp library Postfix will use) in
 * a temporary directory and checks every probe gets its expected answer, in one round trip. Returns the
 * problems Postfix reported (empty when all is well).
 */
export async function validateAllowMapsOnServer(session: RemoteSession, maps: AllowMaps, extraProbes: ReadonlyArray<{ kind: 'regexp' | 'cidr'; value: string; expect: string }> = [], signal?: AbortSignal): Promise<string[]> {
  const probes = [...maps.probes.map((p) => ({ kind: p.map.startsWith('cidr:') ? 'cidr' : 'regexp', value: p.value, expect: p.expect })), ...extraProbes];
  const expected = new Map(probes.map((p) => [`${p.kind} ${p.value}`, p.expect]));
  const args = probes.flatMap((p) => [p.kind, p.value]);
  const result = await session.exec(commandLine(['sh', '-c', CHECK_SCRIPT, 'homemail-allow', maps.regexp ?? '', maps.cidr ?? '', ...args]), { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  if (result.stdout.startsWith('nopostmap')) return ['postmap is not installed on the server, so the allowlist cannot be checked.'];
  const problems: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('warn ')) problems.push(line.slice(5).replace(/\/tmp\/tmp\.[^/]+\/allow\./, 'allowlist '));
    const m = /^check (\S+) (\d+) (\S+) ?(.*)$/.exec(line);
    const want = m ? expected.get(`${m[1]} ${m[3]}`) : undefined;
    if (m && want !== undefined && (m[2] !== '0' || m[4]?.trim() !== want)) problems.push(`The ${m[1]} table answers ${m[4]?.trim() || 'nothing'} for ${m[3]}, not ${want} (postmap -q).`);
  }
  return [...new Set(problems)];
}
