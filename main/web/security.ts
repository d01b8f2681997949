import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Where the page trades the one-time code from its address for the session secret. */
export const SESSION_PATH = '/api/session';

/** The Content-Security-Policy both doors serve: our own scripts and styles, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** DNS-rebinding defence: the page must be asked for by our own loopback name and port. */
export function isAllowedHost(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * Cross-origin requests are refused: an Origin header, when present, must be our own, and
 * a browser's fetch metadata must not say the request came from another site.
 */
export function isSameOrigin(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts(port).map((h) => `http://${h}`).includes(origin.toLowerCase())) return false;
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function tokensEqual(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session secret a call carries in `Authorization: Bearer …` (never a cookie: cookies go to every port). */
export function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/**
 * A code that opens the session once: the first trade kills it, so an address seen later
 * (in `ps`, shell history, a screenshot) opens nothing.
 */
export class OneTimeCode {
  #code: string | null;
  constructor(code: string) {
    this.#code = code;
  }
  /** True once, for the right code; every later try (right or wrong) is false. */
  redeem(given: string | undefined): boolean {
    if (this.#code === null || !tokensEqual(this.#code, given)) return false;
    this.#code = null;
    return true;
  }
}

/** The URL path decoded, or null when its percent-encoding is broken (answered 400, not 500). */
export function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}
