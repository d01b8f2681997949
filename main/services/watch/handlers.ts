import path from 'node:path';
import { historyCsv } from '../../../shared/watch.js';
import type { ServiceDeps } from '../deps.js';
import type { HandlerGroup, Handlers } from '../handler.js';
import { knownHostsPath } from '../ssh/paths.js';
import { wizardSessions } from '../ssh/sessionStore.js';
import { historyStoreAt, inboundRun, recordQuietly, sendTestRun, serverOf, verifyRun } from './record.js';
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

/** Wraps the check handlers so that every verify, send-test and inbound check result is stored. */
export function withHistory(deps: ServiceDeps, handlers: Handlers): Handlers {
  const file = deps.historyFile ?? path.join(deps.dataDir, 'history.sqlite');
  const at = () => deps.now().toISOString();
  return {
    ...handlers,
    verifyDns: async (input, context) => {
      const report = await handlers.verifyDns(input, context);
      recordQuietly(file, verifyRun(report, at()));
      return report;
    },
    sendTest: async (input, context) => {
      const report = await handlers.sendTest(input, context);
      recordQuietly(file, sendTestRun(report, serverOf(wizardSessions.get(input.sessionId)), input.resolvers, at()));
      return report;
    },
    checkInbound: async (input, context) => {
      const report = await handlers.checkInbound(input, context);
      recordQuietly(file, inboundRun(report, serverOf(wizardSessions.get(input.sessionId)), null, at()));
      return report;
    },
  };
}
