/**
 * The DNS checks, one function per record kind. Each reads answers through a `Lookup` (aimed
 * at the chosen servers by verifyDns) and returns Checks; none of them throws for DNS trouble:
 * a server that gives no usable answer makes the check "cannot tell".
 */
import { spf as evaluateSpf } from 'mailauth/lib/spf/index.js';
import { checkText, type Check, type CheckArea, type CheckStatus, type CheckText } from '../../../shared/checks.js';
import { isSameOrSubdomain } from '../../../shared/validation/domain.js';
import { expandIpv6, parseIpAddress } from '../../../shared/validation/ip.js';
import {
  blocklistQueryName,
  classifyBlocklistAnswer,
  dmarcReportAddress,
  isSpfRecord,
  joinTxt,
  parseDkimKeyRecord,
  parseDmarcRecord,
  parseSpfRecord,
  spfLookupTerms,
  type RecordProblem,
} from '../../../shared/verify/tags.js';
import type { DnsAnswer, RecordType } from './dnsClient.js';
import { abbreviateKey, describeDkimPublicKey } from './publicKey.js';

/** Asks the right server for a name (the zone's for its own names, a recursive one otherwise). */
export type Lookup = <T extends RecordType>(name: string, type: T) => Promise<DnsAnswer<T>>;
/** dns.promises.resolve's shape, for mailauth: records, or a thrown error with Node's code. */
export type RawResolver = (name: string, type: string) => Promise<unknown>;

export interface DkimExpectation {
  selector: string;
  /** The p= value the record must hold (from the private key); null = presence and syntax only. */
  publicKey: string | null;
  keyType: 'rsa' | 'ed25519' | null;
}

interface CheckParts {
  id: string;
  area: CheckArea;
  status: CheckStatus;
  title: CheckText;
  expected?: CheckText | null;
  found?: CheckText | null;
  fix?: CheckText | null;
}

export function makeCheck(parts: CheckParts): Check {
  return { expected: null, found: null, fix: null, ...parts };
}

/** A parser's problem as params: its code (`words.checks.problem.<code>`) and the parts it names. */
function problemParams(problem: RecordProblem): Record<string, string> {
  return { ...problem.params, problem: problem.code };
}

/** An SPF verdict in our words (`words.checks.why.<verdict>`), not the evaluator's English comment. */
export function spfVerdictText(verdict: string, domain: string, address: string): CheckText {
  return checkText('spfEvalFound', { result: verdict, why: verdict, domain, address });
}

function txtStrings(answer: DnsAnswer<'TXT'>): string[] {
  return answer.status === 'ok' ? answer.records.map((r) => joinTxt(r)) : [];
}

function unknownFrom(answer: DnsAnswer<RecordType>): CheckText {
  return checkText('noAnswer', { reason: answer.status === 'error' ? answer.code : 'ELYING' });
}

/** No selector asked: DKIM is not checked, and the check says so and how to have it checked (instead of leaving DKIM out silently). */
export function dkimNotAskedCheck(domain: string): Check {
  return makeCheck({
    id: 'dkim:none',
    area: 'dkim',
    status: 'unknown',
    title: checkText('dkimNotAskedTitle', { domain }),
    expected: checkText('dkimExpectedAny'),
    found: checkText('dkimNotAsked'),
    fix: checkText('dkimFixNotAsked', { field: 'selector' }),
  });
}

