import { createHash } from 'node:crypto';

/** A server's public host key as the SSH wire format carries it, with what a person is shown. */
export interface HostKeyInfo {
  /** Algorithm name inside the blob: "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", … */
  algorithm: string;
  /** As `ssh-keygen -lf` labels it: "ED25519", "RSA", "ECDSA", "DSA". */
  keyType: string;
  bits: number | null;
  /** `SHA256:` + unpadded base64 of the blob's SHA-256, exactly as OpenSSH prints it. */
  fingerprint: string;
  /** Base64 of the blob, as known_hosts stores it. */
  base64: string;
}

function readString(blob: Buffer, offset: number): { value: Buffer; next: number } | null {
  if (offset + 4 > blob.length) return null;
  const length = blob.readUInt32BE(offset);
  if (offset + 4 + length > blob.length) return null;
  return { value: blob.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length };
}

function mpintBits(value: Buffer): number {
  let start = 0;
  while (start < value.length && value[start] === 0) start += 1;
  if (start === value.length) return 0;
  const first = value[start] ?? 0;
  return (value.length - start - 1) * 8 + (32 - Math.clz32(first));
}

export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function describeHostKey(blob: Buffer): HostKeyInfo {
  const algorithmField = readString(blob, 0);
  const algorithm = algorithmField ? algorithmField.value.toString('latin1') : 'unknown';
  let keyType = algorithm.toUpperCase();
  let bits: number | null = null;
  if (algorithm === 'ssh-ed25519') {
    keyType = 'ED25519';
    bits = 256;
  } else if (algorithm === 'ssh-rsa' && algorithmField) {
    keyType = 'RSA';
    const exponent = readString(blob, algorithmField.next);
    const modulus = exponent ? readString(blob, exponent.next) : null;
    bits = modulus ? mpintBits(modulus.value) : null;
  } else if (algorithm.startsWith('ecdsa-sha2-nistp')) {
    keyType = 'ECDSA';
    bits = Number(algorithm.slice('ecdsa-sha2-nistp'.length)) || null;
  } else if (algorithm === 'ssh-dss' && algorithmField) {
    keyType = 'DSA';
    const p = readString(blob, algorithmField.next);
    bits = p ? mpintBits(p.value) : null;
  }
  return { algorithm, keyType, bits, fingerprint: sha256Fingerprint(blob), base64: blob.toString('base64') };
}

/** The `ssh-keygen -lf` line without the comment: `256 SHA256:… (ED25519)`. */
export function formatHostKey(info: HostKeyInfo): string {
  return `${info.bits ?? '?'} ${info.fingerprint} (${info.keyType})`;
}

/** Host key algorithms ssh2 may negotiate for a key stored under `algorithm` in known_hosts. */
export function negotiationNamesFor(algorithm: string): string[] {
  return algorithm === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [algorithm];
}
