import path from 'node:path';
import { keyedError, serializeError } from '../../../shared/errors.js';
import { parseSshTarget } from '../../../shared/validation/sshTarget.js';
import { sortChanges, watchSkip, type StoredCheck, type WatchSkip, type WatchChange, type WatchRunResult, type WatchTarget } from '../../../shared/watch.js';
import { loadDkimKeyFile, parseDkimSpec } from '../keys/index.js';
import { checkInbound } from '../inbound/checkInbound.js';
import { connectSsh } from '../ssh/connect.js';
import type { SshSession } from '../ssh/session.js';
import { DnsClient } from '../verify/dnsClient.js';
import type { DkimExpectation } from '../verify/recordChecks.js';
import { sendTest } from '../verify/sendTest.js';
import { chainedResolver, resolversFromArgs } from '../verify/servers.js';
import { verifyDns } from '../verify/verifyDns.js';
import { joinTxt } from '../../../shared/verify/tags.js';
import { inboundRun, recordDmarcReports, recordResult, sendTestRun, serverOf, storedCheck } from './record.js';
import { readReports } from '../reports/readReports.js';
import type { HistoryStore } from './store.js';
import type { MessageKey } from '../reports/seenList.js';
import type { AggregateReport, ReportMailbox } from '../../../shared/reports.js';

/** The mail a watch remembers having read is per server and per set of mailbox files. */
function mailboxKey(mailbox: ReportMailbox): string {
  return mailbox.paths.map((p) => `${p.format}:${p.path}`).join(' ');
}

export interface WatchDeps {
  store: HistoryStore;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** Homemail's known_hosts: watching never accepts a new host key. */
  knownHostsFile: string;
  /** Only when the person asked for it on the command line (never on a schedule). */
  acceptNewHostKey?: boolean;
  signal?: AbortSignal;
}

/** The text of each TXT record at a name, sorted; null when there is none; undefined when no answer. */
async function txtValues(resolve: (name: string, type: string) => Promise<unknown>, name: string): Promise<string | null | undefined> {
  try {
    const records = (await resolve(name, 'TXT')) as string[][];
    const texts = records.map((r) => joinTxt(r)).sort();
    return texts.length === 0 ? null : texts.join(' | ');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOTFOUND' || code === 'ENODATA' ? null : undefined;
  }
}

async function dkimExpectations(target: WatchTarget): Promise<DkimExpectation[]> {
  const expectations: DkimExpectation[] = [];
  for (const spec of target.dkimFiles) {
    const parsed = parseDkimSpec(spec);
    const key = await loadDkimKeyFile(parsed.selector, path.resolve(parsed.file), target.domain);
    expectations.push({ selector: key.selector, publicKey: key.publicKeyBase64, keyType: key.type });
  }
  for (const selector of target.selectors) if (!expectations.some((e) => e.selector === selector)) expectations.push({ selector, publicKey: null, keyType: null });
  return expectations;
}

