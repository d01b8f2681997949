import { checkText, type Check, type CheckStatus } from '../../../shared/checks.js';
import type {
  OutboundReport,
  PolicyListFinding,
  Port25Finding,
  PortProbe,
  RelayFinding,
  ReverseNameFinding,
  TlsFinding,
} from '../../../shared/outbound.js';
import { TLS_AT_LEAST_MAY } from '../../../shared/outbound.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { blocklistQueryName, classifyBlocklistAnswer } from '../../../shared/verify/tags.js';
import type { RecordType } from '../verify/dnsClient.js';
import { publicAddressCheck, type AddressDiscovery } from '../verify/publicAddress.js';
import { makeCheck, ptrCheck, reverseName, type Lookup } from '../verify/recordChecks.js';
import { judgeCertificate } from './certificate.js';
import { asDnsAnswer, type AddressEcho, type DnsLine, type OutboundFacts } from './probe.js';

/**
 * Pure judgement of what outbound-probe.sh found: each finding, and the same as checks with
 * sentences (keys under `checks.`). Nothing here talks to a server.
 */

const notTried = (port: number): PortProbe => ({ port, result: 'not-tried', banner: null });
const failedConnection = new Set(['timeout', 'refused', 'closed', 'silent', 'error']);

/** open: a greeting on 25; blocked: 25 fails while 587 on the same host greets; otherwise cannot tell. */
export function judgePort25(facts: OutboundFacts, probeDomain: string): Port25Finding {
  const port25 = facts.ports.get(25) ?? notTried(25);
  const port587 = facts.ports.get(587) ?? notTried(587);
  const base = { probeDomain, host: facts.target?.host ?? null, address: facts.target?.address ?? null, port25, port587 };
  if (!facts.hasDig) return { ...base, status: 'unknown', reason: 'no-dig' };
  if (facts.mx === null || facts.mx.status !== 'NOERROR' || facts.mx.answers.length === 0) {
    return { ...base, status: 'unknown', reason: `no-mx:${facts.mx?.status ?? 'TIMEOUT'}` };
  }
  if (facts.target === null) return { ...base, status: 'unknown', reason: 'no-address' };
  if (port25.result === 'banner') return { ...base, status: 'open', reason: null };
  if (failedConnection.has(port25.result) && port587.result === 'banner') return { ...base, status: 'blocked', reason: null };
  return { ...base, status: 'unknown', reason: 'unreachable' };
}

/** Port 25 as receivers' servers see it; blocked does not stop the mail when a relayhost takes it out on another port. */
function port25Check(finding: Port25Finding, facts: OutboundFacts, relay: RelayFinding): Check {
  const base = { id: 'port25', area: 'port25' as const, title: checkText('outPort25Title', { domain: finding.probeDomain }), expected: checkText('outPort25Expected') };
  const host = finding.host ?? '';
  const address = finding.address ?? '';
  if (finding.status === 'open') return makeCheck({ ...base, status: 'pass', found: checkText('outPort25Open', { host, address, banner: finding.port25.banner ?? '' }) });
  if (finding.status === 'blocked' && relay.relayhost !== null) {
    return makeCheck({ ...base, status: 'pass', found: checkText('outPort25BlockedRelayed', { host, address, result: finding.port25.result, relay: relay.relayhost }) });
  }
  if (finding.status === 'blocked') {
    return makeCheck({ ...base, status: 'fail', found: checkText('outPort25Blocked', { host, address, result: finding.port25.result }), fix: checkText('outPort25FixBlocked') });
  }
  const found = !facts.hasDig
    ? checkText('outPort25NoDig')
    : facts.mx === null || facts.mx.status !== 'NOERROR' || facts.mx.answers.length === 0
      ? checkText('outPort25NoMx', { domain: finding.probeDomain, status: facts.mx?.status ?? 'TIMEOUT' })
      : facts.target === null
        ? checkText('outPort25NoAddress', { host: firstMxHost(facts.mx) ?? finding.probeDomain })
        : checkText('outPort25Unreachable', { host, address, result25: finding.port25.result, result587: finding.port587.result });
  return makeCheck({ ...base, status: 'unknown', found });
}

