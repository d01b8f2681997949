// Each connection failure class, produced by a real socket on this machine (no mocks): a
// closed port, a listener that never speaks, one that hangs up, an HTTP server, an SMTP-like greeting, and a
// name in the reserved .invalid domain (RFC 2606), which never resolves.
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type ConnectOptions } from '../../../main/services/ssh/connect.js';
import { runCliCaptured } from '../../support/cli.js';
import { exitCodeFor } from '../../../shared/errors.js';

const home = mkdtempSync(path.join(tmpdir(), 'hm-connect-home-'));
const base = (port: number, host = '127.0.0.1'): ConnectOptions => ({
  target: { user: 'someone', host, port },
  knownHostsFile: path.join(home, 'known_hosts'),
  onUnknownHostKey: 'refuse',
  agent: false,
  home,
  password: 'never sent',
  connectTimeoutMs: 1500,
});

const servers: Array<net.Server | http.Server> = [];
const sockets = new Set<net.Socket>();
async function listen<T extends net.Server | http.Server>(server: T): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

let silentPort = 0;
let httpPort = 0;
let smtpPort = 0;
let closedPort = 0;
let hangUpPort = 0;

beforeAll(async () => {
  silentPort = await listen(net.createServer(() => undefined));
  httpPort = await listen(http.createServer((_request, response) => response.end('hello')));
  smtpPort = await listen(net.createServer((socket) => socket.write('220 mail.example.test ESMTP Postfix\r\n')));
  hangUpPort = await listen(net.createServer((socket) => socket.destroy()));
  const closed = net.createServer();
  closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  servers.splice(servers.indexOf(closed), 1);
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

describe('connection errors name what happened', () => {
  it('nothing listens: ssh-refused, exit 3', async () => {
    const error = await connectSsh(base(closedPort)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ssh-refused', details: { reason: 'refused', port: closedPort } });
    expect((error as Error).message).toContain(`127.0.0.1 port ${closedPort}`);
    expect(exitCodeFor('ssh-refused')).toBe(3);
  });

  it('the name does not resolve: ssh-name-not-found', async () => {
    await expect(connectSsh(base(22, 'no-such-host.invalid'))).rejects.toMatchObject({ code: 'ssh-name-not-found', details: { reason: 'dns', host: 'no-such-host.invalid' } });
  });

  it('a listener that never answers: ssh-timeout, at the connect timeout', async () => {
    const started = Date.now();
    const error = await connectSsh(base(silentPort)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ssh-timeout', details: { reason: 'timeout' } });
    expect((error as Error).message).toContain('did not answer within 2 s');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an HTTP server: ssh-not-ssh-server, quoting what it said', async () => {
    const error = await connectSsh(base(httpPort)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ssh-not-ssh-server', details: { reason: 'banner' } });
    expect((error as Error).message).toMatch(/it said "HTTP\/1\.1 400/);
  });

  it('a mail server greeting: ssh-not-ssh-server, not a timeout', async () => {
    const error = await connectSsh(base(smtpPort)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ssh-not-ssh-server', details: { banner: '220 mail.example.test ESMTP Postfix' } });
  });

  it('a listener that hangs up at once: ssh-unreachable, saying it closed without a greeting', async () => {
    const error = await connectSsh(base(hangUpPort)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ssh-unreachable', details: { reason: 'closed' } });
    expect((error as Error).message).toContain('closed it without an SSH greeting');
  });

  it('the CLI exits 3 for each of them and names the class in --json', async () => {
    const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: '' };
    for (const [target, code] of [
      [`someone@127.0.0.1:${closedPort}`, 'ssh-refused'],
      [`someone@127.0.0.1:${httpPort}`, 'ssh-not-ssh-server'],
      ['someone@no-such-host.invalid', 'ssh-name-not-found'],
    ] as const) {
      const run = await runCliCaptured(['inspect', '--ssh', target, '--known-hosts', path.join(home, 'cli_known_hosts'), '--json'], { env });
      expect([run.code, JSON.parse(run.out).error.code]).toEqual([3, code]);
    }
  });

  it('a missing -i key is bad input naming the resolved path (~ expanded), before any connection', async () => {
    const error = await connectSsh({ ...base(closedPort), identityFile: '~/.ssh/missing_key' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bad-input', details: { field: 'identity', path: path.join(home, '.ssh', 'missing_key') } });
    expect((error as Error).message).toContain(path.join(home, '.ssh', 'missing_key'));
  });
});
