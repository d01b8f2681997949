import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * The kernel here has no netem, so latency is added in user space: a TCP proxy that holds
 * every chunk for half the round trip in each direction, and a UDP proxy for DNS that holds
 * each answer. Both listen on 127.0.0.1 and forward only to the address they are given.
 */

export interface RunningProxy {
  port: number;
  close(): Promise<void>;
}

function delayed(delayMs: number, write: () => void): void {
  if (delayMs <= 0) write();
  else setTimeout(write, delayMs);
}

/** Adds `rttMs` of round-trip time to a TCP connection (half each way), keeping byte order. */
export async function startTcpDelayProxy(target: { host: string; port: number }, rttMs: number): Promise<RunningProxy> {
  const oneWay = rttMs / 2;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const pipeDelayed = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => delayed(oneWay, () => to.writable && to.write(chunk)));
      from.on('end', () => delayed(oneWay, () => to.end()));
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        delayed(oneWay, () => to.destroy());
      });
    };
    pipeDelayed(client, upstream);
    pipeDelayed(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Forwards DNS over UDP to `target` and holds each answer for `delayMs`. */
export async function startUdpDelayProxy(target: { host: string; port: number }, delayMs: number): Promise<RunningProxy> {
  const front = createSocket('udp4');
  const pending = new Map<number, { client: RemoteInfo; socket: ReturnType<typeof createSocket> }>();
  let next = 0;
  front.on('message', (query, client) => {
    const back = createSocket('udp4');
    const id = (next += 1);
    pending.set(id, { client, socket: back });
    back.on('message', (answer) =>
      delayed(delayMs, () => {
        front.send(answer, client.port, client.address);
        back.close();
        pending.delete(id);
      }),
    );
    back.send(query, target.port, target.host);
    setTimeout(() => {
      if (pending.delete(id)) back.close();
    }, 10_000).unref();
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    close: async () => {
      for (const { socket } of pending.values()) socket.close();
      pending.clear();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
