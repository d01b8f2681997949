import { constants } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { keyedError } from '../../../shared/errors.js';
import { buildDkimRecord } from '../../../shared/records/dkim.js';
import { dkimTxtFile } from '../../../shared/records/dkimTxtFile.js';
import { DEFAULT_TTL } from '../../../shared/records/recordSet.js';
import type { DkimKey } from './dkimKey.js';

export interface WrittenKeyFiles {
  privateKeyFile: string;
  txtFile: string;
}

/**
 * Writes `DIR/S.private` (the PEM, mode 0600) and `DIR/S.txt` (the record in
 * opendkim-genkey's layout), as opendkim-genkey does. Refuses to overwrite either file: the
 * check and the creation are one step (O_EXCL), and if the second file cannot be created
 * the first is removed again, so nothing is left half done.
 */
export async function writeDkimKeyFiles(dir: string, key: DkimKey): Promise<WrittenKeyFiles> {
  const privateKeyFile = path.join(dir, `${key.selector}.private`);
  const txtFile = path.join(dir, `${key.selector}.txt`);
  const record = buildDkimRecord({ domain: key.domain, selector: key.selector, keyType: key.type, publicKey: key.publicKeyBase64, ttl: DEFAULT_TTL });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await createExclusive(privateKeyFile, key.privateKeyPem, 0o600);
  try {
    await createExclusive(txtFile, dkimTxtFile(record), 0o644);
  } catch (error) {
    await unlink(privateKeyFile).catch(() => undefined);
    throw error;
  }
  return { privateKeyFile, txtFile };
}

async function createExclusive(file: string, content: string, mode: number): Promise<void> {
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw keyedError('bad-input', { key: 'keyFileExists', params: { file } }, { hint: { key: 'keyFileElsewhere', params: { field: 'out' } }, details: { field: 'out' } });
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw keyedError('bad-input', { key: 'keyFileDenied', params: { file } }, { hint: { key: 'writableFolder', params: { field: 'out' } }, details: { field: 'out' } });
    }
    throw error;
  }
  try {
    // The umask may only take bits away; set the mode exactly (0600 for the private key).
    await handle.chmod(mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
