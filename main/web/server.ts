import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Handlers } from '../services/handler.js';
import { dispatch } from '../ipc/dispatch.js';
import { contentTypeFor } from './contentTypes.js';
import { CONTENT_SECURITY_POLICY, OneTimeCode, SESSION_PATH, bearer, decodePath, isAllowedHost, isSameOrigin, tokensEqual } from './security.js';

export interface WebServerOptions {
  handlers: Handlers;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Called once, when the page has traded the one-time code (the launcher page can go). */
  onSessionOpened?: () => void;
}

export interface RunningWebServer {
  /** The address to open: `?token=` holds a one-time code, dead once the page has traded it. */
  url: string;
  port: number;
  /** The session secret calls carry in `Authorization: Bearer …`; never in an address or a cookie. */
  secret: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const CALL_PATH = /^\/api\/call\/([A-Za-z]+)$/;


/**
 * Local web mode: the built renderer and the contract on 127.0.0.1 only. Per launch a
 * session secret and a one-time code: the address given to the browser carries only the
 * code, which the page trades once (`POST /api/session`) for the secret; the page keeps it in
 * sessionStorage (scoped to this origin, port included) and sends it as a bearer header on
 * every call. No cookie: a browser sends cookies to every port of a host. Host and Origin
 * are checked on every request; the page's files themselves hold nothing secret. Calls are
 * `POST /api/call/NAME` answered with NDJSON: progress lines, then one `{"outcome": …}` line.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const secret = randomBytes(32).toString('base64url');
  const codeText = randomBytes(24).toString('base64url');
  const code = new OneTimeCode(codeText);
  let port = options.port;
  const server = createServer((request, response) => {
    handleRequest(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'Internal error');
      else response.end();
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setCommonHeaders(response);
    if (!isAllowedHost(request, port)) return send(response, 403, 'Forbidden: unexpected Host header.');
    const target = request.url ?? '/';
    const query = target.indexOf('?');
    const pathname = decodePath(query === -1 ? target : target.slice(0, query));
    if (pathname === null) return send(response, 400, 'Bad request: the address is not valid percent-encoding.');
    // The page's own files hold nothing secret, and the launcher page (file://) opens them
    // cross-site; everything under /api/ must come from our own origin.
    if (pathname.startsWith('/api/') && !isSameOrigin(request, port)) return send(response, 403, 'Forbidden: cross-origin request.');

    if (pathname === SESSION_PATH) {
      if (request.method !== 'POST') return send(response, 405, 'Method not allowed');
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return send(response, 415, 'Calls take application/json.');
      return trade(request, response);
    }
    const call = CALL_PATH.exec(pathname);
    if (call) {
      if (!tokensEqual(secret, bearer(request))) return send(response, 401, 'Unauthorized: open the address homemail web printed.');
      if (request.method !== 'POST') return send(response, 405, 'Method not allowed');
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return send(response, 415, 'Calls take application/json.');
      return serveCall(call[1] ?? '', request, response);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed');
    return serveStatic(pathname, response);
  }

  async function trade(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let given: unknown;
    try {
      given = (JSON.parse((await readBody(request)) || '{}') as { code?: unknown }).code;
    } catch {
      return send(response, 400, 'The request body is not valid JSON.');
    }
    if (typeof given !== 'string' || !code.redeem(given)) {
      return send(response, 401, 'This address has already been used or is wrong: run homemail web again for a new one.');
    }
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify({ secret }));
    options.onSessionOpened?.();
  }

  async function serveCall(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    let input: unknown;
    try {
      input = JSON.parse((await readBody(request)) || '{}');
    } catch {
      return send(response, 400, 'The request body is not valid JSON.');
    }
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    response.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
    const outcome = await dispatch(options.handlers, name, input, {
      signal: controller.signal,
      progress: (event) => {
        if (!response.writableEnded) response.write(`${JSON.stringify({ progress: event })}\n`);
      },
    });
    response.end(`${JSON.stringify({ outcome })}\n`);
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(options.rendererDir, relative);
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep)) return send(response, 404, 'Not found');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return send(response, 404, 'Not found');
    response.writeHead(200, {
      'Content-Type': contentTypeFor(file),
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('web server has no TCP address');
  port = address.port;
  return {
    url: `http://127.0.0.1:${port}/?token=${codeText}`,
    port,
    secret,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function setCommonHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
