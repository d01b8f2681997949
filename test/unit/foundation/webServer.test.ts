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

describe('web mode server', () => {
  let server: RunningWebServer;
  let cookie: string;

  beforeAll(async () => {
    const rendererDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-renderer-'));
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Homemail</title>');
    const handlers = createHandlers({ door: 'web', version: '1.2.3', dataDir: rendererDir, now: () => new Date(0) });
    server = await startWebServer({ handlers, rendererDir, port: 0 });
    cookie = `homemail_token=${server.token}`;
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 only and prints a tokenised address', () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('answers 401 without the token', async () => {
    expect((await send(server, '/')).status).toBe(401);
    expect((await send(server, '/?token=wrong')).status).toBe(401);
    expect((await send(server, '/api/call/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
  });

  it('trades the token in the address for an HttpOnly, SameSite cookie', async () => {
    const answer = await send(server, `/?token=${server.token}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(String(answer.headers['set-cookie'])).toMatch(/homemail_token=[^;]+; HttpOnly; SameSite=Strict/);
    const page = await send(server, '/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Homemail</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers 403 to a foreign Host header, even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example:80', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.2:${server.port}`]) {
      const answer = await send(server, '/', { headers: { Host: host, Cookie: cookie } });
      expect(answer.status, host).toBe(403);
    }
    expect((await send(server, '/', { headers: { Host: `localhost:${server.port}`, Cookie: cookie } })).status).toBe(200);
  });

  it('refuses cross-origin calls', async () => {
    const base = { method: 'POST', body: '{}' };
    const foreign = await send(server, '/api/call/appInfo', { ...base, headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const crossSite = await send(server, '/api/call/appInfo', { ...base, headers: { Cookie: cookie, 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const formPost = await send(server, '/api/call/appInfo', { ...base, headers: { Cookie: cookie, 'Content-Type': 'text/plain' } });
    expect(formPost.status).toBe(415);
  });

  it('serves calls as NDJSON with the outcome last', async () => {
    const answer = await send(server, '/api/call/appInfo', {
      method: 'POST',
      body: '{}',
      headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${server.port}` },
    });
    expect(answer.status).toBe(200);
    const lines = answer.body.trim().split('\n').map((line) => JSON.parse(line) as { outcome?: unknown });
    expect(lines.at(-1)?.outcome).toEqual({ ok: true, result: { name: 'Homemail', version: '1.2.3', door: 'web', platform: process.platform } });
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const pathname of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2Fetc%2Fpasswd']) {
      const answer = await send(server, pathname, { headers: { Cookie: cookie } });
      expect(answer.status, pathname).toBe(404);
    }
  });
});
