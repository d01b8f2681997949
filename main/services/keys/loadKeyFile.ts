import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { badInput, HomemailError, type ErrorSentence } from '../../../shared/errors.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow, problem, type TextParams, type ValidationMessageKey } from '../../../shared/validation/problem.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import type { DkimKey } from './dkimKey.js';

/** A key file is a few kilobytes; anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface DkimKeySpec {
  selector: string;
  file: string;
}

/**
 * `--dkim S:FILE`: the selector before the first ":", the file after it (so `C:\keys\s.pem`
 * style paths keep their own colons). The selector is validated here.
 */
export function parseDkimSpec(value: string): DkimKeySpec {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    throw badInput('dkim', problem('dkimSpec', { value }));
  }
  return { selector: orThrow('dkim', normalizeSelector(value.slice(0, colon))), file: value.slice(colon + 1) };
}

function unreadable(file: string, why: ValidationMessageKey, params: TextParams = {}, hint?: ErrorSentence) {
  return badInput('dkim', problem(why, { ...params, file }), hint);
}

/**
 * Reads a DKIM private key file (PEM: PKCS#1 or PKCS#8 RSA, PKCS#8 Ed25519) and derives its
 * public key. Refuses, naming the file and what to do: missing or unreadable files,
 * encrypted keys (OpenDKIM cannot use them), public keys, certificates, SSH keys, other key
 * types, and RSA keys under 1024 bits (RFC 8301: verifiers must not accept them).
 */
export async function loadDkimKeyFile(selector: string, file: string, domain: string): Promise<DkimKey> {
  const normalizedSelector = orThrow('dkim', normalizeSelector(selector));
  const normalizedDomain = orThrow('domain', normalizeDomain(domain));
  let text: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw unreadable(file, 'keyFileFolder');
    if (info.size > MAX_KEY_FILE_BYTES) throw unreadable(file, 'keyFileTooLarge');
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof HomemailError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw unreadable(file, 'keyFileMissing', {}, { key: 'keyFileWritten', params: {} });
    if (code === 'EACCES' || code === 'EPERM') throw unreadable(file, 'keyFilePermission', {}, { key: 'keyFileReadable', params: {} });
    throw unreadable(file, 'keyFileError', { code: code ?? '?' });
  }
  return parseDkimPrivateKeyPem(normalizedSelector, normalizedDomain, text, file);
}

/** The same checks for PEM text already in memory (`source` names it in messages). */
export function parseDkimPrivateKeyPem(selector: string, domain: string, text: string, source = `${selector}.private`): DkimKey {
  if (/ENCRYPTED/.test(text)) {
    throw unreadable(source, 'keyEncrypted', {}, { key: 'decryptKey', params: { file: source, selector } });
  }
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(text)) throw unreadable(source, 'keyIsSsh', {}, { key: 'giveDkimPrivate', params: {} });
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) throw unreadable(source, 'keyIsPublicOnly', {}, { key: 'giveDkimPrivate', params: {} });
  if (/-----BEGIN CERTIFICATE-----/.test(text)) throw unreadable(source, 'keyIsCertificate');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) throw unreadable(source, 'keyNotPem');

  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw unreadable(source, 'keyDamaged');
  }
  const publicKey = createPublicKey(key);
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024) throw unreadable(source, 'keyRsaTooShort', { bits }, { key: 'generate2048', params: {} });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    return { domain, selector, type: 'rsa', bits, privateKeyPem: pemOnly(text), publicKeyBase64: spki.toString('base64') };
  }
  if (key.asymmetricKeyType === 'ed25519') {
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    return { domain, selector, type: 'ed25519', privateKeyPem: pemOnly(text), publicKeyBase64: spki.subarray(-32).toString('base64') };
  }
  throw unreadable(source, 'keyTypeUnsupported', { type: key.asymmetricKeyType ?? '?' });
}

/** The PEM block itself, with Unix line ends and one final newline (what OpenDKIM reads). */
function pemOnly(text: string): string {
  const match = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/.exec(text.replace(/\r\n/g, '\n'));
  return `${(match?.[0] ?? text).trim()}\n`;
}
