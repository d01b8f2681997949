/**
 * OpenDKIM's `Socket` and the milter address Postfix must use to reach it, taking Postfix's
 * chroot into account (Debian chroots smtpd and cleanup in the queue directory).
 */
import { parseMasterCf } from './masterCf.js';

export type OpendkimSocket =
  | { kind: 'inet'; port: number; host: string | null }
  | { kind: 'local'; path: string };

/** Parses `inet:PORT[@HOST]`, `inet6:PORT[@HOST]`, `local:PATH`, `unix:PATH` or a bare path. */
export function parseOpendkimSocket(spec: string): OpendkimSocket | null {
  const s = spec.trim();
  const inet = /^inet6?:(\d{1,5})(?:@(.+))?$/i.exec(s);
  if (inet) {
    const port = Number(inet[1]);
    if (port < 1 || port > 65535) return null;
    return { kind: 'inet', port, host: inet[2] === undefined ? null : inet[2].replace(/^\[|\]$/g, '') };
  }
  const local = /^(?:local|unix):(\/.+)$/i.exec(s);
  if (local) return { kind: 'local', path: local[1] as string };
  if (s.startsWith('/')) return { kind: 'local', path: s };
  return null;
}

/** Which Postfix services that talk to milters run chrooted (master.cf's fifth column). */
export interface PostfixChroot {
  smtpd: boolean;
  cleanup: boolean;
  /** The chroot root: Postfix's queue_directory. */
  queueDirectory: string;
}

/**
 * master.cf chroot column of the `smtpd` and `cleanup` services. `-` means the built-in
 * default, `n` since Postfix 3.0 (`y` before).
 */
export function readChroot(masterCf: string, queueDirectory: string, postfixMajor = 3): PostfixChroot {
  const services = parseMasterCf(masterCf);
  const chrootOf = (command: string): boolean => services.some((s) => s.command === command && (s.chroot === '-' ? postfixMajor < 3 : s.chroot === 'y'));
  return { smtpd: chrootOf('smtpd'), cleanup: chrootOf('cleanup'), queueDirectory: queueDirectory.replace(/\/+$/, '') };
}

/** The milter address for an OpenDKIM socket, or null when chrooted Postfix cannot reach it. */
export function milterForSocket(socket: OpendkimSocket, chroot: PostfixChroot): string | null {
  if (socket.kind === 'inet') {
    const host = socket.host === null || socket.host === 'localhost' || socket.host === '0.0.0.0' || socket.host === '*' ? '127.0.0.1' : socket.host;
    return `inet:${host.includes(':') ? `[${host}]` : host}:${socket.port}`;
  }
  if (!chroot.smtpd && !chroot.cleanup) return `unix:${socket.path}`;
  if (chroot.smtpd !== chroot.cleanup) return null;
  const prefix = `${chroot.queueDirectory}/`;
  if (!socket.path.startsWith(prefix)) return null;
  return `unix:/${socket.path.slice(prefix.length)}`;
}

/** The socket Homemail sets when there is none Postfix can reach: TCP on the loopback. */
export const DEFAULT_SOCKET = 'inet:8891@127.0.0.1';

export function formatOpendkimSocket(socket: OpendkimSocket): string {
  return socket.kind === 'inet' ? `inet:${socket.port}${socket.host === null ? '' : `@${socket.host}`}` : `local:${socket.path}`;
}