/** The MX hosts of a `mx` line ("10 a.example. 20 b.example."), lowest preference first. */
export function mxHosts(line: DnsLine | null): string[] {
  if (line === null) return [];
  const pairs: Array<{ pref: number; host: string }> = [];
  for (let i = 0; i + 1 < line.answers.length; i += 2) pairs.push({ pref: Number(line.answers[i]), host: (line.answers[i + 1] ?? '').replace(/\.$/, '').toLowerCase() });
  return pairs.sort((a, b) => a.pref - b.pref).map((p) => p.host).filter((h) => h !== '');
}

function firstMxHost(line: DnsLine | null): string | null {
  return mxHosts(line)[0] ?? null;
}

/** The public address the first echo service that answered saw. */
export function discoverFromEchoes(facts: OutboundFacts, echoes: readonly AddressEcho[]): AddressDiscovery {
  for (const echo of facts.echoes) {
    const answer = echo.answer ?? '';
    if (echo.status === 'NOERROR' && parseIpAddress(answer).ok) {
      const label = echoes.find((e) => e.server === echo.server)?.label ?? echo.server;
      return { address: answer, via: label };
    }
  }
  // A DNS error code (words.checks.reason): what the first echo service said.
  const codes: Record<string, string> = { REFUSED: 'EREFUSED', SERVFAIL: 'ESERVFAIL', NXDOMAIN: 'ELYING', NOERROR: 'ENODATA' };
  return { address: null, reason: codes[facts.echoes[0]?.status ?? ''] ?? 'ETIMEOUT' };
}

export function judgePolicyList(address: string | null, zone: string, probes: ReadonlyMap<string, DnsLine>): PolicyListFinding {
  const base = { zone, address, answers: [] as string[] };
  if (address === null) return { ...base, status: 'unknown', reason: 'no-address' };
  const parsed = parseIpAddress(address);
  if (!parsed.ok) return { ...base, status: 'unknown', reason: 'no-address' };
  // IPv6 is asked in the nibble form; the list's IPv4 test entry still says whether it answers here.
  const own = probes.get(blocklistQueryName(parsed.value.address, zone).toLowerCase());
  const testPoint = probes.get(`2.0.0.127.${zone}`.toLowerCase());
  const answers = own?.answers ?? [];
  const judged = classifyBlocklistAnswer(answers);
  const testJudged = classifyBlocklistAnswer(testPoint?.answers ?? []);
  if (judged.kind === 'refused' || testJudged.kind === 'refused') return { ...base, answers: [...answers, ...(testPoint?.answers ?? [])], status: 'unknown', reason: 'refused' };
  const answeredOwn = own !== undefined && (own.status === 'NOERROR' || own.status === 'NXDOMAIN');
  if (!answeredOwn) return { ...base, status: 'unknown', reason: `no-answer:${own?.status ?? 'TIMEOUT'}` };
  if (judged.kind === 'listed') return { ...base, answers, status: 'listed', reason: null };
  // Not listed counts only when the list works here: its RFC 5782 test entry must be listed.
  if (judged.kind === 'clear' && testJudged.kind === 'listed') return { ...base, answers, status: 'not-listed', reason: null };
  return { ...base, answers, status: 'unknown', reason: `no-answer:${testPoint?.status ?? 'TIMEOUT'}` };
}

