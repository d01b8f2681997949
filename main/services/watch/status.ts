import type { WatchSchedule, WatchStatus } from '../../../shared/watch.js';
import { sortChanges } from '../../../shared/watch.js';
import type { HistoryStore } from './store.js';

/** What `homemail status` and the Status page show: per domain, the newest run of each kind, its changes, DMARC trends. */
export function buildStatus(store: HistoryStore, schedule: WatchSchedule | null): WatchStatus {
  const targets = store.watchedDomains().map((domain) => {
    const latest = store.latestRuns(domain);
    const { at, changes } = store.latestChanges(domain);
    const watched = store.skippedAt(domain);
    return {
      domain,
      server: latest.find((run) => run.server !== null)?.server ?? null,
      latest,
      changes: sortChanges(changes),
      skipped: watched.at !== null && watched.at === at ? watched.skipped : [],
      lastRunAt: at,
      runs: store.runCount(domain),
      trends: store.dmarcTrends(domain),
    };
  });
  return { storePath: store.file, schemaVersion: store.schemaVersion, targets, schedule, rotations: store.rotations() };
}
