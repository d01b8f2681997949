import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../main/services/index.js';
import { startWebServer, type RunningWebServer } from '../../../main/web/server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: RunningWebServer, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path: pathname, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function trade(server: RunningWebServer, code: string): Promise<Answer> {
  return send(server, '/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
}

const codeOf = (server: RunningWebServer) => new URL(server.url).searchParams.get('token') ?? '';

describe('web mode server', () => {
  let server: RunningWebServer;
  let auth: Record<string, string>;
  let opened = 0;

  beforeAll(async () => {
    const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-renderer-'));
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Homemail</title>');
    const handlers = createHandlers({ door: 'web', version: '1.2.3', dataDir: rendererDir, now: () => new Date(0) });
    server = await startWebServer({ handlers, rendererDir, port: 0, onSessionOpened: () => (opened += 1) });
    auth = { Authorization: `Bearer ${server.secret}` };
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 only and prints an address with a code that is not the session secret', () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    expect(server.url).not.toContain(server.secret);
  });

  it('answers calls 401 without the secret, with a wrong one, and with the one-time code in its place', async () => {
    const call = (headers: Record<string, string>) => send(server, '/api/call/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(401);
    expect((await call({ Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call({ Authorization: `Bearer ${codeOf(server)}` })).status).toBe(401);
  });

  it('trades the one-time code for the secret exactly once, and sets no cookie', async () => {
    expect((await trade(server, 'wrong')).status).toBe(401);
    const first = await trade(server, codeOf(server));
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(first.body)).toEqual({ secret: server.secret });
    expect(opened).toBe(1);
    const again = await trade(server, codeOf(server));
    expect(again.status).toBe(401);
    expect(again.body).not.toContain(server.secret);
    expect(opened).toBe(1);
  });

  it('serves the page, which holds no secret, with its CSP and no redirect or cookie', async () => {
    const page = await send(server, `/?token=${codeOf(server)}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Homemail</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers.location).toBeUndefined();
  });

  it('gives no Location to another host (open redirect) and answers broken percent-encoding 400', async () => {
    for (const pathname of ['/.//evil.example/', '//evil.example/', '/.//evil.example/?token=x', '/\\evil.example/']) {
      const answer = await send(server, pathname);
      expect(answer.headers.location, pathname).toBeUndefined();
      expect(answer.status, pathname).toBe(404);
    }
    expect((await send(server, '/%E0%A4%A')).status).toBe(400);
    expect((await send(server, '/api/call/%E0%A4%A', { method: 'POST', headers: auth })).status).toBe(400);
  });

  it('answers 403 to a foreign Host header, even with the secret (DNS rebinding)', async () => {
    for (const host of ['evil.example:80', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.2:${server.port}`]) {
      const answer = await send(server, '/', { headers: { Host: host, ...auth } });
      expect(answer.status, host).toBe(403);
    }
    expect((await send(server, '/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses cross-origin calls and code trades', async () => {
    const base = { method: 'POST', body: '{}' };
    const foreign = await send(server, '/api/call/appInfo', { ...base, headers: { ...auth, 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const otherPort = await send(server, '/api/session', { ...base, headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${server.port + 1}` } });
    expect(otherPort.status).toBe(403);
    const crossSite = await send(server, '/api/call/appInfo', { ...base, headers: { ...auth, 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const formPost = await send(server, '/api/call/appInfo', { ...base, headers: { ...auth, 'Content-Type': 'text/plain' } });
    expect(formPost.status).toBe(415);
  });

  it('serves calls as NDJSON with the outcome last', async () => {
    const answer = await send(server, '/api/call/appInfo', {
      method: 'POST',
      body: '{}',
      headers: { ...auth, 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${server.port}` },
    });
    expect(answer.status).toBe(200);
    const lines = answer.body.trim().split('\n').map((line) => JSON.parse(line) as { outcome?: unknown });
    expect(lines.at(-1)?.outcome).toEqual({ ok: true, result: { name: 'Homemail', version: '1.2.3', door: 'web', platform: process.platform } });
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const pathname of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2Fetc%2Fpasswd', '/%00']) {
      const answer = await send(server, pathname);
      expect(answer.status, pathname).toBe(404);
    }
  });
});
