import { createHash } from 'node:crypto';
import { keyedError } from '../../../shared/errors.js';
import { commandLine, shellQuote } from './quote.js';
import type { RemoteSession } from './types.js';

export interface RemoteFile {
  /** null when the file does not exist. */
  content: Buffer | null;
  sha256: string | null;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Reads a (root-owned) file in one round trip, checked against the server's sha256sum. */
export async function readRootFile(session: RemoteSession, file: string, options: { signal?: AbortSignal } = {}): Promise<RemoteFile> {
  const f = shellQuote(file);
  const script = `if [ ! -e ${f} ]; then echo missing; exit 0; fi; sha256sum < ${f} | cut -d' ' -f1 && base64 < ${f}`;
  const result = await session.exec(commandLine(['sh', '-c', script]), { sudo: true, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.code !== 0) throw keyedError('command-failed', { key: 'remoteFileUnreadable', params: { file, detail: result.stderr.trim() } });
  const [first = '', ...rest] = result.stdout.split('\n');
  if (first === 'missing') return { content: null, sha256: null };
  const content = Buffer.from(rest.join(''), 'base64');
  if (sha256(content) !== first.trim()) throw keyedError('command-failed', { key: 'remoteFileChanged', params: { file } }, { hint: { key: 'tryAgain', params: {} } });
  return { content, sha256: first.trim() };
}

export interface WriteOptions {
  /** For a new file (an existing one keeps its own): default root:root 0644. */
  owner?: string;
  group?: string;
  mode?: string;
  signal?: AbortSignal;
}

/**
 * Writes a (root-owned) file atomically in one round trip: the bytes go on stdin into a
 * temporary file beside the target, are checked by sha256, get the old file's owner and
 * mode (or the given ones), and replace the target with `mv` (atomic within a folder).
 */
export async function writeRootFile(session: RemoteSession, file: string, content: string | Buffer, options: WriteOptions = {}): Promise<{ sha256: string }> {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const expected = sha256(data);
  const mode = options.mode ?? '644';
  if (!/^[0-7]{3,4}$/.test(mode)) throw keyedError('bad-input', { key: 'notOctalMode', params: { mode } }, { details: { field: 'mode' } });
  const f = shellQuote(file);
  const owner = shellQuote(`${options.owner ?? 'root'}:${options.group ?? 'root'}`);
  const script = [
    'set -e',
    `dir=$(dirname -- ${f})`,
    'tmp=$(mktemp "$dir/.homemail.XXXXXX")',
    'trap \'rm -f "$tmp"\' EXIT',
    'cat > "$tmp"',
    `[ "$(sha256sum < "$tmp" | cut -d' ' -f1)" = ${expected} ] || { echo 'checksum mismatch' >&2; exit 3; }`,
    `if [ -e ${f} ]; then chown --reference=${f} "$tmp"; chmod --reference=${f} "$tmp"; else chown ${owner} "$tmp"; chmod ${mode} "$tmp"; fi`,
    `mv -f "$tmp" ${f}`,
    'trap - EXIT',
    `sha256sum < ${f} | cut -d' ' -f1`,
  ].join('\n');
  const result = await session.exec(commandLine(['sh', '-c', script]), { sudo: true, stdin: data, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.code !== 0 || result.stdout.trim() !== expected) {
    const detail = result.stderr.trim();
    throw keyedError('command-failed', detail === '' ? { key: 'remoteFileChecksum', params: { file } } : { key: 'remoteFileUnwritable', params: { file, detail } }, { hint: { key: 'nothingReplaced', params: {} } });
  }
  return { sha256: expected };
}