function policyCheck(finding: PolicyListFinding): Check {
  const { zone, address } = finding;
  const base = {
    id: 'policy',
    area: 'blocklist' as const,
    title: address === null ? checkText('outPolicyTitleNoAddress', { zone }) : checkText('outPolicyTitle', { address, zone }),
    expected: checkText('outPolicyExpected'),
  };
  const codes = finding.answers.join(', ');
  if (finding.status === 'listed') return makeCheck({ ...base, status: 'fail', found: checkText('outPolicyListed', { codes }), fix: checkText('outPolicyFixListed') });
  if (finding.status === 'not-listed') return makeCheck({ ...base, status: 'pass', found: checkText('outPolicyNotListed', { zone, address: address ?? '' }) });
  const reason = finding.reason ?? '';
  if (reason === 'no-address') return makeCheck({ ...base, status: 'unknown', found: checkText('outPolicyNoAddress') });
  if (reason === 'refused') return makeCheck({ ...base, status: 'unknown', found: checkText('outPolicyRefused', { zone, codes }), fix: checkText('outPolicyFixRefused') });
  return makeCheck({ ...base, status: 'unknown', found: checkText('outPolicyNoAnswer', { zone, status: reason.replace(/^no-answer:/, '') }) });
}

const GENERIC_WORDS = /(^|[^a-z])(dynamic|dyn|dhcp|dialup|dial|dsl|adsl|vdsl|ppp|pppoe|pool|cable|broadband|bband|customer|cust|client|res|residential|home|user|ipngn|ftth|flets|fiber)([^a-z]|\d|$)/i;

/** Why a name looks generic, as a code (`words.checks.reason.<reason>`, filled with the word found). */
export interface GenericReason {
  reason: 'genericWord' | 'addressInName';
  word?: string;
}

/**
 * Whether a reverse name looks like an access line's generic name: a dynamic/pool word, or
 * the address itself written into it (two or more of its numbers as labels, or all four
 * run together, as in p1234-ipngn…, 203-0-113-5.example.net, softbank203000113005.bbtec.net).
 */
export function genericReason(name: string, address: string | null): GenericReason | null {
  const word = GENERIC_WORDS.exec(name);
  if (word) return { reason: 'genericWord', word: word[2] ?? '' };
  const parsed = address === null ? null : parseIpAddress(address);
  if (parsed?.ok && parsed.value.version === 4) {
    const octets = parsed.value.address.split('.');
    const tokens = name.toLowerCase().split(/[^a-z0-9]+/).flatMap((t) => [t, ...(t.match(/\d+/g) ?? [])]);
    const present = octets.filter((o, i) => octets.indexOf(o) === i && tokens.includes(o)).length;
    const joined = [octets.join(''), octets.map((o) => o.padStart(3, '0')).join(''), octets.map((o) => Number(o).toString(16).padStart(2, '0')).join('')];
    if (present >= 3 || (present >= 2 && octets.length === 4 && tokens.includes(octets[3] as string) && tokens.includes(octets[2] as string))) return { reason: 'addressInName' };
    if (joined.some((j) => name.toLowerCase().includes(j))) return { reason: 'addressInName' };
  }
  return null;
}

function sameAddress(a: string, b: string): boolean {
  const x = parseIpAddress(a);
  const y = parseIpAddress(b);
  return x.ok && y.ok ? x.value.address === y.value.address : a === b;
}

export function judgeReverseName(facts: OutboundFacts, address: string | null): ReverseNameFinding {
  const names = facts.ptr && address !== null && sameAddress(facts.ptr.address, address) ? facts.ptr.line.answers.map((n) => n.replace(/\.$/, '').toLowerCase()) : [];
  const resolvesTo = (name: string | null) => (name === null ? [] : (facts.forward.get(name.toLowerCase())?.answers ?? []));
  const myhostname = facts.settings.myhostname ?? null;
  const heloName = facts.settings.smtp_helo_name ?? myhostname;
  const matches = (name: string | null) => (address === null || name === null ? null : resolvesTo(name).some((a) => sameAddress(a, address)));
  return {
    address,
    names,
    generic: names.some((n) => genericReason(n, address) !== null),
    forwardConfirmed: address === null || names.length === 0 ? null : names.some((n) => resolvesTo(n).some((a) => sameAddress(a, address))),
    myhostname,
    heloName,
    myhostnameMatches: matches(myhostname),
    heloMatches: matches(heloName),
  };
}