/** Logs in only with what needs no prompt: the key file (unencrypted) or ssh-agent. */
async function connectWithoutPrompt(target: WatchTarget, deps: WatchDeps): Promise<SshSession> {
  if (target.ssh === null) throw keyedError('usage', { key: 'watchNoSshTarget', params: { domain: target.domain } });
  return connectSsh({
    target: parseSshTarget(target.ssh, 'ssh'),
    knownHostsFile: deps.knownHostsFile,
    onUnknownHostKey: deps.acceptNewHostKey === true ? 'accept-new' : 'refuse',
    ...(target.identityFile === null ? {} : { identityFile: target.identityFile }),
    env: deps.env,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs every check for one target (DNS always; the server's checks when it can log in without
 * a prompt), stores each result and returns what changed and what was skipped.
 */
export async function watchTarget(target: WatchTarget, deps: WatchDeps): Promise<WatchRunResult['targets'][number]> {
  const at = deps.now().toISOString();
  const changes: WatchChange[] = [];
  const skipped: WatchSkip[] = [];
  const dkim = await dkimExpectations(target);
  const report = await verifyDns({
    domain: target.domain,
    dkim,
    addresses: target.addresses,
    resolvers: target.resolvers,
    discoverAddress: target.addresses.length === 0 && target.resolvers.length === 0,
    checkBlocklists: true,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const resolve = chainedResolver(new DnsClient(deps.signal ? { signal: deps.signal } : {}), resolversFromArgs(target.resolvers));
  const records = new Map<string, string | null | undefined>();
  await Promise.all(dkim.map(async (e) => records.set(e.selector, await txtValues(resolve, `${e.selector}._domainkey.${target.domain}`))));
  const verifyChecks: StoredCheck[] = report.checks.map((check) => {
    if (!check.id.startsWith('dkim:')) return storedCheck(check);
    const record = records.get(check.id.slice('dkim:'.length));
    return storedCheck(check, record === undefined ? {} : { record });
  });
  const resolvers = report.resolvers.map((r) => r.address);
  changes.push(...recordResult(deps.store, { kind: 'verify', domain: target.domain, server: null, at, resolvers, checks: verifyChecks }).changes);

  if (target.ssh === null) {
    skipped.push(watchSkip('server-none'));
  } else {
    let session: SshSession | null = null;
    try {
      session = await connectWithoutPrompt(target, deps);
    } catch (error) {
      skipped.push(watchSkip('server-login', serializeError(error)));
    }
    if (session) {
      const server = serverOf(session);
      try {
        try {
          const inbound = await checkInbound(session, deps.signal);
          changes.push(...recordResult(deps.store, inboundRun(inbound, server, target.domain, at)).changes);
        } catch (error) {
          skipped.push(watchSkip('inbound', serializeError(error)));
        }
        try {
          const sent = await sendTest(session, {
            domain: target.domain,
            addresses: target.addresses,
            resolver: resolve,
            now: deps.now,
            ...(deps.signal ? { signal: deps.signal } : {}),
          });
          changes.push(...recordResult(deps.store, sendTestRun(sent, server, target.resolvers, at)).changes);
        } catch (error) {
          skipped.push(watchSkip('send-test', serializeError(error)));
        }
        try {
          let reports: readonly AggregateReport[] = [];
          const read: Array<{ mailbox: string; messages: readonly MessageKey[] }> = [];
          await readReports(session, {
            domain: target.domain,
            period: { kind: 'all' },
            now: deps.now(),
            signal: deps.signal,
            onReports: (found) => (reports = found),
            incremental: {
              seen: (mailbox) => deps.store.seenMessages(server, mailboxKey(mailbox)),
              onRead: (mailbox, messages) => read.push({ mailbox: mailboxKey(mailbox), messages }),
            },
          });
          changes.push(...recordDmarcReports(deps.store, target.domain, reports, at).changes);
          // Remembered only now that their reports are stored: a failure before this reads them again.
          for (const { mailbox, messages } of read) deps.store.markSeen(server, mailbox, messages, at);
        } catch (error) {
          skipped.push(watchSkip('reports', serializeError(error)));
        }
      } finally {
        await session.close();
      }
    }
  }
  deps.store.markWatched(target.id, at, skipped);
  return { domain: target.domain, server: target.ssh, changes: sortChanges(changes), skipped, failed: null };
}

/** Watches every given target in turn; one target failing does not stop the others. */
export async function watchTargets(targets: readonly WatchTarget[], deps: WatchDeps): Promise<WatchRunResult> {
  const at = deps.now().toISOString();
  const results: WatchRunResult['targets'] = [];
  for (const target of targets) {
    try {
      results.push(await watchTarget(target, deps));
    } catch (error) {
      results.push({ domain: target.domain, server: target.ssh, changes: [], skipped: [], failed: reason(error), failure: serializeError(error) });
    }
  }
  return { at, targets: results, worse: results.some((r) => r.changes.some((c) => c.severity === 'worse')) };
}