export function dkimCheck(domain: string, expectation: DkimExpectation, answer: DnsAnswer<'TXT'>): Check {
  const name = `${expectation.selector}._domainkey.${domain}`;
  const base = {
    id: `dkim:${expectation.selector}`,
    area: 'dkim' as const,
    title: checkText('dkimTitle', { name }),
    expected: expectation.publicKey
      ? checkText('dkimExpectedKey', { fingerprint: abbreviateKey(expectation.publicKey) })
      : checkText('dkimExpectedAny'),
  };
  if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) });
  const records = txtStrings(answer);
  if (records.length === 0) return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundNone', { name }), fix: checkText('dkimFixPublish', { name }) });
  if (records.length > 1) {
    return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundMany', { name, count: records.length }), fix: checkText('dkimFixOne', { name }) });
  }
  const parsed = parseDkimKeyRecord(records[0] ?? '');
  if (!parsed.ok) return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundSyntax', problemParams(parsed.problem)), fix: checkText('dkimFixSyntax') });
  const record = parsed.record;
  if (record.publicKey === '') return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundRevoked'), fix: checkText('dkimFixRevoked') });
  const wantType = expectation.keyType;
  if ((wantType && record.keyType !== wantType) || (record.keyType !== 'rsa' && record.keyType !== 'ed25519')) {
    const expected = wantType ?? 'rsa or ed25519';
    return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundWrongType', { found: record.keyType, expected }), fix: checkText('dkimFixWrongType', { expected }) });
  }
  const info = describeDkimPublicKey(record.publicKey, record.keyType);
  if (!info) return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundBadKey', { type: record.keyType }), fix: checkText('dkimFixSyntax') });
  if (expectation.publicKey !== null && record.publicKey !== expectation.publicKey.replace(/\s+/g, '')) {
    return makeCheck({ ...base, status: 'fail', found: checkText('dkimFoundOtherKey', { found: abbreviateKey(record.publicKey) }), fix: checkText('dkimFixOtherKey', { name }) });
  }
  if (record.flags.includes('y')) return makeCheck({ ...base, status: 'warn', found: checkText('dkimFoundTesting'), fix: checkText('dkimFixTesting') });
  if (info.type === 'rsa' && info.bits < 2048) return makeCheck({ ...base, status: 'warn', found: checkText('dkimFoundWeak', { bits: info.bits }), fix: checkText('dkimFixWeak') });
  const found = expectation.publicKey === null ? checkText('dkimFoundPresent', { ...info }) : checkText('dkimFoundMatches', { ...info });
  return makeCheck({ ...base, status: 'pass', found });
}

/**
 * DNS lookups an SPF record costs (RFC 7208 §4.6.4), following include: and redirect= through
 * DNS. Stops counting once past the limit; a target with macros counts one and is not followed.
 */
export async function countSpfLookups(record: string, lookup: Lookup, depth = 0): Promise<number> {
  const parsed = parseSpfRecord(record);
  if (!parsed.ok) return 0;
  let count = 0;
  for (const term of spfLookupTerms(parsed.terms)) {
    count += 1;
    if (count > 10 || depth > 10) return count;
    if ((term.name === 'include' || term.name === 'redirect') && term.argument !== '' && !term.argument.includes('%')) {
      const answer = await lookup(term.argument, 'TXT');
      const target = txtStrings(answer).filter(isSpfRecord);
      if (target.length === 1 && target[0]) count += await countSpfLookups(target[0], lookup, depth + 1);
    }
  }
  return count;
}

export async function spfRecordCheck(domain: string, answer: DnsAnswer<'TXT'>, lookup: Lookup): Promise<{ check: Check; record: string | null }> {
  const base = { id: 'spf', area: 'spf' as const, title: checkText('spfTitle', { domain }), expected: checkText('spfExpected') };
  if (answer.status === 'error') return { check: makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) }), record: null };
  const records = txtStrings(answer).filter(isSpfRecord);
  if (records.length === 0) return { check: makeCheck({ ...base, status: 'fail', found: checkText('spfFoundNone'), fix: checkText('spfFixPublish', { domain }) }), record: null };
  if (records.length > 1) {
    return { check: makeCheck({ ...base, status: 'fail', found: checkText('spfFoundMany', { count: records.length }), fix: checkText('spfFixOne') }), record: null };
  }
  const record = records[0] ?? '';
  const parsed = parseSpfRecord(record);
  if (!parsed.ok) {
    return { check: makeCheck({ ...base, status: 'fail', found: checkText('spfFoundSyntax', { record, ...problemParams(parsed.problem) }), fix: checkText('spfFixSyntax') }), record };
  }
  if (parsed.terms.some((t) => t.name === 'all' && t.qualifier === '+')) {
    return { check: makeCheck({ ...base, status: 'fail', found: checkText('spfFoundPassAll', { record }), fix: checkText('spfFixPassAll') }), record };
  }
  const count = await countSpfLookups(record, lookup);
  if (count > 10) return { check: makeCheck({ ...base, status: 'fail', found: checkText('spfFoundLookups', { record, count }), fix: checkText('spfFixLookups') }), record };
  return { check: makeCheck({ ...base, status: 'pass', found: checkText('spfFoundOk', { record, count }) }), record };
}

