import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { keyedError, type HomemailError } from '../../../shared/errors.js';

const { utils } = ssh2;

function isEncrypted(text: string): boolean {
  return /Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(text) || (text.includes('BEGIN OPENSSH PRIVATE KEY') && !text.includes('AAAABG5vbmUAAAAEbm9uZQ'));
}

/** PKCS#8 PEM ("BEGIN PRIVATE KEY"), which ssh2 does not read, re-encoded as the PEM it does. */
function fromPkcs8(text: string, passphrase: string | undefined): string | null {
  if (!/BEGIN (ENCRYPTED )?PRIVATE KEY/.test(text)) return null;
  const key = createPrivateKey({ key: text, format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) });
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  if (key.asymmetricKeyType === 'ec') return key.export({ type: 'sec1', format: 'pem' }).toString();
  return null;
}

/**
 * Reads an SSH private key (OpenSSH or PEM, encrypted or not) for login. A passphrase that
 * is missing or wrong is an auth error that says so; the key stays in this process.
 */
/** A key file that could not be read (missing, or not readable), as the field it concerns. */
export function keyFileError(file: string, code: string): HomemailError {
  return keyedError('bad-input', code === 'ENOENT' ? { key: 'keyFileNotFound', params: { file } } : { key: 'keyFileUnreadable', params: { file, reason: code } }, {
    details: { field: 'identity', path: file },
    hint: { key: 'keyPath', params: {} },
  });
}

export async function loadPrivateKey(file: string, passphrase: string | undefined, alreadyRead?: string): Promise<ParsedKey> {
  let text: string;
  try {
    text = alreadyRead ?? (await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw keyFileError(file, code);
  }
  const encrypted = isEncrypted(text);
  if (encrypted && passphrase === undefined) {
    throw keyedError('auth-failed', { key: 'keyNeedsPassphrase', params: { file } }, {
      details: { reason: 'needs-passphrase', path: file },
      hint: { key: 'keyPassphrase', params: { field: 'passphrase' } },
    });
  }
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    const converted = fromPkcs8(text, passphrase);
    parsed = utils.parseKey(converted ?? text, passphrase);
  } catch (error) {
    parsed = error instanceof Error ? error : new Error(String(error));
  }
  if (parsed instanceof Error) {
    const wrongPass = encrypted || /decrypt|passphrase|bad password/i.test(parsed.message);
    throw keyedError('auth-failed', { key: wrongPass ? 'keyWrongPassphrase' : 'keyUnreadable', params: { file } }, {
      details: { reason: wrongPass ? 'wrong-passphrase' : 'unreadable', path: file },
      hint: { key: wrongPass ? 'checkPassphrase' : 'keyFormat', params: {} },
      cause: parsed,
    });
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) {
    throw keyedError('bad-input', { key: 'keyIsPublic', params: { file } }, { details: { field: 'identity' }, hint: { key: 'privateNotPublic', params: { field: 'identity' } } });
  }
  return key;
}
