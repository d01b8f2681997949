/**
 * OpenDKIM's KeyTable, SigningTable and trusted-hosts list: small line-based datasets read as
 * OpenDKIM reads a `file:`/`refile:` dataset (a `#` anywhere starts a comment; the first
 * field is the key, the next the value; the first line of a key is the one used) and edited
 * so that unrelated lines, comments and order stay as they were.
 */

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

function join(out: string[]): string {
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function fields(line: string): string[] {
  if (/^\s*(#|$)/.test(line)) return [];
  return line.replace(/#.*$/, '').trim().split(/\s+/);
}

export interface KeyTableEntry {
  /** The key's name in the tables: `SELECTOR._domainkey.DOMAIN`. */
  name: string;
  domain: string;
  selector: string;
  keyPath: string;
  /** Per-key signing algorithm (fourth field), only for OpenDKIM builds after 2.11.0 Beta2. */
  algorithm?: string;
}

export function keyTableValue(entry: KeyTableEntry): string {
  return `${entry.domain}:${entry.selector}:${entry.keyPath}${entry.algorithm === undefined ? '' : `:${entry.algorithm}`}`;
}

/** `domain:selector:path[:algorithm]` → its parts, or null when it is not one. */
export function parseKeyTableValue(name: string, value: string): KeyTableEntry | null {
  const [domain, selector, keyPath, algorithm, ...extra] = value.split(':');
  if (!domain || !selector || !keyPath || extra.length > 0) return null;
  return { name, domain, selector, keyPath, ...(algorithm === undefined ? {} : { algorithm }) };
}

/** The KeyTable's entries OpenDKIM uses, in file order. */
export function readKeyTableEntries(text: string): KeyTableEntry[] {
  return [...readKeyTable(text)].flatMap(([name, value]) => parseKeyTableValue(name, value) ?? []);
}

/** KeyTable lines as `name → domain:selector:path`. */
export function readKeyTable(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(text)) {
    const [name, value] = fields(line);
    if (name !== undefined && value !== undefined && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** Adds or corrects each entry; other keys stay (rotation keeps the old key usable). */
export function editKeyTable(text: string, entries: readonly KeyTableEntry[]): string {
  const out = lines(text);
  for (const entry of entries) {
    const value = keyTableValue(entry);
    const at = out.findIndex((l) => fields(l)[0] === entry.name);
    if (at < 0) out.push(`${entry.name} ${value}`);
    else if (fields(out[at] as string)[1] !== value) out[at] = `${entry.name} ${value}`;
  }
  return join(out);
}

/** Removes a KeyTable entry by name (a rotation's old key, once its file is gone); other lines stay. */
export function removeKeyTableEntry(text: string, name: string): string {
  return join(lines(text).filter((l) => fields(l)[0] !== name));
}

/** The key names the SigningTable gives one domain (`*@DOMAIN` with refile:, the domain itself otherwise), in order. */
export function readSigningKeys(text: string, domain: string, refile: boolean): string[] {
  const pattern = (refile ? `*@${domain}` : domain).toLowerCase();
  return lines(text).flatMap((l) => {
    const [key, value] = fields(l);
    return key?.toLowerCase() === pattern && value !== undefined ? [value] : [];
  });
}

/**
 * Sets the signing entries of one domain: with `refile:` the pattern is `*@DOMAIN`, with a
 * plain file the domain itself. Earlier entries of that exact pattern (an older selector)
 * are replaced where the first one stood; every other line stays.
 */
export function editSigningTable(text: string, domain: string, keyNames: readonly string[], refile: boolean): string {
  const pattern = refile ? `*@${domain}` : domain;
  const wanted = keyNames.map((k) => `${pattern} ${k}`);
  const current = lines(text);
  const matches = current.map((l, i) => (fields(l)[0]?.toLowerCase() === pattern.toLowerCase() ? i : -1)).filter((i) => i >= 0);
  const currentValues = matches.map((i) => fields(current[i] as string).join(' '));
  if (currentValues.length === wanted.length && currentValues.every((v, i) => v === wanted[i])) return join(current);
  const out: string[] = [];
  let placed = false;
  current.forEach((line, i) => {
    if (!matches.includes(i)) {
      out.push(line);
      return;
    }
    if (!placed) out.push(...wanted);
    placed = true;
  });
  if (!placed) out.push(...wanted);
  return join(out);
}

/** Adds hosts/networks missing from a peer list (InternalHosts / ExternalIgnoreList). */
export function editHostList(text: string, hosts: readonly string[]): string {
  const out = lines(text);
  const present = new Set(out.flatMap((l) => fields(l)).map((h) => h.toLowerCase()));
  for (const host of hosts) if (!present.has(host.toLowerCase())) out.push(host);
  return join(out);
}

/** mynetworks entries as an OpenDKIM peer list accepts them (no brackets, no tables). */
export function peersFromMynetworks(mynetworks: string | undefined): string[] {
  const base = ['127.0.0.1', '::1', 'localhost'];
  if (mynetworks === undefined) return base;
  const extra = mynetworks
    .split(/[\s,]+/)
    .filter((t) => t !== '' && !t.includes('$') && !/^[a-z]+:/i.test(t) && !t.startsWith('/'))
    .map((t) => t.replace(/^\[([^\]]+)\](\/\d+)?$/, '$1$2'))
    .filter((t) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(t));
  return [...new Set([...base, ...extra])];
}