/** mailauth's SPF evaluation of mail from `address` for the domain (the verdict a receiver reaches). */
export async function spfEvaluationCheck(domain: string, address: string, resolver: RawResolver): Promise<Check> {
  const base = {
    id: `spf.eval:${address}`,
    area: 'spf' as const,
    title: checkText('spfEvalTitle', { address }),
    expected: checkText('spfEvalExpected', { domain, address }),
  };
  const result = await evaluateSpf({
    sender: `postmaster@${domain}`,
    ip: address,
    helo: domain,
    mta: 'homemail',
    resolver: resolver as (name: string, type: string) => Promise<string[][] | string[]>,
    maxElapsedTime: 20_000,
  });
  const verdict = result.status.result;
  const found = spfVerdictText(verdict, domain, address);
  if (verdict === 'pass') return makeCheck({ ...base, status: 'pass', found });
  if (verdict === 'temperror') return makeCheck({ ...base, status: 'unknown', found, fix: checkText('spfEvalFixTemp') });
  return makeCheck({ ...base, status: 'fail', found, fix: checkText('spfEvalFix', { domain, address }) });
}

export async function dmarcChecks(domain: string, answer: DnsAnswer<'TXT'>, lookup: Lookup): Promise<Check[]> {
  const name = `_dmarc.${domain}`;
  const base = { id: 'dmarc', area: 'dmarc' as const, title: checkText('dmarcTitle', { name }), expected: checkText('dmarcExpected') };
  if (answer.status === 'error') return [makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) })];
  // RFC 7489 §6.6.3: records not starting with v=DMARC1 are ignored.
  const records = txtStrings(answer).filter((r) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(r));
  if (records.length === 0) return [makeCheck({ ...base, status: 'fail', found: checkText('dmarcFoundNone'), fix: checkText('dmarcFixPublish', { name }) })];
  if (records.length > 1) return [makeCheck({ ...base, status: 'fail', found: checkText('dmarcFoundMany', { count: records.length }), fix: checkText('dmarcFixOne', { name }) })];
  const record = records[0] ?? '';
  const parsed = parseDmarcRecord(record);
  if (!parsed.ok) return [makeCheck({ ...base, status: 'fail', found: checkText('dmarcFoundSyntax', { record, ...problemParams(parsed.problem) }), fix: checkText('dmarcFixSyntax') })];
  const { policy, adkim, aspf, rua, ruf } = parsed.record;
  const alignment = `adkim=${adkim}, aspf=${aspf}`;
  const checks = [
    policy === 'none'
      ? makeCheck({ ...base, status: 'warn', found: checkText('dmarcFoundNonePolicy', { alignment }), fix: checkText('dmarcFixNonePolicy') })
      : makeCheck({ ...base, status: 'pass', found: checkText('dmarcFoundOk', { policy, alignment }) }),
  ];
  for (const uri of [...new Set([...rua, ...ruf])]) checks.push(await reportAddressCheck(domain, uri, lookup));
  return checks;
}

/**
 * A DMARC report URI's address, its domain, and where that domain must publish its consent
 * to receive `domain`'s reports (RFC 7489 §7.1; null for the same organisation's domain).
 * Null when the URI is not a mailto: address.
 */