function nameChecks(finding: ReverseNameFinding, facts: OutboundFacts): Check[] {
  const checks: Check[] = [];
  const { address } = finding;
  for (const name of finding.names) {
    const generic = genericReason(name, address);
    const base = { id: `reverse.generic:${name}`, area: 'ptr' as const, title: checkText('outGenericTitle', { name }), expected: checkText('outGenericExpected') };
    checks.push(
      generic === null
        ? makeCheck({ ...base, status: 'pass', found: checkText('outGenericOwn') })
        : makeCheck({ ...base, status: 'warn', found: checkText('outGenericFound', { ...generic }), fix: checkText('outGenericFix') }),
    );
  }
  const distinct = [...new Set([finding.myhostname, finding.heloName].filter((n): n is string => n !== null && n !== ''))];
  for (const name of distinct) {
    const both = finding.myhostname === finding.heloName;
    const title = both ? checkText('outMyhostnameHeloTitle', { name }) : name === finding.myhostname ? checkText('outMyhostnameTitle', { name }) : checkText('outHeloTitle', { name });
    const id = both ? 'names.myhostname' : name === finding.myhostname ? 'names.myhostname' : 'names.helo';
    if (address === null) {
      checks.push(makeCheck({ id, area: 'ptr', title, status: 'unknown', found: checkText('outNameUnknown') }));
      continue;
    }
    const base = { id, area: 'ptr' as const, title, expected: checkText('outNameExpected', { address }) };
    const forward = facts.forward.get(name.toLowerCase())?.answers ?? [];
    if (!forward.some((a) => sameAddress(a, address))) {
      checks.push(
        makeCheck({
          ...base,
          status: 'fail',
          found: checkText('outNameForwardOther', { name, forward: forward.join(', ') || 'nothing', address }),
          fix: checkText('outNameFixForward', { name, address }),
        }),
      );
    } else if (!finding.names.includes(name.toLowerCase())) {
      const ptr = finding.names.join(', ') || 'none';
      checks.push(makeCheck({ ...base, status: 'warn', found: checkText('outNameReverseOther', { name, address, ptr }), fix: checkText('outNameFixReverse', { name, ptr }) }));
    } else {
      checks.push(makeCheck({ ...base, status: 'pass', found: checkText('outNameAgrees', { name, address }) }));
    }
  }
  return checks;
}


export function judgeTls(facts: OutboundFacts): TlsFinding {
  return {
    outboundLevel: facts.settings.smtp_tls_security_level ?? '',
    inboundStarttls: facts.starttls === 'offered' ? true : facts.starttls === 'not-offered' ? false : null,
  };
}

function tlsChecks(tls: TlsFinding, facts: OutboundFacts): Check[] {
  const level = tls.outboundLevel;
  const outBase = { id: 'tls.outbound', area: 'tls' as const, title: checkText('outTlsOutTitle'), expected: checkText('outTlsOutExpected') };
  const out = TLS_AT_LEAST_MAY.has(level)
    ? makeCheck({ ...outBase, status: 'pass', found: checkText('outTlsOutFound', { level }) })
    : makeCheck({ ...outBase, status: 'fail', found: level === '' ? checkText('outTlsOutUnset') : checkText('outTlsOutFound', { level }), fix: checkText('outTlsOutFix') });
  const inBase = { id: 'tls.inbound', area: 'tls' as const, title: checkText('outTlsInTitle'), expected: checkText('outTlsInExpected') };
  const inbound =
    facts.starttls === 'offered'
      ? makeCheck({ ...inBase, status: 'pass', found: checkText('outTlsInOffered') })
      : facts.starttls === 'not-offered'
        ? makeCheck({ ...inBase, status: 'fail', found: checkText('outTlsInNotOffered'), fix: checkText('outTlsInFix') })
        : facts.starttls === 'no-openssl'
          ? makeCheck({ ...inBase, status: 'unknown', found: checkText('outTlsInNoOpenssl') })
          : facts.smtpd !== null && facts.smtpd.connect === null
            ? makeCheck({ ...inBase, status: 'unknown', found: checkText('outTlsInNotOnPort25', { services: facts.smtpd.services.join(', ') || '-' }) })
            : makeCheck({ ...inBase, status: 'unknown', found: checkText('outTlsInUnreachable', { address: facts.smtpd?.connect ?? '-' }) });
  return [out, inbound];
}

