import { createPublicKey } from 'node:crypto';

export interface PublicKeyInfo {
  type: 'rsa' | 'ed25519';
  bits: number;
}

/**
 * What a DKIM p= value holds: RSA keys are SubjectPublicKeyInfo DER (RFC 6376 §3.6.1),
 * Ed25519 keys the raw 32 bytes (RFC 8463 §4.2). Null when it is neither.
 */
export function describeDkimPublicKey(base64: string, keyType: string): PublicKeyInfo | null {
  const der = Buffer.from(base64, 'base64');
  if (keyType === 'ed25519') return der.length === 32 ? { type: 'ed25519', bits: 256 } : null;
  if (keyType !== 'rsa') return null;
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    return key.asymmetricKeyType === 'rsa' && bits ? { type: 'rsa', bits } : null;
  } catch {
    return null;
  }
}

/** A short, stable name for a public key in messages: its first and last characters. */
export function abbreviateKey(base64: string): string {
  return base64.length <= 24 ? base64 : `${base64.slice(0, 12)}…${base64.slice(-8)}`;
}
