/** How inspection names OpenDKIM's socket as a Postfix milter, and matches milters to it. */

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