export function reportDestination(domain: string, uri: string): { address: string; other: string; authName: string | null } | null {
  const address = dmarcReportAddress(uri);
  if (!address) return null;
  const other = address.split('@')[1]?.toLowerCase().replace(/\.$/, '') ?? '';
  const sameOrganisation = isSameOrSubdomain(other, domain) || isSameOrSubdomain(domain, other);
  return { address, other, authName: sameOrganisation ? null : `${domain}._report._dmarc.${other}` };
}

async function reportAddressCheck(domain: string, uri: string, lookup: Lookup): Promise<Check> {
  const destination = reportDestination(domain, uri);
  const base = {
    id: `dmarc.report:${uri}`,
    area: 'dmarc' as const,
    title: checkText('dmarcReportTitle', { address: destination?.address ?? uri }),
    expected: checkText('dmarcReportExpected', { name: `${domain}._report._dmarc.OTHER-DOMAIN` }),
  };
  if (!destination) return makeCheck({ ...base, status: 'fail', found: checkText('dmarcReportFoundBad', { uri }), fix: checkText('dmarcReportFixBad') });
  const { other, authName } = destination;
  if (authName === null) return makeCheck({ ...base, status: 'pass', found: checkText('dmarcReportFoundSame', { domain }) });
  const answer = await lookup(authName, 'TXT');
  if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) });
  if (txtStrings(answer).some((r) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(r))) return makeCheck({ ...base, status: 'pass', found: checkText('dmarcReportFoundAuthorised', { name: authName }) });
  return makeCheck({ ...base, status: 'fail', found: checkText('dmarcReportFoundUnauthorised', { name: authName }), fix: checkText('dmarcReportFixAuthorise', { other, name: authName, domain }) });
}

export async function mxCheck(domain: string, answer: DnsAnswer<'MX'>, lookup: Lookup): Promise<Check> {
  const base = { id: 'mx', area: 'mx' as const, title: checkText('mxTitle', { domain }), expected: checkText('mxExpected') };
  if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) });
  const hosts = answer.status === 'ok' ? [...answer.records].sort((a, b) => a.priority - b.priority).filter((r) => r.exchange !== '' && r.exchange !== '.') : [];
  if (hosts.length === 0) return makeCheck({ ...base, status: 'fail', found: checkText('mxFoundNone', { domain }), fix: checkText('mxFixPublish', { domain }) });
  for (const { exchange } of hosts) {
    const [a, aaaa] = await Promise.all([lookup(exchange, 'A'), lookup(exchange, 'AAAA')]);
    if (a.status === 'ok' || aaaa.status === 'ok') continue;
    if (a.status === 'error' && aaaa.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(a) });
    return makeCheck({ ...base, status: 'fail', found: checkText('mxFoundNoAddress', { host: exchange }), fix: checkText('mxFixAddress', { host: exchange }) });
  }
  return makeCheck({ ...base, status: 'pass', found: checkText('mxFoundOk', { hosts: hosts.map((h) => `${h.priority} ${h.exchange}`).join(', ') }) });
}

