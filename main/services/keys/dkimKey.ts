import { createHash } from 'node:crypto';
import type { DkimKeyInfo } from '../../../shared/contract/records.js';
import type { DkimKeyType } from '../../../shared/records/types.js';

/**
 * A DKIM key pair in the main process. The private key never leaves it except to the
 * server (plan/apply) or to a 0600 file the person asked for (keygen).
 */
export interface DkimKey {
  /** Normalised (ASCII, lower case) domain and selector. */
  domain: string;
  selector: string;
  type: DkimKeyType;
  /** RSA modulus size; absent for Ed25519. */
  bits?: number;
  /** PEM: PKCS#1 `RSA PRIVATE KEY` for keys made here, whatever a loaded file held otherwise. */
  privateKeyPem: string;
  /** The DNS `p=` value: SPKI DER base64 (RSA), the raw 32-byte key base64 (Ed25519). */
  publicKeyBase64: string;
}

export const rsaKeySizes = [1024, 2048, 3072, 4096] as const;
export type RsaKeySize = (typeof rsaKeySizes)[number];
export const DEFAULT_RSA_BITS: RsaKeySize = 2048;

/** `SHA256:` and the unpadded base64 SHA-256 of the public key bytes (the p= value decoded), like OpenSSH prints. */
export function publicKeyFingerprint(publicKeyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** What may leave the main process: everything but the private key. */
export function publicInfo(keyId: string, key: DkimKey): DkimKeyInfo {
  return {
    keyId,
    domain: key.domain,
    selector: key.selector,
    type: key.type,
    ...(key.bits === undefined ? {} : { bits: key.bits }),
    publicKey: key.publicKeyBase64,
    fingerprint: publicKeyFingerprint(key.publicKeyBase64),
  };
}
