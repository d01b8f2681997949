import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { HomemailError } from '../../../shared/errors.js';

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
export async function loadPrivateKey(file: string, passphrase: string | undefined, alreadyRead?: string): Promise<ParsedKey> {
  let text: string;
  try {
    text = alreadyRead ?? (await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new HomemailError('bad-input', code === 'ENOENT' ? `The private key file ${file} does not exist.` : `Cannot read the private key file ${file}: ${code}.`, {
      details: { field: 'identity', path: file },
      hint: 'Check the path of the key file (~ stands for your home folder).',
    });
  }
  const encrypted = isEncrypted(text);
  if (encrypted && passphrase === undefined) {
    throw new HomemailError('auth-failed', `The private key ${file} is protected by a passphrase.`, {
      details: { reason: 'needs-passphrase', path: file },
      hint: 'Give the passphrase on standard input with --password-stdin, or load the key into ssh-agent.',
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
    throw new HomemailError('auth-failed', wrongPass ? `The passphrase for the private key ${file} is wrong.` : `The file ${file} is not a private key Homemail can read (${parsed.message}).`, {
      details: { reason: wrongPass ? 'wrong-passphrase' : 'unreadable', path: file },
      hint: wrongPass ? 'Check the passphrase and try again.' : 'Use an OpenSSH or PEM private key (RSA, ECDSA or Ed25519).',
    });
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) {
    throw new HomemailError('bad-input', `The file ${file} holds a public key, not a private key.`, { details: { field: 'identity' }, hint: 'Give the private key (without .pub) with -i.' });
  }
  return key;
}