/** in-addr.arpa / ip6.arpa name of an address (already validated). */
export function reverseName(address: string): string | null {
  const parsed = parseIpAddress(address);
  if (!parsed.ok) return null;
  if (parsed.value.version === 4) return `${parsed.value.address.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = expandIpv6(parsed.value.address);
  if (!groups) return null;
  const nibbles = groups.flatMap((g) => g.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

function sameAddress(a: string, b: string): boolean {
  const pa = parseIpAddress(a);
  const pb = parseIpAddress(b);
  return pa.ok && pb.ok && pa.value.address === pb.value.address;
}

/** Forward-confirmed reverse DNS: address → PTR name → A/AAAA includes the address. */
export async function ptrCheck(address: string, lookup: Lookup): Promise<Check> {
  const base = { id: `ptr:${address}`, area: 'ptr' as const, title: checkText('ptrTitle', { address }), expected: checkText('ptrExpected', { address }) };
  const name = reverseName(address);
  const answer: DnsAnswer<'PTR'> = name ? await lookup(name, 'PTR') : { status: 'nxdomain' };
  if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) });
  const names = answer.status === 'ok' ? answer.records : [];
  if (names.length === 0) return makeCheck({ ...base, status: 'fail', found: checkText('ptrFoundNone', { address }), fix: checkText('ptrFixNone', { address }) });
  const family = address.includes(':') ? 'AAAA' : 'A';
  let mismatch: { name: string; forward: string } | null = null;
  for (const ptrName of names) {
    const forward = await lookup(ptrName, family);
    if (forward.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(forward) });
    const addresses = forward.status === 'ok' ? forward.records : [];
    if (addresses.some((a) => sameAddress(a, address))) return makeCheck({ ...base, status: 'pass', found: checkText('ptrFoundOk', { address, name: ptrName }) });
    mismatch ??= { name: ptrName, forward: addresses.length > 0 ? addresses.join(', ') : 'nothing' };
  }
  const { name: ptrName, forward } = mismatch ?? { name: names[0] ?? '', forward: 'nothing' };
  return makeCheck({ ...base, status: 'fail', found: checkText('ptrFoundMismatch', { address, name: ptrName, forward }), fix: checkText('ptrFixMismatch', { address, name: ptrName }) });
}

export function adspCheck(domain: string, answer: DnsAnswer<'TXT'>): Check {
  const name = `_adsp._domainkey.${domain}`;
  const base = { id: 'adsp', area: 'adsp' as const, title: checkText('adspTitle', { name }), expected: checkText('adspExpected') };
  if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: unknownFrom(answer) });
  const records = txtStrings(answer);
  if (records.length === 0) return makeCheck({ ...base, status: 'pass', found: checkText('adspFoundNone') });
  return makeCheck({ ...base, status: 'warn', found: checkText('adspFoundPresent', { record: records.join(' | ') }), fix: checkText('adspFix', { name }) });
}

export const defaultBlocklists: readonly string[] = ['zen.spamhaus.org', 'bl.spamcop.net', 'psbl.surriel.com'];

/** Public IPv4 addresses on DNS blocklists, asked through recursive resolvers only. */
export async function blocklistChecks(address: string, lists: readonly string[], lookupRecursive: Lookup): Promise<Check[]> {
  const parsed = parseIpAddress(address);
  if (!parsed.ok || parsed.value.version !== 4 || parsed.value.scope !== 'public') {
    return [
      makeCheck({
        id: `blocklist:${address}`,
        area: 'blocklist',
        status: 'unknown',
        title: checkText('blocklistTitle', { address, list: lists.join(', ') }),
        expected: checkText('blocklistExpected'),
        found: checkText('blocklistFoundPrivate', { address }),
      }),
    ];
  }
  return Promise.all(
    lists.map(async (list) => {
      const base = { id: `blocklist:${address}:${list}`, area: 'blocklist' as const, title: checkText('blocklistTitle', { address, list }), expected: checkText('blocklistExpected') };
      const answer = await lookupRecursive(blocklistQueryName(parsed.value.address, list), 'A');
      if (answer.status === 'error') return makeCheck({ ...base, status: 'unknown', found: checkText('blocklistFoundNoAnswer') });
      const verdict = classifyBlocklistAnswer(answer.status === 'ok' ? answer.records : []);
      switch (verdict.kind) {
        case 'clear':
          return makeCheck({ ...base, status: 'pass', found: checkText('blocklistFoundClear') });
        case 'listed':
          return makeCheck({ ...base, status: 'fail', found: checkText('blocklistFoundListed', { codes: verdict.codes.join(', ') }), fix: checkText('blocklistFixListed') });
        case 'refused':
          return makeCheck({ ...base, status: 'unknown', found: checkText('blocklistFoundRefused', { list, codes: verdict.codes.join(', ') }), fix: checkText('blocklistFixRefused') });
        case 'odd':
          return makeCheck({ ...base, status: 'unknown', found: checkText('blocklistFoundOdd', { codes: verdict.codes.join(', ') }) });
      }
    }),
  );
}
