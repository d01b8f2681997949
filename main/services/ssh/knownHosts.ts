import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * OpenSSH's known_hosts format: `[marker] patterns keytype base64 [comment]`, where patterns
 * are comma-separated names with `*`/`?` wildcards and `!` negation, `[host]:port` for
 * non-22 ports, or one hashed `|1|salt|hash` entry. Homemail keeps its own file in this
 * format and can also read the person's ~/.ssh/known_hosts.
 */
export interface KnownHostEntry {
  marker: '@cert-authority' | '@revoked' | null;
  /** Raw pattern field (comma list or `|1|…`). */
  patterns: string;
  algorithm: string;
  /** Base64 of the key blob. */
  key: string;
  line: number;
  file: string;
}

export type HostKeyCheck =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; entries: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/** The name a host is recorded under: `host` for port 22, `[host]:port` otherwise. */
export function hostEntryName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@cert-authority' || fields[0] === '@revoked') marker = fields.shift() as KnownHostEntry['marker'];
    else if (fields[0]?.startsWith('@')) return;
    const [patterns, algorithm, key] = fields;
    if (!patterns || !algorithm || !key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return;
    entries.push({ marker, patterns, algorithm, key, line: index + 1, file });
  });
  return entries;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`, 'i');
  return regex.test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const digest = createHmac('sha1', Buffer.from(parts[2], 'base64')).update(name).digest('base64');
  return digest === parts[3];
}

/** Whether an entry's host patterns name this host and port (negations win, as in OpenSSH). */
export function entryMatchesHost(entry: Pick<KnownHostEntry, 'patterns'>, host: string, port: number): boolean {
  const name = hostEntryName(host, port);
  if (entry.patterns.startsWith('|')) return hashedMatch(entry.patterns, name);
  let matched = false;
  for (const pattern of entry.patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (wildcardMatch(body, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/**
 * Checks a presented key (algorithm + base64 blob) against the entries. Any entry for the
 * host with the same key: known. Entries for the host but none equal: changed — OpenSSH
 * refuses this, and so do we (the connection prefers the algorithms already recorded, so a
 * merely different key type is not mistaken for a change).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: string): HostKeyCheck {
  const forHost = entries.filter((entry) => entry.marker !== '@cert-authority' && entryMatchesHost(entry, host, port));
  const revoked = entries.find((entry) => entry.marker === '@revoked' && entry.key === key && entryMatchesHost(entry, host, port));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === null);
  const same = plain.find((entry) => entry.key === key);
  if (same) return { status: 'known', entry: same };
  return plain.length === 0 ? { status: 'unknown' } : { status: 'changed', entries: plain };
}

/** Key algorithms recorded for the host, to prefer in negotiation like OpenSSH does. */
export function knownAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === null && entryMatchesHost(e, host, port)).map((e) => e.algorithm))];
}

export async function readKnownHostsFile(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function knownHostsLine(host: string, port: number, algorithm: string, key: string): string {
  return `${hostEntryName(host, port)} ${algorithm} ${key}\n`;
}

/** Records an accepted key (folder 0700, file 0600; appended, never rewritten). */
export async function addKnownHost(file: string, host: string, port: number, algorithm: string, key: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = await readFile(file, 'utf8');
    if (existing !== '' && !existing.endsWith('\n')) prefix = '\n';
  } catch {
    // a new file
  }
  await appendFile(file, prefix + knownHostsLine(host, port, algorithm, key), { mode: 0o600 });
}

/**
 * Forgets every plain entry for this host and port in one of Homemail's own files (after the
 * person confirmed a new key out of band); other hosts, comments and markers stay. The file is
 * rewritten through a temporary file (0600). Returns how many entries went.
 */
export async function forgetKnownHost(file: string, host: string, port: number): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const drop = new Set(parseKnownHosts(text, file).filter((e) => e.marker === null && entryMatchesHost(e, host, port)).map((e) => e.line));
  if (drop.size === 0) return 0;
  const kept = text.split('\n').filter((_, index) => !drop.has(index + 1));
  const temporary = `${file}.homemail-${process.pid}`;
  await writeFile(temporary, kept.join('\n'), { mode: 0o600 });
  await rename(temporary, file);
  return drop.size;
}
