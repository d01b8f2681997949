import { badInput } from '../errors.js';
import { invalid, valid, type Validated } from '../validation/problem.js';
import { recordName } from './names.js';
import { splitDkimValue } from './txt.js';
import type { DkimKeyType, DnsRecord } from './types.js';

export interface DkimRecordInput {
  /** Normalised domain and selector (see shared/validation). */
  domain: string;
  selector: string;
  keyType: DkimKeyType;
  /** RSA: SubjectPublicKeyInfo DER in base64; Ed25519: the raw 32-byte key in base64 (RFC 8463). */
  publicKey: string;
  ttl: number;
  /** `t=y`: verifiers treat failures as if unsigned (for trying a key out). */
  testing?: boolean;
  /** `t=s`: the i= identity must be exactly the domain, not a subdomain. */
  noSubdomains?: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function dkimName(selector: string, domain: string): string {
  return recordName(`${selector}._domainkey`, domain);
}

/** Checks that `p=` has the right shape for its key type (full key checks need crypto: main does them). */
export function checkDkimPublicKey(keyType: DkimKeyType, publicKey: string): Validated<string> {
  const key = publicKey.replace(/\s+/g, '');
  if (!BASE64.test(key) || key.length % 4 !== 0) return invalid('publicKeyBase64');
  const bytes = (key.length / 4) * 3 - (key.endsWith('==') ? 2 : key.endsWith('=') ? 1 : 0);
  // Ed25519: the bare 32-byte key. RSA: a SubjectPublicKeyInfo, 162 bytes for 1024 bits.
  if (keyType === 'ed25519' ? bytes !== 32 : bytes < 162) return invalid('publicKeyLength', { type: keyType === 'rsa' ? 'RSA' : 'Ed25519', bytes });
  return valid(key);
}

/**
 * `S._domainkey.D TXT "v=DKIM1; h=sha256; k=rsa; p=…"`, tags in opendkim-genkey's order,
 * strings split as it splits them.
 */
export function buildDkimRecord(input: DkimRecordInput): DnsRecord {
  const key = checkDkimPublicKey(input.keyType, input.publicKey);
  if (!key.ok) throw badInput('dkim', key.problem);
  const flags = [input.testing ? 'y' : '', input.noSubdomains ? 's' : ''].filter(Boolean).join(':');
  const value = `v=DKIM1; h=sha256; k=${input.keyType}; ${flags ? `t=${flags}; ` : ''}p=${key.value}`;
  return {
    name: dkimName(input.selector, input.domain),
    type: 'TXT',
    ttl: input.ttl,
    value,
    strings: splitDkimValue(value),
    purpose: 'dkim',
    action: 'publish',
    zone: input.domain,
    selector: input.selector,
  };
}
