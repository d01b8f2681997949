import { keyedError } from '../../../shared/errors.js';
import type { PortProbe, PortResult } from '../../../shared/outbound.js';
import { mainCfSettings } from '../../server/config/mainCf.js';
import { parseOsRelease } from '../../server/platform/osRelease.js';
import { findPlatform, PLATFORMS, type Platform } from '../../server/platform/platforms.js';
import { dnsblProbeScript, outboundProbeScript, smtpdListenerScript } from '../../server/scripts/index.js';
import { commandLine } from '../ssh/quote.js';
import { commandFailure } from '../ssh/commandFailure.js';
import type { RemoteSession } from '../ssh/types.js';
import type { DnsAnswer, RecordType } from '../verify/dnsClient.js';
import { addressEchoServers } from '../verify/publicAddress.js';

/**
 * The server side of `homemail outbound`: one round trip of outbound-probe.sh (as root, for
 * /etc/letsencrypt), parsed here into plain facts; classify.ts judges them.
 */

/** A DNS server that answers a name with the asker's address: the same services the desktop's check uses. */
export interface AddressEcho {
  server: string;
  name: string;
  type: 'A' | 'TXT';
  label: string;
}

export const defaultAddressEchoes: readonly AddressEcho[] = [
  { server: addressEchoServers.opendns.address, name: 'myip.opendns.com', type: 'A', label: addressEchoServers.opendns.label },
  { server: addressEchoServers.google.address, name: 'o-o.myaddr.l.google.com', type: 'TXT', label: addressEchoServers.google.label },
];

export const DEFAULT_PROBE_DOMAIN = 'gmail.com';
/** Spamhaus's combined zone; its PBL part answers 127.0.0.10 and 127.0.0.11. */
export const DEFAULT_POLICY_ZONE = 'zen.spamhaus.org';

export interface ProbeOptions {
  probeDomain: string;
  /** The person's mail domain: its MX names the certificate must carry. */
  mailDomain: string | null;
  policyZone: string;
  echoes: readonly AddressEcho[];
  /** Seconds to wait for a connection and its greeting. */
  seconds: number;
  signal?: AbortSignal;
}

export interface DnsLine {
  status: string;
  answers: string[];
}

export interface OutboundFacts {
  settings: Record<string, string>;
  hasDig: boolean;
  mx: DnsLine | null;
  mailMx: DnsLine | null;
  target: { host: string; address: string } | null;
  ports: Map<number, PortProbe>;
  echoes: Array<{ server: string; status: string; answer: string | null }>;
  ptr: { address: string; line: DnsLine } | null;
  forward: Map<string, DnsLine>;
  policy: Map<string, DnsLine>;
  /** Where smtpd takes port-25 mail (smtpd-listener.sh): the address asked for STARTTLS, or none on port 25. */
  smtpd: SmtpdListener | null;
  starttls: 'offered' | 'not-offered' | 'unreachable' | 'not-listening' | 'no-openssl' | null;
  verify: { code: number | null; text: string } | null;
  chain: string[];
  /** The platform row of the server's /etc/os-release (null: a release Homemail has no row for). */
  platform: Platform | null;
  /** Snake-oil certificates found at the platform rows' paths. */
  snakeoil: Map<string, string>;
  letsEncrypt: Array<{ directory: string; name: string; pem: string }>;
  /** The tables sender_dependent_relayhost_maps names: their source text (null: unreadable), or unsupported kinds. */
  relayMaps: Array<{ map: string; text: string | null; read: 'read' | 'unreadable' | 'unsupported' }>;
}

export type SmtpdListener = { connect: string; service: string } | { connect: null; services: string[] };

/** smtpd-listener.sh's line: `listener CONNECT SERVICE` or `none SERVICES` (comma-separated, `-` for none). */
export function parseSmtpdListener(line: string): SmtpdListener | null {
  const [kind, a, b] = line.trim().split(/\s+/);
  if (kind === 'listener' && a && b) return { connect: a, service: b };
  if (kind === 'none') return { connect: null, services: a === undefined || a === '-' ? [] : a.split(',') };
  return null;
}

const fromBase64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
const portResults: readonly PortResult[] = ['banner', 'silent', 'closed', 'timeout', 'refused', 'unreachable', 'error'];

