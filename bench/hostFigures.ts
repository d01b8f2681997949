import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApplyResult } from '../shared/plan.js';
import type { ChangeSettings } from '../main/services/dkim/desired.js';
import { applyChanges, planChanges } from '../main/services/dkim/dkim.js';
import { inspectServer } from '../main/services/inspect/inspect.js';
import { generateDkimKey, type DkimKey } from '../main/services/keys/index.js';
import { connectSsh } from '../main/services/ssh/connect.js';
import type { SshSession } from '../main/services/ssh/session.js';
import { timeVerify } from '../main/services/verify/verifyDns.js';
import { resetHost, type TestHost } from '../test/host/testHost.js';
import { startTcpDelayProxy, startUdpDelayProxy } from './delayProxies.js';
import { stageTimings } from './stageTimings.js';

/** One apply, timed on the client, with the server's own stage timings. */
export interface ApplyRun {
  changed: boolean;
  roundTrips: number;
  /** Files the plan writes. */
  files: number;
  /** applyChanges on an open session (what the wizard's apply step waits for). */
  seconds: number;
  /** Server stage durations (restart = the service restarts/reloads, health = waiting for them to answer). */
  stagesMs: Record<string, number> | null;
  serverMs: number | null;
}

export interface ChangeFigures {
  inspectRoundTrips: number;
  planRoundTrips: number;
  /** Without added latency: a fresh host, then the same settings again, then two keys (more files). */
  local: { fresh: ApplyRun; again: ApplyRun; twoKeys: ApplyRun };
  /** RSA + Ed25519 (RFC 8463 dual signing), tried last without added latency; it may fail, and is reported either way. */
  rsaEd25519: { roundTrips: number; files: number | null; outcome: string };
  /** Through the TCP delay proxy adding `rttMs`: connect, inspect, and the same three applies on a new fresh host. */
  delayed: { rttMs: number; connectSeconds: number; inspectSeconds: number; fresh: ApplyRun; again: ApplyRun; twoKeys: ApplyRun };
}

export interface VerifyFigures {
  delayMs: number;
  runs: number;
  wallMs: number[];
  slowestQueryMs: number[];
  queries: number;
  slowestQuery: string | null;
  checksFailed: number;
  /** The run whose wall time is the median, with its own slowest query. */
  medianRun: { wallMs: number; slowestQueryMs: number };
  /**
   * The same verify for an address whose PTR names a host no one could guess: its A/AAAA can
   * only be asked once the PTR answer is in, so the run waits for two answers in sequence.
   */
  dependentChain: { address: string; chain: string; wallMs: number[]; slowestQueryMs: number[]; checksFailed: number; medianRun: { wallMs: number; slowestQueryMs: number } };
}

async function timedRuns(runs: number, run: () => ReturnType<typeof timeVerify>) {
  const samples: { wallMs: number; slowestQueryMs: number; queries: number; slowestQuery: string | null; failed: number }[] = [];
  for (let i = 0; i < runs; i += 1) {
    const r = await run();
    samples.push({ wallMs: r.wallMs, slowestQueryMs: r.slowestQueryMs, queries: r.queries, slowestQuery: r.slowestQuery, failed: r.report.summary.fail });
  }
  const mid = [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(samples.length / 2)];
  if (mid === undefined) throw new Error('no verify runs');
  return { samples, mid };
}

const DOMAIN = 'example.test';

/** Logs in as admin with its password (sudo asks for it): the common home-server case. */
async function connectAdmin(host: TestHost, port: number, knownHostsFile: string): Promise<SshSession> {
  return connectSsh({
    target: { user: host.users.admin.name, host: host.sshHost, port },
    knownHostsFile,
    onUnknownHostKey: 'refuse',
    password: host.users.admin.password,
    agent: false,
    useSshConfig: false,
  });
}