/** The name senders connect to: the mail domain's MX that is this server (myhostname), else its first MX, else myhostname. */
export function expectedCertificateName(facts: OutboundFacts): string | null {
  const myhostname = facts.settings.myhostname?.toLowerCase() ?? null;
  const hosts = mxHosts(facts.mailMx);
  if (myhostname !== null && hosts.includes(myhostname)) return myhostname;
  return hosts[0] ?? myhostname;
}

function certificateChecks(report: OutboundReport['certificate']): Check[] {
  const name = report.expectedName ?? '';
  const base = { area: 'tls' as const, title: checkText('outCertTitle'), expected: checkText('outCertExpected', { name }) };
  const cert = report.presented;
  if (cert === null) return [makeCheck({ ...base, id: 'certificate', status: 'unknown', found: checkText('outCertNone') })];
  const names = cert.names.join(', ') || '(none)';
  const le = report.letsEncrypt;
  const replace = le ? checkText('outCertFixLetsEncrypt', { name, privkey: le.privkey, fullchain: le.fullchain }) : checkText('outCertFixGet', { name });
  const checks: Check[] = [];
  for (const problem of report.problems) {
    const id = `certificate.${problem}`;
    if (problem === 'snakeoil') checks.push(makeCheck({ ...base, id, status: 'warn', found: checkText('outCertSnakeoil', { names }), fix: replace }));
    if (problem === 'self-signed') checks.push(makeCheck({ ...base, id, status: 'warn', found: checkText('outCertSelfSigned', { subject: cert.subject }), fix: replace }));
    if (problem === 'name-mismatch') checks.push(makeCheck({ ...base, id, status: 'fail', found: checkText('outCertMismatch', { names, name }), fix: replace }));
    if (problem === 'expired') checks.push(makeCheck({ ...base, id, status: 'fail', found: checkText('outCertExpired', { notAfter: cert.notAfter.slice(0, 10) }), fix: checkText('outCertFixRenew') }));
    if (problem === 'expiring') {
      checks.push(makeCheck({ ...base, id, status: 'fail', found: checkText('outCertExpiring', { notAfter: cert.notAfter.slice(0, 10), days: cert.daysLeft }), fix: checkText('outCertFixRenew') }));
    }
    if (problem === 'chain-incomplete') checks.push(makeCheck({ ...base, id, status: 'fail', found: checkText('outCertChain', { verify: report.verifyText ?? String(report.verifyCode) }), fix: checkText('outCertFixChain') }));
  }
  if (checks.length === 0) {
    checks.push(makeCheck({ ...base, id: 'certificate', status: 'pass', found: checkText('outCertOk', { subject: cert.subject, names, notAfter: cert.notAfter.slice(0, 10), days: cert.daysLeft }) }));
  }
  return checks;
}

export function judgeRelay(settings: Readonly<Record<string, string>>): RelayFinding {
  const value = (name: string) => (settings[name] ?? '').trim() || null;
  return {
    relayhost: value('relayhost'),
    saslEnabled: value('smtp_sasl_auth_enable') === 'yes',
    saslPasswordMaps: value('smtp_sasl_password_maps'),
    saslSecurityOptions: value('smtp_sasl_security_options'),
    senderDependentRelayhostMaps: value('sender_dependent_relayhost_maps'),
  };
}

