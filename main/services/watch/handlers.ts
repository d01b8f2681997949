import path from 'node:path';
import { historyCsv } from '../../../shared/watch.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup, Handlers } from '../handler.js';
import { knownHostsPath } from '../ssh/paths.js';
import { wizardSessions } from '../ssh/sessionStore.js';
import { historyStoreAt, inboundChecks, recordResult, storedCheck } from './record.js';
import { watchTargets } from './runWatch.js';
import { buildStatus } from './status.js';
import type { HistoryStore } from './store.js';

/** The store a door uses: the one it names, else `history.sqlite` in its data folder. */
export function historyStoreFor(deps: ServiceDeps): HistoryStore {
  return historyStoreAt(deps.historyFile ?? path.join(deps.dataDir, 'history.sqlite'));
}

export function createWatchHandlers(deps: ServiceDeps): HandlerGroup<'watchStatus' | 'watchRunNow' | 'exportHistory' | 'deleteServerHistory' | 'setWatchSchedule'> {
  const store = () => historyStoreFor(deps);
  return {
    watchStatus: async () => buildStatus(store(), deps.door === 'desktop' ? store().schedule() : null),
    watchRunNow: async (_input, { signal }) =>
      watchTargets(store().targets(), { store: store(), now: deps.now, env: process.env, knownHostsFile: knownHostsPath(deps.dataDir), signal }),
    exportHistory: async (input) => {
      const runs = store().history(input.domain);
      const base = `homemail-history-${input.domain}`;
      if (input.format === 'csv') return { filename: `${base}.csv`, mediaType: 'text/csv', text: historyCsv(runs) };
      const body = { domain: input.domain, runs, changes: store().changeHistory(input.domain), dmarc: store().dmarcTrends(input.domain) };
      return { filename: `${base}.json`, mediaType: 'application/json', text: `${JSON.stringify(body, null, 2)}\n` };
    },
    deleteServerHistory: async (input) => store().deleteServerHistory(input.host, input.port),
    setWatchSchedule: async (input) => {
      const schedule = { ...store().schedule(), enabled: input.enabled, intervalHours: input.intervalHours };
      store().setSchedule(schedule);
      return schedule;
    },
  };
}

const quietly = (work: () => void): void => {
  try {
    work();
  } catch {
    // The history is a record, never a reason for a check to fail.
  }
};

/** Wraps the check handlers so that every verify, send-test and inbound check result is stored. */
export function withHistory(deps: ServiceDeps, handlers: Handlers): Handlers {
  const at = () => deps.now().toISOString();
  const serverOf = (sessionId: string) => {
    const session = wizardSessions.get(sessionId);
    return { host: session.target.host, port: session.target.port, hostKeyFingerprint: session.hostKey.fingerprint };
  };
  return {
    ...handlers,
    verifyDns: async (input, context) => {
      const report = await handlers.verifyDns(input, context);
      quietly(() =>
        recordResult(historyStoreFor(deps), { kind: 'verify', domain: report.domain, server: null, at: at(), resolvers: report.resolvers.map((r) => r.address), checks: report.checks.map((c) => storedCheck(c)) }),
      );
      return report;
    },
    sendTest: async (input, context) => {
      const report = await handlers.sendTest(input, context);
      quietly(() =>
        recordResult(historyStoreFor(deps), {
          kind: 'send-test',
          domain: report.from.split('@')[1] ?? null,
          server: serverOf(input.sessionId),
          at: at(),
          resolvers: input.resolvers,
          checks: report.checks.map((c) => storedCheck(c)),
        }),
      );
      return report;
    },
    checkInbound: async (input, context) => {
      const report = await handlers.checkInbound(input, context);
      quietly(() => recordResult(historyStoreFor(deps), { kind: 'inbound', domain: null, server: serverOf(input.sessionId), at: at(), resolvers: [], checks: inboundChecks(report) }));
      return report;
    },
  };
}