/** The host's known_hosts with its entries moved to another port (the proxy's): the same keys, still checked. */
async function knownHostsFor(host: TestHost, port: number, dir: string): Promise<string> {
  const text = await readFile(host.knownHostsPath, 'utf8');
  const file = path.join(dir, `known_hosts_${port}`);
  await writeFile(file, text.split(`[${host.sshHost}]:${host.sshPort} `).join(`[${host.sshHost}]:${port} `));
  return file;
}

function settings(keys: readonly DkimKey[], reportTo: string): ChangeSettings {
  return {
    domain: DOMAIN,
    keys: keys.map((k) => ({ selector: k.selector, type: k.type, privateKeyPem: k.privateKeyPem })),
    rua: [`dmarc-reports@${DOMAIN}`],
    ruf: [],
    reportTo,
  };
}

async function timedApply(session: SshSession, changeSettings: ChangeSettings): Promise<ApplyRun> {
  const start = performance.now();
  const result: ApplyResult = await applyChanges(session, changeSettings, { dns: { skip: true } });
  const seconds = (performance.now() - start) / 1000;
  const timings = stageTimings(result.log);
  return {
    changed: result.changed,
    roundTrips: result.roundTrips,
    files: result.plan.files.length,
    seconds,
    stagesMs: timings?.stages ?? null,
    serverMs: timings?.serverMs ?? null,
  };
}

async function threeApplies(session: SshSession, oneKey: readonly DkimKey[], twoKeys: readonly DkimKey[]): Promise<{ fresh: ApplyRun; again: ApplyRun; twoKeys: ApplyRun }> {
  const fresh = await timedApply(session, settings(oneKey, session.target.user));
  if (!fresh.changed) throw new Error('apply on a fresh host changed nothing: the host was not fresh');
  const again = await timedApply(session, settings(oneKey, session.target.user));
  const two = await timedApply(session, settings(twoKeys, session.target.user));
  return { fresh, again, twoKeys: two };
}

/**
 * Round trips (counted by the SSH session) and apply time with and without 100 ms of added
 * round-trip time, each on a freshly reset host so that apply really changes the server.
 */