function relayCheck(relay: RelayFinding, port25: Port25Finding): Check {
  const base = { id: 'relay', area: 'relay' as const, title: checkText('outRelayTitle'), expected: checkText('outRelayExpected') };
  if (relay.relayhost !== null) {
    const found = relay.saslEnabled
      ? checkText('outRelaySasl', { relayhost: relay.relayhost, maps: relay.saslPasswordMaps ?? '' })
      : checkText('outRelayNoSasl', { relayhost: relay.relayhost });
    return makeCheck({ ...base, status: 'pass', found });
  }
  if (relay.senderDependentRelayhostMaps !== null) return makeCheck({ ...base, status: 'pass', found: checkText('outRelayDependent', { maps: relay.senderDependentRelayhostMaps }) });
  if (port25.status === 'blocked') return makeCheck({ ...base, status: 'fail', found: checkText('outRelayNone'), fix: checkText('outRelayFixBlocked') });
  return makeCheck({ ...base, status: 'pass', found: checkText('outRelayNone') });
}

export interface JudgeOptions {
  probeDomain: string;
  policyZone: string;
  echoes: readonly AddressEcho[];
  now: Date;
  roundTrips: number;
}

export async function judgeOutbound(facts: OutboundFacts, options: JudgeOptions): Promise<OutboundReport> {
  const port25 = judgePort25(facts, options.probeDomain);
  const discovery = discoverFromEchoes(facts, options.echoes);
  const address = discovery.address;
  const policyListed = judgePolicyList(address, options.policyZone, facts.policy);
  const reverse = judgeReverseName(facts, address);
  const tls = judgeTls(facts);
  const snakeoilPath = facts.platform?.tls.snakeoilCertificate ?? null;
  const certificate = judgeCertificate({
    chain: facts.chain,
    verifyCode: facts.verify?.code ?? null,
    verifyText: facts.verify?.text ?? null,
    expectedName: expectedCertificateName(facts),
    configuredFile: facts.settings.smtpd_tls_chain_files?.trim() || facts.settings.smtpd_tls_cert_file?.trim() || null,
    snakeoil: facts.snakeoil,
    snakeoilPath,
    letsEncrypt: facts.letsEncrypt,
    now: options.now,
  });
  const relay = judgeRelay(facts.settings);
  const ptr = await reverseDnsCheck(facts, address);
  const checks: Check[] = [port25Check(port25, facts, relay), { ...publicAddressCheck(discovery, [], []), fix: null }, policyCheck(policyListed), ...(ptr ? [ptr] : []), ...nameChecks(reverse, facts), ...tlsChecks(tls, facts), ...certificateChecks(certificate), relayCheck(relay, port25)];
  const statuses: CheckStatus[] = checks.map((c) => c.status);
  return {
    port25: port25.status,
    port25Probe: port25,
    publicAddress: address ?? 'unknown',
    publicAddressVia: discovery.address === null ? null : discovery.via,
    policyListed,
    reverseName: reverse,
    tls,
    certificate,
    relay,
    relaySpf: null,
    senderDependentRelays: null,
    checks,
    ok: !statuses.includes('fail') && !statuses.includes('warn'),
    roundTrips: options.roundTrips,
  };
}

/** The forward-confirmed PTR check of verify (same sentences), judged from the server's own answers. */
export async function reverseDnsCheck(facts: OutboundFacts, address: string | null): Promise<Check | null> {
  if (address === null) return null;
  const lookup: Lookup = async <T extends RecordType>(name: string, type: T) => {
    const key = name.replace(/\.$/, '').toLowerCase();
    if (type === 'PTR') return asDnsAnswer<T>(reverseName(address) === key ? facts.ptr?.line : undefined);
    const line = facts.forward.get(key);
    const version = type === 'A' ? 4 : 6;
    const ofFamily = (a: string) => {
      const parsed = parseIpAddress(a);
      return parsed.ok && parsed.value.version === version;
    };
    return asDnsAnswer<T>(line ? { status: line.status, answers: line.answers.filter(ofFamily) } : undefined);
  };
  return ptrCheck(address, lookup);
}
