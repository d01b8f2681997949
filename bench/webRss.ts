import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallName, CallOutcome, InputOf, ResultOf } from '../shared/contract/index.js';
import { startWebMode, type WebMode } from '../test/e2e/support.js';
import type { TestHost } from '../test/host/testHost.js';

export interface WebRssFigures {
  /** VmRSS of the `homemail web` process after the whole wizard run. */
  rssMb: number;
  /** VmRSS right after start-up, before any call. */
  startRssMb: number;
  /** VmHWM: the peak resident size during the run. */
  peakRssMb: number;
  /** The calls made, in order, each with its outcome. */
  calls: { name: CallName; ok: boolean; ms: number }[];
  method: string;
}

/** Resident set size of a process in MB (1 MB = 1024 kB, as /proc counts), from /proc/PID/status. */
export async function procMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(kb) / 1024;
}

/** One contract call over web mode's HTTP door (NDJSON: progress lines, then the outcome). */
async function callWeb<K extends CallName>(web: WebMode, name: K, input: InputOf<K>): Promise<ResultOf<K>> {
  const response = await fetch(`http://127.0.0.1:${web.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await web.secret()}` },
    body: JSON.stringify(input),
  });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} ${await response.text()}`);
  const lines = (await response.text()).split('\n').filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) throw new Error(`${name}: empty answer`);
  const { outcome } = JSON.parse(last) as { outcome: CallOutcome<ResultOf<K>> };
  if (!outcome.ok) throw new Error(`${name} failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result;
}

/** The page and its assets, as a browser opening the wizard fetches them. */
async function loadPage(web: WebMode): Promise<void> {
  const html = await (await fetch(`http://127.0.0.1:${web.port}/`)).text();
  for (const asset of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
    const r = await fetch(`http://127.0.0.1:${web.port}${asset[1] ?? '/'}`);
    await r.arrayBuffer();
  }
}

/**
 * Drives the calls one wizard session makes, through web mode's HTTP API, against the test
 * host (which must be fresh, so apply changes it): connect (host-key consent, then connect),
 * inspect, generate a key, publish its records in the test DNS, plan, apply, verify DNS,
 * send a test message. Then reads the server process's memory.
 */
export async function webRssFigures(host: TestHost): Promise<WebRssFigures> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'homemail-bench-web-'));
  const web = await startWebMode({ HOMEMAIL_DATA_DIR: dataDir });
  const pid = web.process.pid;
  const calls: WebRssFigures['calls'] = [];
  const timed = async <K extends CallName>(name: K, input: InputOf<K>): Promise<ResultOf<K>> => {
    const start = performance.now();
    try {
      const result = await callWeb(web, name, input);
      calls.push({ name, ok: true, ms: Math.round(performance.now() - start) });
      return result;
    } catch (error) {
      calls.push({ name, ok: false, ms: Math.round(performance.now() - start) });
      throw error;
    }
  };
  try {
    if (pid === undefined) throw new Error('homemail web has no pid');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const startRssMb = await procMemoryMb(pid);
    await loadPage(web);

    const target = `${host.users.admin.name}@${host.sshHost}:${host.sshPort}`;
    const password = host.users.admin.password;
    const first = await timed('connectServer', { target, password });
    if (first.status !== 'confirm-host-key') throw new Error('connectServer did not ask to confirm an unknown host key');
    if (!(await host.hostKeyFingerprints()).includes(first.hostKey.fingerprint)) throw new Error('the presented host key is not the test host\'s');
    const connected = await timed('connectServer', { target, password, acceptFingerprint: first.hostKey.fingerprint });
    if (connected.status !== 'connected') throw new Error('connectServer did not connect after consent');
    const { sessionId } = connected;

    await timed('inspectServer', { sessionId });
    const generated = await timed('generateDkimKey', { domain: host.domain, selector: 'benchw' });
    await host.setRecords(host.domain, [
      `benchw._domainkey IN TXT ( ${generated.record.strings.map((s) => `"${s}"`).join(' ')} )`,
      `@ IN TXT "v=spf1 ip4:${host.address} -all"`,
      `_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${host.domain}"`,
    ]);
    const change = { sessionId, domain: host.domain, keyIds: [generated.key.keyId], rua: [`dmarc-reports@${host.domain}`], skipDnsCheck: true };
    await timed('planChanges', change);
    const applied = await timed('applyChanges', change);
    if (!applied.changed) throw new Error('applyChanges changed nothing: the host was not fresh');
    const resolver = `${host.dns.address}:${host.dns.port}`;
    await timed('verifyDns', {
      domain: host.domain,
      dkim: [{ selector: 'benchw', publicKey: generated.key.publicKey, keyType: 'rsa' }],
      addresses: [host.address],
      resolvers: [resolver],
      discoverAddress: false,
      checkBlocklists: false,
    });
    await timed('sendTest', { sessionId, to: host.users.admin.name, domain: host.domain, addresses: [host.address], resolvers: [resolver] });
    await timed('disconnectServer', { sessionId });

    const rssMb = await procMemoryMb(pid);
    const peakRssMb = await procMemoryMb(pid, 'VmHWM');
    return {
      rssMb,
      startRssMb,
      peakRssMb,
      calls,
      method: 'the wizard session\'s calls over web mode\'s HTTP API (page and assets fetched once), against the fresh test host',
    };
  } finally {
    await web.stop();
    await host.setRecords(host.domain, []).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}