export async function changeFigures(host: TestHost, rttMs = 100): Promise<ChangeFigures> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'homemail-bench-'));
  const oneKey = [await generateDkimKey({ domain: DOMAIN, selector: 'bench1' })];
  const twoKeys = [await generateDkimKey({ domain: DOMAIN, selector: 'bench2' }), await generateDkimKey({ domain: DOMAIN, selector: 'bench3' })];
  const dual = [await generateDkimKey({ domain: DOMAIN, selector: 'bench4' }), await generateDkimKey({ domain: DOMAIN, selector: 'bench4e', type: 'ed25519' })];
  try {
    // Without added latency.
    let session = await connectAdmin(host, host.sshPort, host.knownHostsPath);
    let inspectRoundTrips: number;
    let planRoundTrips: number;
    let local: ChangeFigures['local'];
    let rsaEd25519: ChangeFigures['rsaEd25519'];
    try {
      let before = session.roundTrips;
      await inspectServer(session);
      inspectRoundTrips = session.roundTrips - before;
      before = session.roundTrips;
      await planChanges(session, settings(oneKey, session.target.user), { dns: { skip: true } });
      planRoundTrips = session.roundTrips - before;
      local = await threeApplies(session, oneKey, twoKeys);
      before = session.roundTrips;
      try {
        const run = await timedApply(session, settings(dual, session.target.user));
        rsaEd25519 = { roundTrips: run.roundTrips, files: run.files, outcome: run.changed ? 'applied' : 'unchanged' };
      } catch (error) {
        rsaEd25519 = { roundTrips: session.roundTrips - before, files: null, outcome: `failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    } finally {
      await session.close();
    }

    // With added latency, on a fresh host again.
    const fresh = await resetHost(host.variant);
    const proxy = await startTcpDelayProxy({ host: fresh.sshHost, port: fresh.sshPort }, rttMs);
    try {
      const knownHosts = await knownHostsFor(fresh, proxy.port, work);
      let start = performance.now();
      session = await connectAdmin(fresh, proxy.port, knownHosts);
      const connectSeconds = (performance.now() - start) / 1000;
      try {
        start = performance.now();
        await inspectServer(session);
        const inspectSeconds = (performance.now() - start) / 1000;
        const applies = await threeApplies(session, oneKey, twoKeys);
        return { inspectRoundTrips, planRoundTrips, local, rsaEd25519, delayed: { rttMs, connectSeconds, inspectSeconds, ...applies } };
      } finally {
        await session.close();
      }
    } finally {
      await proxy.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A zone-file TXT line with every string under 255 bytes. */
function txt(name: string, value: string): string {
  const parts = value.match(/.{1,200}/g) ?? [''];
  return `${name} IN TXT ( ${parts.map((p) => `"${p}"`).join(' ')} )`;
}

/**
 * verifyDns (all DNS checks, concurrently) against the test DNS server behind a UDP proxy
 * that holds every answer `delayMs`. The zone carries a correct DKIM, SPF and DMARC set, so
 * every check runs its full course. Public-address discovery and blocklists are off: they
 * ask servers on the Internet, which this machine cannot reach.
 */
export async function verifyFigures(host: TestHost, delayMs = 50, runs = 7): Promise<VerifyFigures> {
  const key = await generateDkimKey({ domain: DOMAIN, selector: 'benchv' });
  const records = (address: string) => [
    txt('benchv._domainkey', `v=DKIM1; h=sha256; k=rsa; p=${key.publicKeyBase64}`),
    txt('@', `v=spf1 ip4:${address} -all`),
    txt('_dmarc', `v=DMARC1; p=quarantine; rua=mailto:dmarc@${DOMAIN}`),
  ];
  await host.setRecords(DOMAIN, records(host.address));
  const proxy = await startUdpDelayProxy({ host: host.dns.address, port: host.dns.port }, delayMs);
  try {
    const options = {
      domain: DOMAIN,
      dkim: [{ selector: 'benchv', publicKey: key.publicKeyBase64, keyType: 'rsa' as const }],
      addresses: [host.address],
      resolvers: [`127.0.0.1:${proxy.port}`],
      discoverAddress: false,
      checkBlocklists: false,
    };
    await timeVerify(options); // warm-up: module and socket set-up are not what a person waits for twice
    const { samples, mid } = await timedRuns(runs, () => timeVerify(options));
    // The dependent-chain floor: 127.0.0.3's PTR names relay3, which nothing asks ahead of the PTR answer.
    const chainAddress = '127.0.0.3';
    await host.setRecords('0.0.127.in-addr.arpa', ['3 IN PTR relay3.example.test.']);
    await host.setRecords(DOMAIN, [...records(chainAddress), `relay3 IN A ${chainAddress}`]);
    const chain = await timedRuns(runs, () => timeVerify({ ...options, addresses: [chainAddress] }));
    return {
      delayMs,
      runs,
      wallMs: samples.map((s) => s.wallMs),
      slowestQueryMs: samples.map((s) => s.slowestQueryMs),
      queries: mid.queries,
      slowestQuery: mid.slowestQuery,
      checksFailed: Math.max(...samples.map((s) => s.failed)),
      medianRun: { wallMs: mid.wallMs, slowestQueryMs: mid.slowestQueryMs },
      dependentChain: {
        address: chainAddress,
        chain: `PTR 3.0.0.127.in-addr.arpa → relay3.${DOMAIN} → A`,
        wallMs: chain.samples.map((s) => s.wallMs),
        slowestQueryMs: chain.samples.map((s) => s.slowestQueryMs),
        checksFailed: Math.max(...chain.samples.map((s) => s.failed)),
        medianRun: { wallMs: chain.mid.wallMs, slowestQueryMs: chain.mid.slowestQueryMs },
      },
    };
  } finally {
    await proxy.close();
    await host.setRecords('0.0.127.in-addr.arpa', []);
    await host.setRecords(DOMAIN, []);
  }
}