/** PEM blocks of a text, in order. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

export function parseProbeOutput(out: string): OutboundFacts {
  if (!out.includes('HOMEMAIL-END')) throw keyedError('command-failed', { key: 'outboundProbeUnfinished', params: {} });
  const settings = mainCfSettings(out.slice(out.indexOf('HOMEMAIL-POSTCONF\n') + 18, out.indexOf('HOMEMAIL-FACTS\n')));
  const facts: OutboundFacts = {
    settings,
    hasDig: false,
    mx: null,
    mailMx: null,
    target: null,
    ports: new Map(),
    echoes: [],
    ptr: null,
    forward: new Map(),
    policy: new Map(),
    smtpd: null,
    starttls: null,
    verify: null,
    chain: [],
    platform: null,
    snakeoil: new Map(),
    letsEncrypt: [],
    relayMaps: [],
  };
  const body = out.slice(out.indexOf('HOMEMAIL-FACTS\n'));
  for (const line of body.split('\n')) {
    const [tag, ...f] = line.trim().split(/\s+/);
    const dnsLine = (status: string | undefined, answers: string[]): DnsLine => ({ status: status ?? 'TIMEOUT', answers: answers.filter((a) => a !== '') });
    switch (tag) {
      case 'dig':
        facts.hasDig = f[0] === 'yes';
        break;
      case 'mx':
        facts.mx = dnsLine(f[0], f.slice(1));
        break;
      case 'mailmx':
        facts.mailMx = dnsLine(f[0], f.slice(1));
        break;
      case 'target':
        if (f[0] && f[1]) facts.target = { host: f[0], address: f[1] };
        break;
      case 'port': {
        const port = Number(f[0]);
        const result = portResults.find((r) => r === f[1]) ?? 'error';
        const banner = fromBase64(f[2]).trim();
        facts.ports.set(port, { port, result, banner: result === 'banner' && banner !== '' ? banner.slice(0, 200) : null });
        break;
      }
      case 'echo':
        if (f[0]) facts.echoes.push({ server: f[0], status: f[1] ?? 'TIMEOUT', answer: f[2] ?? null });
        break;
      case 'ptr':
        if (f[0]) facts.ptr = { address: f[0], line: dnsLine(f[1], f.slice(2)) };
        break;
      case 'fwd':
        if (f[0]) facts.forward.set(f[0].toLowerCase(), dnsLine(f[1], f.slice(2)));
        break;
      case 'probe':
        if (f[0]) facts.policy.set(f[0].toLowerCase(), dnsLine(f[1], f.slice(2)));
        break;
      case 'smtpd':
        facts.smtpd = parseSmtpdListener(f.join(' '));
        break;
      case 'starttls':
        facts.starttls = f[0] === 'offered' || f[0] === 'not-offered' || f[0] === 'unreachable' || f[0] === 'not-listening' || f[0] === 'no-openssl' ? f[0] : null;
        break;
      case 'verify':
        facts.verify = { code: /^\d+$/.test(f[0] ?? '') ? Number(f[0]) : null, text: fromBase64(f[1]).trim() };
        break;
      case 'chain':
        facts.chain = pemBlocks(fromBase64(f[0]));
        break;
      case 'osrelease':
        facts.platform = findPlatform(parseOsRelease(fromBase64(f[0])));
        break;
      case 'snakeoil': {
        const pem = pemBlocks(fromBase64(f[1]))[0];
        if (f[0] && pem) facts.snakeoil.set(f[0], pem);
        break;
      }
      case 'le': {
        const pem = pemBlocks(fromBase64(f[2]))[0];
        if (f[0] && f[1] && pem) facts.letsEncrypt.push({ directory: f[0], name: f[1], pem });
        break;
      }
      case 'relaymap': {
        if (!f[0] || !f[1]) break;
        const map = `${f[0]}:${fromBase64(f[1])}`;
        const read = f[2] === '-' ? 'unreadable' : f[2] === '?' ? 'unsupported' : 'read';
        facts.relayMaps.push({ map, text: read === 'read' ? fromBase64(f[2]) : null, read });
        break;
      }
      default:
        break;
    }
  }
  return facts;
}

/** A script DNS line as the verify checks' answer type (so their PTR check reads it). */
export function asDnsAnswer<T extends RecordType>(line: DnsLine | undefined): DnsAnswer<T> {
  if (line === undefined) return { status: 'error', code: 'ETIMEOUT' };
  const records = line.answers.map((a) => a.replace(/\.$/, ''));
  if ((line.status === 'NOERROR' || line.status === 'FOUND') && records.length > 0) return { status: 'ok', records: records as never };
  if (line.status === 'NOERROR') return { status: 'nodata' };
  if (line.status === 'NXDOMAIN' || line.status === 'NOTFOUND') return { status: 'nxdomain' };
  return { status: 'error', code: line.status === 'SERVFAIL' ? 'ESERVFAIL' : line.status === 'REFUSED' ? 'EREFUSED' : 'ETIMEOUT' };
}

export async function runOutboundProbe(session: RemoteSession, options: ProbeOptions): Promise<OutboundFacts> {
  const args = [
    options.probeDomain,
    options.mailDomain ?? '',
    options.policyZone,
    String(options.seconds),
    smtpdListenerScript,
    [...new Set(PLATFORMS.map((p) => p.tls.snakeoilCertificate))].join(' '),
    [...new Set(PLATFORMS.map((p) => p.tls.letsEncryptLive))].join(' '),
    dnsblProbeScript,
    ...options.echoes.map((e) => `${e.server},${e.name},${e.type}`),
  ];
  const result = await session.exec(commandLine(['bash', '-c', outboundProbeScript, 'homemail-outbound', ...args]), {
    sudo: true,
    timeoutMs: 90_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!result.stdout.includes('HOMEMAIL-END')) {
    throw keyedError('command-failed', { key: 'outboundProbeFailed', params: {} }, commandFailure(result));
  }
  return parseProbeOutput(result.stdout);
}
