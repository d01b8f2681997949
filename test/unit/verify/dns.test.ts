// The resolver wrapper against real UDP sockets on loopback: a server that never answers,
// and one that says NXDOMAIN to everything (what a filtered network does), must both end as
// "cannot tell" quickly, never as "no record".
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient, type DnsServer } from '../../../main/services/verify/dnsClient.js';
import { probeServer } from '../../../main/services/verify/servers.js';
import { verifyDns } from '../../../main/services/verify/verifyDns.js';

function nxdomainEverything(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const reply = Buffer.from(query);
    reply[2] = 0x81; // QR, RD
    reply[3] = 0x83; // RA, rcode 3 (NXDOMAIN)
    reply.writeUInt16BE(0, 6); // no answers
    reply.writeUInt16BE(0, 8);
    reply.writeUInt16BE(0, 10);
    socket.send(reply.subarray(0, 12 + questionLength(query)), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

function questionLength(query: Buffer): number {
  let i = 12;
  while (i < query.length && query[i] !== 0) i += (query[i] ?? 0) + 1;
  return i + 1 + 4 - 12;
}

function silent(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

const serverAt = (socket: dgram.Socket): DnsServer => ({ address: '127.0.0.1', port: socket.address().port, family: 4, role: 'chosen', label: 'test' });

describe('DNS client', () => {
  let liar: dgram.Socket;
  let mute: dgram.Socket;
  beforeAll(async () => {
    liar = await nxdomainEverything();
    mute = await silent();
  });
  afterAll(() => {
    liar.close();
    mute.close();
  });

  it('reports a server that never answers as an error within the timeout, and times it', async () => {
    const client = new DnsClient({ timeoutMs: 200, tries: 2 });
    const started = performance.now();
    const answer = await client.query(serverAt(mute), 'example.jp', 'TXT');
    expect(answer).toEqual({ status: 'error', code: 'ETIMEOUT' });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(client.stats()).toMatchObject({ queries: 1 });
    expect(client.stats().slowestMs).toBeGreaterThanOrEqual(150);
  });

  it('does not trust a server that says even the DNS root does not exist', async () => {
    const client = new DnsClient({ timeoutMs: 300, tries: 1 });
    expect(await client.query(serverAt(liar), 'example.jp', 'TXT')).toEqual({ status: 'nxdomain' });
    expect(await probeServer(client, serverAt(liar), 'example.jp')).toEqual({ usable: false, code: 'ELYING' });
    expect(await probeServer(client, serverAt(mute), 'example.jp')).toEqual({ usable: false, code: 'ETIMEOUT' });
  });

  it('verify fails with "no usable DNS server" rather than reporting missing records', async () => {
    const report = await verifyDns({
      domain: 'example.jp',
      dkim: [{ selector: 's', publicKey: null, keyType: null }],
      addresses: [],
      resolvers: [`127.0.0.1:${liar.address().port}`, `127.0.0.1:${mute.address().port}`],
      discoverAddress: false,
      timeoutMs: 200,
      tries: 1,
    });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['resolver.none']);
    expect(report.checks.some((c) => c.area === 'dkim' || c.area === 'spf')).toBe(false);
    expect(report.resolvers.every((r) => !r.usable)).toBe(true);
    expect(report.ok).toBe(false);
  });
});
