// The outbound test world beside the test host (same network namespace): receivers whose port 25
// does not answer while 587 does, and the DNS that points the probe domains at them. Used by the
// outbound host suite and the wizard's e2e run.
import net from 'node:net';
import type { TestHost } from './testHost.js';

/** 127.0.0.66: nothing on 25 (the connection is reset), a greeting on 587. 127.0.0.67: 25 accepts and says nothing, 587 greets. */
export const BLOCKED_MX = '127.0.0.66';
export const SILENT_MX = '127.0.0.67';
/** A documentation-range IPv6 "public address" and its zen query name (32 nibbles, reversed). */
export const PBL_IPV6 = '2001:db8::a:44';
const PBL_IPV6_NIBBLES = '4.4.0.0.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';

export interface OutboundWorld {
  /** Publishes records in example.test beside the world's own (setRecords replaces all of a zone's test records). */
  publish(records: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

function listen(address: string, port: number, greet: boolean): Promise<net.Server> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (greet) socket.write(`220 ${address === BLOCKED_MX ? 'mx.blocked' : 'mx.silent'}.example.test ESMTP test submission\r\n`);
    socket.setTimeout(30_000, () => socket.destroy());
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve(server));
  });
}

/**
 * Starts the listeners and publishes: open.example.test (MX: the host's own smtpd),
 * blocked.example.test and silent.example.test (MX: the listeners above); the DNS echo
 * stand-ins whoami-*.example.test; reverse names and the stand-in zen entries.
 */
export async function startOutboundWorld(host: TestHost, extraRecords: readonly string[] = []): Promise<OutboundWorld> {
  const servers = await Promise.all([listen(BLOCKED_MX, 587, true), listen(SILENT_MX, 25, false), listen(SILENT_MX, 587, true)]);
  const own = [
    'open IN MX 10 mail',
    'blocked IN MX 10 mx.blocked',
    `mx.blocked IN A ${BLOCKED_MX}`,
    'silent IN MX 10 mx.silent',
    `mx.silent IN A ${SILENT_MX}`,
    // What a DNS echo service would answer for the server (its public address).
    'whoami-own IN A 127.0.0.1',
    'whoami-pbl IN A 127.0.0.44',
    'whoami-refused IN A 127.0.0.45',
    // An IPv6 public address (TXT, as Google's echo answers): PBL-listed in the stand-in zen.
    `whoami-v6 IN TXT "${PBL_IPV6}"`,
    'p44-ipngn0101.dynamic IN A 127.0.0.44',
  ];
  const publish = (records: readonly string[]) => host.setRecords('example.test', [...own, ...records]);
  await publish(extraRecords);
  await host.setRecords('0.0.127.in-addr.arpa', ['44 IN PTR p44-ipngn0101.dynamic.example.test.']);
  // RFC 5782 test point, a PBL listing (127.0.0.10) and a refusal (what Spamhaus answers public resolvers).
  // The IPv6 entry is the nibble name Spamhaus documents for IPv6 queries (written out here, not computed).
  await host.setRecords('zen.spamhaus.org', ['2.0.0.127 IN A 127.0.0.2', '44.0.0.127 IN A 127.0.0.10', '45.0.0.127 IN A 127.255.255.254', `${PBL_IPV6_NIBBLES} IN A 127.0.0.11`]);
  return {
    publish,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/** The echo stand-in for the test DNS server: answers the server's "public address". */
export function echoFor(host: TestHost, name: 'whoami-own' | 'whoami-pbl' | 'whoami-refused' | 'whoami-v6') {
  return [{ server: host.dns.address, name: `${name}.example.test`, type: name === 'whoami-v6' ? ('TXT' as const) : ('A' as const), label: `${name} (test DNS)` }];
}

/**
 * Moves smtpd: master.cf's `smtp inet` service replaced by SERVICE (`127.0.0.3:smtp`, `2525`;
 * null: none) and main.cf SETTINGS set (`inet_protocols = ipv6`), Postfix restarted so it binds
 * them. Returns the undo (both files back, restarted).
 */
export async function smtpdListenVariant(host: TestHost, service: string | null, settings: readonly string[] = []): Promise<() => Promise<void>> {
  const edit = [
    'cp -p /etc/postfix/master.cf /root/master.cf.orig && cp -p /etc/postfix/main.cf /root/main.cf.orig',
    'postconf -MX smtp/inet',
    ...(service === null ? [] : [`postconf -M '${service}/inet=${service} inet n - y - - smtpd'`]),
    ...settings.map((setting) => `postconf -e '${setting}'`),
    'postfix stop && postfix start',
  ].join(' && ');
  const r = await host.runAsRoot(edit);
  if (r.code !== 0) throw new Error(`smtpd variant ${service ?? 'none'}: ${r.stdout}${r.stderr}`);
  return async () => {
    const undo = await host.runAsRoot('mv /root/master.cf.orig /etc/postfix/master.cf && mv /root/main.cf.orig /etc/postfix/main.cf && postfix stop && postfix start');
    if (undo.code !== 0) throw new Error(`smtpd variant undo: ${undo.stderr}`);
  };
}
