/** Pure parsers for OpenDKIM's configuration: opendkim.conf, KeyTable and SigningTable. */

/** `Key value` lines; keys compared case-insensitively (stored as written first), last wins. */
export function parseOpendkimConf(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const match = /^(\S+)\s+(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const lower = match[1].toLowerCase();
    const name = names.get(lower) ?? match[1];
    names.set(lower, name);
    settings[name] = (match[2] ?? '').trim();
  }
  return settings;
}

export function getSetting(settings: Record<string, string>, name: string): string | null {
  const key = Object.keys(settings).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : (settings[key] ?? null);
}

/** OpenDKIM booleans: yes/true/1/on. */
export function isTrue(value: string | null): boolean {
  return value !== null && /^(yes|true|1|on)$/i.test(value);
}

export interface KeyTableEntry {
  name: string;
  domain: string;
  selector: string;
  keyPath: string;
}

/** KeyTable lines: `name domain:selector:/path/to/key`. */
export function parseKeyTable(text: string): KeyTableEntry[] {
  return text.split(/\r?\n/).flatMap((raw) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const [name, value] = line.split(/\s+/);
    if (!name || !value) return [];
    const [domain, selector, ...rest] = value.split(':');
    if (!domain || !selector || rest.length === 0) return [];
    return [{ name, domain, selector, keyPath: rest.join(':') }];
  });
}

/** SigningTable lines: `pattern keyname`. */
export function parseSigningTable(text: string): Array<{ pattern: string; keyName: string }> {
  return text.split(/\r?\n/).flatMap((raw) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const [pattern, keyName] = line.split(/\s+/);
    return pattern && keyName ? [{ pattern, keyName }] : [];
  });
}

/**
 * OpenDKIM's Socket as Postfix names the milter: `inet:8892@localhost` → `inet:localhost:8892`,
 * `local:/run/x.sock` → `unix:/run/x.sock`.
 */
export function socketAsMilter(socket: string | null): string | null {
  if (socket === null || socket === '') return null;
  const inet = /^inet6?:(\d+)(?:@(.+))?$/.exec(socket);
  if (inet) {
    const host = inet[2] ?? '';
    const bracketed = host.startsWith('[') ? host : host.includes(':') ? `[${host}]` : host;
    return `inet:${bracketed === '' ? '127.0.0.1' : bracketed}:${inet[1]}`;
  }
  const local = /^(?:local|unix):(.+)$/.exec(socket);
  if (local) return `unix:${local[1]}`;
  if (socket.startsWith('/')) return `unix:${socket}`;
  return null;
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a Postfix milter value names the given OpenDKIM socket (localhost = 127.0.0.1). */
export function milterMatchesSocket(milter: string, socketMilter: string): boolean {
  const normalize = (value: string) => {
    const m = /^inet:(.+):(\d+)$/.exec(value.replace(/^\{\s*|\s*[,}].*$/g, '').trim());
    if (m) return `inet:${loopbackNames.has(m[1] ?? '') ? 'loopback' : m[1]}:${m[2]}`;
    return value.replace(/^local:/, 'unix:').trim();
  };
  const a = normalize(milter);
  const b = normalize(socketMilter);
  if (a === b) return true;
  // smtpd in a chroot names a unix socket relative to the queue directory
  return a.startsWith('unix:') && b.startsWith('unix:') && (b.endsWith(`/${a.slice(5).replace(/^\/+/, '')}`));
}
