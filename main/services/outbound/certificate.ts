import { X509Certificate } from 'node:crypto';
import type { CheckStatus } from '../../../shared/checks.js';
import type { CertificateFinding, CertificateProblem, CertificateSummary } from '../../../shared/outbound.js';
import { CERTIFICATE_WARNING_DAYS } from '../watch/detect.js';

/**
 * The certificate smtpd presents, judged as a sending server's peer would see it:
 * - snake-oil (the package's self-signed default) or another self-signed one: warn — mail
 *   between servers is encrypted with it, but nobody can check who holds it;
 * - not valid for the name senders connect to (the MX name), expired, expiring within
 *   CERTIFICATE_WARNING_DAYS (the watch's "expires soon"), or a chain that does not reach a
 *   trusted root (openssl's verify codes 2, 20, 21: an intermediate is missing): fail.
 */

const DAY_MS = 86_400_000;
/** openssl verify codes for a chain that stops before a trusted root. */
const CHAIN_INCOMPLETE_CODES = new Set([2, 20, 21]);
const SELF_SIGNED_CODES = new Set([18, 19]);

export function summarizeCertificate(pem: string, now: Date): CertificateSummary | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return null;
  }
  const san = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1]?.trim().toLowerCase();
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    names: san.length > 0 ? san : cn ? [cn] : [],
    notAfter: new Date(cert.validTo).toISOString(),
    daysLeft: Math.floor((new Date(cert.validTo).getTime() - now.getTime()) / DAY_MS),
    fingerprint256: cert.fingerprint256,
  };
}

/** RFC 6125 matching as X509Certificate.checkHost does it (wildcards in the left label only). */
export function certificateNames(pem: string, name: string): boolean {
  try {
    return new X509Certificate(pem).checkHost(name) !== undefined;
  } catch {
    return false;
  }
}

function isSelfSigned(pem: string): boolean {
  try {
    const cert = new X509Certificate(pem);
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export interface CertificateInput {
  /** The chain smtpd presented, leaf first ([] when none). */
  chain: readonly string[];
  verifyCode: number | null;
  verifyText: string | null;
  expectedName: string | null;
  configuredFile: string | null;
  /** The distribution's snake-oil certificate (path → PEM) where present. */
  snakeoil: ReadonlyMap<string, string>;
  snakeoilPath: string | null;
  letsEncrypt: ReadonlyArray<{ directory: string; name: string; pem: string }>;
  now: Date;
}

export function judgeCertificate(input: CertificateInput): CertificateFinding {
  const leaf = input.chain[0];
  const presented = leaf ? summarizeCertificate(leaf, input.now) : null;
  const problems: CertificateProblem[] = [];
  if (leaf && presented) {
    const snakeoilPrints = [...input.snakeoil.values()].map((pem) => summarizeCertificate(pem, input.now)?.fingerprint256);
    const snakeoil = snakeoilPrints.includes(presented.fingerprint256) || (input.snakeoilPath !== null && input.configuredFile === input.snakeoilPath);
    const selfSigned = isSelfSigned(leaf) || (input.verifyCode !== null && SELF_SIGNED_CODES.has(input.verifyCode));
    if (snakeoil) problems.push('snakeoil');
    else if (selfSigned) problems.push('self-signed');
    // A snake-oil certificate carries the install-time host name: replacing it is the one fix.
    if (!snakeoil && input.expectedName !== null && !certificateNames(leaf, input.expectedName)) problems.push('name-mismatch');
    if (presented.daysLeft < 0) problems.push('expired');
    else if (presented.daysLeft < CERTIFICATE_WARNING_DAYS) problems.push('expiring');
    if (!selfSigned && !snakeoil && input.verifyCode !== null && CHAIN_INCOMPLETE_CODES.has(input.verifyCode)) problems.push('chain-incomplete');
  }
  const failing: readonly CertificateProblem[] = ['name-mismatch', 'expired', 'expiring', 'chain-incomplete'];
  const status: CheckStatus = presented === null ? 'unknown' : problems.some((p) => failing.includes(p)) ? 'fail' : problems.length > 0 ? 'warn' : 'pass';
  const offer = input.expectedName === null ? undefined : input.letsEncrypt.find((le) => certificateNames(le.pem, input.expectedName as string) && (summarizeCertificate(le.pem, input.now)?.daysLeft ?? -1) >= 0);
  const offerSummary = offer ? summarizeCertificate(offer.pem, input.now) : null;
  return {
    status,
    presented,
    expectedName: input.expectedName,
    problems,
    verifyCode: input.verifyCode,
    verifyText: input.verifyText,
    configuredFile: input.configuredFile,
    letsEncrypt:
      offer && offerSummary
        ? {
            name: offer.name,
            certificate: `${offer.directory}/${offer.name}/cert.pem`,
            fullchain: `${offer.directory}/${offer.name}/fullchain.pem`,
            privkey: `${offer.directory}/${offer.name}/privkey.pem`,
            summary: offerSummary,
          }
        : null,
  };
}
