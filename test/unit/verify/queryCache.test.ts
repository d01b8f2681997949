// The run's query cache against a real loopback UDP DNS server that holds every answer:
// one question to one server goes over the wire once, however many checks ask it, and a
// whole verify run sends its predictable queries together and chains the dependent ones
// the moment their first answer arrives.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient, type DnsServer } from '../../../main/services/verify/dnsClient.js';
import { followUps } from '../../../main/services/verify/prefetch.js';
import { verifyDns } from '../../../main/services/verify/verifyDns.js';
import { startLoopbackDns, type LoopbackDns, type LoopbackRecord } from './loopbackDns.js';

const DELAY = 150;
const selector = 'sel1';

const zone: Record<string, LoopbackRecord[]> = {
  'example.test': [
    { type: 'SOA' },
    { type: 'TXT', strings: ['v=spf1 ip4:192.0.2.0/24 -all'] },
    { type: 'MX', priority: 10, exchange: 'mail.example.test' },
  ],
  '_dmarc.example.test': [{ type: 'TXT', strings: ['v=DMARC1; p=reject; rua=mailto:dmarc@example.test'] }],
  [`${selector}._domainkey.example.test`]: [{ type: 'TXT', strings: ['v=DKIM1; k=rsa; p=MIIB'] }],
  'mail.example.test': [{ type: 'A', address: '192.0.2.10' }],
  'host20.example.test': [{ type: 'A', address: '192.0.2.20' }],
  '10.2.0.192.in-addr.arpa': [{ type: 'PTR', target: 'mail.example.test' }],
  '20.2.0.192.in-addr.arpa': [{ type: 'PTR', target: 'host20.example.test' }],
  'fast.test': [{ type: 'MX', priority: 5, exchange: 'b.fast.test' }, { type: 'MX', priority: 1, exchange: 'a.fast.test' }],
};

const serverAt = (dns: LoopbackDns): DnsServer => ({ address: '127.0.0.1', port: dns.port, family: 4, role: 'chosen', label: 'loopback' });

describe('DnsClient query cache', () => {
  let dns: LoopbackDns;
  let other: LoopbackDns;
  beforeAll(async () => {
    dns = await startLoopbackDns(zone, DELAY);
    other = await startLoopbackDns(zone, 0);
  });
  afterAll(async () => {
    await dns.close();
    await other.close();
  });

  it('sends one query for the same question asked at once, in any case and with a trailing dot', async () => {
    const client = new DnsClient({ timeoutMs: 2000, tries: 1 });
    const answers = await Promise.all([
      client.query(serverAt(dns), 'mail.example.test', 'A'),
      client.query(serverAt(dns), 'MAIL.example.test.', 'A'),
      client.raw(serverAt(dns), 'mail.example.test', 'A'),
      client.query(serverAt(dns), 'mail.example.test', 'A'),
    ]);
    expect(answers[0]).toEqual({ status: 'ok', records: ['192.0.2.10'] });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(['192.0.2.10']);
    expect(dns.count('mail.example.test', 'A')).toBe(1);
    expect(client.stats()).toMatchObject({ queries: 1, reused: 3 });
  });

  it('answers a later ask from the run without asking again, and a new client asks afresh', async () => {
    const before = dns.count('example.test', 'MX');
    const client = new DnsClient({ timeoutMs: 2000, tries: 1 });
    const first = await client.query(serverAt(dns), 'example.test', 'MX');
    // From memory: settled before the event loop's next turn, when no answer could have come.
    const again = await Promise.race([client.query(serverAt(dns), 'example.test', 'MX'), new Promise((resolve) => setImmediate(() => resolve('waited for the network')))]);
    expect(again).toEqual(first);
    expect(dns.count('example.test', 'MX')).toBe(before + 1);
    await new DnsClient({ timeoutMs: 2000, tries: 1 }).query(serverAt(dns), 'example.test', 'MX');
    expect(dns.count('example.test', 'MX')).toBe(before + 2);
  });

  it('gives each caller its own copy of the records (mailauth sorts MX lists in place)', async () => {
    const client = new DnsClient({ timeoutMs: 2000, tries: 1 });
    const first = (await client.raw(serverAt(other), 'fast.test', 'MX')) as { priority: number; exchange: string }[];
    const order = first.map((r) => r.exchange);
    first.sort((a, b) => b.priority - a.priority).reverse();
    first.push({ priority: 0, exchange: 'changed.test' });
    const second = (await client.raw(serverAt(other), 'fast.test', 'MX')) as { exchange: string }[];
    expect(second.map((r) => r.exchange)).toEqual(order);
    expect(client.stats().queries).toBe(1);
  });

  it('keeps servers apart: the same question to another server is its own query', async () => {
    const client = new DnsClient({ timeoutMs: 2000, tries: 1 });
    const before = [dns.count('example.test', 'TXT'), other.count('example.test', 'TXT')];
    await Promise.all([client.query(serverAt(dns), 'example.test', 'TXT'), client.query(serverAt(other), 'example.test', 'TXT')]);
    expect([dns.count('example.test', 'TXT'), other.count('example.test', 'TXT')]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it('shares "no such name" and errors too; a prefetch resolves to null for them and never rejects', async () => {
    const client = new DnsClient({ timeoutMs: 2000, tries: 1 });
    const prefetched = client.prefetch(serverAt(dns), 'nothing.example.test', 'TXT');
    expect(await client.query(serverAt(dns), 'nothing.example.test', 'TXT')).toEqual({ status: 'nxdomain' });
    expect(await prefetched).toBeNull();
    await expect(client.raw(serverAt(dns), 'nothing.example.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(dns.count('nothing.example.test', 'TXT')).toBe(1);
    const mute = { ...serverAt(dns), port: 9 }; // discard port on loopback: nobody answers
    const errors = await Promise.all([client.query(mute, 'example.test', 'TXT'), client.query(mute, 'example.test', 'TXT')]);
    expect(errors[0].status).toBe('error');
    expect(errors[1]).toEqual(errors[0]);
    expect(client.stats().queries).toBe(2);
  });
});

describe('DnsClient.close', () => {
  it('cancels queries sent ahead that nobody needed, instead of leaving them to time out', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const client = new DnsClient({ timeoutMs: 60_000, tries: 2 });
      const mute: DnsServer = { address: '127.0.0.1', port: silent.address().port, family: 4, role: 'chosen', label: 'silent' };
      const pending = client.prefetch(mute, 'example.test', 'TXT');
      client.close();
      // Settled by the close, not by the timeout two minutes away (the margin is for a loaded machine).
      expect(await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('still pending'), 4_000))])).toBeNull();
      await expect(client.raw(mute, 'example.test', 'TXT')).rejects.toMatchObject({ code: 'ECANCELLED' });
    } finally {
      silent.close();
    }
  });
});

