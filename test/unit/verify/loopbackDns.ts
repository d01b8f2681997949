// A tiny DNS server on a loopback UDP socket for unit tests: answers from a table, holds each
// answer `delayMs` (like the bench's delaying proxy), and records every question it is asked
// and when, so tests can see which queries really went over the wire.
import dgram from 'node:dgram';

export type LoopbackRecord =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'TXT'; strings: string[] }
  | { type: 'MX'; priority: number; exchange: string }
  | { type: 'PTR' | 'NS'; target: string }
  | { type: 'SOA' };

export interface Asked {
  name: string;
  type: string;
  /** ms since the server started. */
  at: number;
}

export interface LoopbackDns {
  port: number;
  asked: Asked[];
  /** When each answer left the server, in the same form. */
  answered: Asked[];
  /** How many times a question reached the server (name any case, no trailing dot). */
  count(name: string, type: string): number;
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: 'A', 2: 'NS', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA' };
const CODES = Object.fromEntries(Object.entries(TYPES).map(([code, type]) => [type, Number(code)]));

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function rdata(record: LoopbackRecord): Buffer {
  switch (record.type) {
    case 'A':
      return Buffer.from(record.address.split('.').map(Number));
    case 'AAAA': {
      const out = Buffer.alloc(16);
      const [head = '', tail = ''] = record.address.split('::');
      const h = head === '' ? [] : head.split(':');
      const t = tail === '' ? [] : tail.split(':');
      const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
      groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
      return out;
    }
    case 'TXT':
      return Buffer.concat(record.strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
    case 'MX': {
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(record.priority);
      return Buffer.concat([pref, encodeName(record.exchange)]);
    }
    case 'PTR':
    case 'NS':
      return encodeName(record.target);
    case 'SOA': {
      const numbers = Buffer.alloc(20);
      [1, 3600, 600, 86400, 300].forEach((n, i) => numbers.writeUInt32BE(n, i * 4));
      return Buffer.concat([encodeName('ns.test'), encodeName('hostmaster.test'), numbers]);
    }
  }
}

/**
 * Starts the server; `zone` maps lower-case names to their records. Unknown names are NXDOMAIN.
 * `delays` holds some answers longer than `delayMs`, keyed `TYPE name` (e.g. `TXT _dmarc.example.test`).
 */
export function startLoopbackDns(zone: Readonly<Record<string, readonly LoopbackRecord[]>>, delayMs = 0, delays: Readonly<Record<string, number>> = {}): Promise<LoopbackDns> {
  const socket = dgram.createSocket('udp4');
  const started = performance.now();
  const asked: Asked[] = [];
  const answered: Asked[] = [];
  socket.on('message', (query, peer) => {
    let i = 12;
    const labels: string[] = [];
    while (i < query.length && query[i] !== 0) {
      const length = query[i] ?? 0;
      labels.push(query.subarray(i + 1, i + 1 + length).toString('ascii'));
      i += length + 1;
    }
    const questionEnd = i + 5;
    const name = labels.join('.').toLowerCase();
    const type = TYPES[query.readUInt16BE(i + 1)] ?? `TYPE${query.readUInt16BE(i + 1)}`;
    asked.push({ name: name === '' ? '.' : name, type, at: performance.now() - started });
    const records = zone[name];
    const matching = (records ?? []).filter((r) => r.type === type);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8180 | (records === undefined ? 3 : 0), 2); // QR RD RA, NXDOMAIN for unknown names
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(matching.length, 6);
    const answers = matching.map((r) => {
      const data = rdata(r);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0); // the question's name
      fixed.writeUInt16BE(CODES[r.type] ?? 0, 2);
      fixed.writeUInt16BE(1, 4);
      fixed.writeUInt32BE(300, 6);
      fixed.writeUInt16BE(data.length, 10);
      return Buffer.concat([fixed, data]);
    });
    const reply = Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
    setTimeout(() => {
      answered.push({ name: name === '' ? '.' : name, type, at: performance.now() - started });
      socket.send(reply, peer.port, peer.address);
    }, delays[`${type} ${name}`] ?? delayMs);
  });
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () =>
      resolve({
        port: socket.address().port,
        asked,
        answered,
        count: (n, t) => asked.filter((a) => a.name === n.toLowerCase().replace(/\.$/, '') && a.type === t).length,
        close: () => new Promise((done) => socket.close(() => done())),
      }),
    ),
  );
}