describe('follow-ups an answer makes predictable', () => {
  it('chains MX hosts, PTR names, SPF targets and an external DMARC report domain', () => {
    expect(followUps('example.test', 'example.test', 'MX', [{ priority: 10, exchange: 'mx.example.test' }, { priority: 0, exchange: '.' }])).toEqual([
      { name: 'mx.example.test', type: 'A' },
      { name: 'mx.example.test', type: 'AAAA' },
    ]);
    expect(followUps('example.test', '10.2.0.192.in-addr.arpa', 'PTR', ['mail.example.test'])).toEqual([{ name: 'mail.example.test', type: 'A' }]);
    expect(followUps('example.test', 'example.test', 'TXT', [['v=spf1 include:_spf.example.net a:out.example.test/28 mx exists:%{i}.x.test ptr -all']])).toEqual([
      { name: '_spf.example.net', type: 'TXT' },
      { name: 'out.example.test', type: 'A' },
      { name: 'out.example.test', type: 'AAAA' },
      { name: 'example.test', type: 'MX' },
    ]);
    expect(followUps('example.test', 'example.test', 'TXT', [['v=spf1 -all'], ['v=spf1 include:x.test -all']])).toEqual([]);
    expect(followUps('example.test', '_dmarc.example.test', 'TXT', [['v=DMARC1; p=none; rua=mailto:r@example.org,mailto:d@example.test']])).toEqual([
      { name: 'example.test._report._dmarc.example.org', type: 'TXT' },
    ]);
    expect(followUps('example.test', 'example.test', 'TXT', null)).toEqual([]);
  });
});

describe('verifyDns sends early and asks once', () => {
  // The DMARC answer is held back longest, so a follow-up that waited for a later phase (all
  // first answers in) would be asked only after it left.
  const heldBack = ['TXT', '_dmarc.example.test'] as const;
  let dns: LoopbackDns;
  beforeAll(async () => {
    dns = await startLoopbackDns(zone, DELAY, { [heldBack.join(' ')]: 10 * DELAY });
  });
  afterAll(async () => {
    await dns.close();
  });

  it('sends every predictable query before the first answer, chains PTR → A on arrival, and sends nothing twice', async () => {
    dns.asked.length = 0;
    dns.answered.length = 0;
    const report = await verifyDns({
      domain: 'example.test',
      dkim: [{ selector, publicKey: null, keyType: null }],
      addresses: ['192.0.2.10', '192.0.2.20'],
      resolvers: [`127.0.0.1:${dns.port}`],
      discoverAddress: false,
      checkBlocklists: false,
      timeoutMs: 20 * DELAY,
      tries: 1,
    });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(byId).toMatchObject({ spf: 'pass', 'spf.eval:192.0.2.10': 'pass', 'spf.eval:192.0.2.20': 'pass', dmarc: 'pass', mx: 'pass', 'ptr:192.0.2.10': 'pass', 'ptr:192.0.2.20': 'pass' });
    const keys = dns.asked.map((a) => `${a.type} ${a.name}`);
    expect(keys.length).toBe(new Set(keys).size);
    expect(report.timing.queries).toBe(keys.length);
    // Order, not elapsed time: what was asked before which answer left the server.
    const at = (type: string, name: string) => dns.asked.find((a) => a.type === type && a.name === name)?.at ?? Number.NaN;
    const answeredAt = (type: string, name: string) => dns.answered.find((a) => a.type === type && a.name === name)?.at ?? Number.NaN;
    const firstAnswer = Math.min(...dns.answered.map((a) => a.at));
    // Sent together: the probe, the zone's records, the likely host and both PTRs, before any answer left.
    for (const [type, name] of [['NS', '.'], ['SOA', 'example.test'], ['TXT', 'example.test'], ['TXT', '_dmarc.example.test'], ['TXT', `${selector}._domainkey.example.test`], ['MX', 'example.test'], ['A', 'mail.example.test'], ['PTR', '10.2.0.192.in-addr.arpa'], ['PTR', '20.2.0.192.in-addr.arpa']] as const) {
      expect(at(type, name), `${type} ${name}`).toBeLessThan(firstAnswer);
    }
    // host20 is no guess: its A follows its PTR answer at once, not after a later phase.
    const chained = at('A', 'host20.example.test');
    expect(chained).toBeGreaterThan(answeredAt('PTR', '20.2.0.192.in-addr.arpa'));
    expect(chained).toBeLessThan(answeredAt(...heldBack));
    // Two round trips deep: the chained A is the only question that waited for an answer.
    expect(dns.asked.filter((a) => a.at > firstAnswer).map((a) => `${a.type} ${a.name}`)).toEqual(['A host20.example.test']);
  });
});
