import type { WatchRunResult } from '../../../shared/watch.js';
import type { HistoryStore } from './store.js';
import { errorMessageText, renderKeyed, watchChangeText, type Translator } from '../../../shared/i18n/keyedText.js';

export interface ScheduleDeps {
  store: HistoryStore;
  /** Runs every saved target (watchTargets). */
  run: () => Promise<WatchRunResult>;
  /** A system notification (the desktop app's Notification). */
  notify: (title: string, body: string) => void;
  /** The catalogs in the person's language, asked at each notification (the choice may change while the app runs): what it says (`watch.notify*`, `watch.change.*`). */
  words: () => Translator;
  now: () => Date;
  /** How often to look whether a run is due (default every 10 minutes). */
  tickMs?: number;
}

/** Whether the schedule says a run is due now. */
export function runDue(schedule: { enabled: boolean; intervalHours: number; lastRunAt: string | null }, now: Date): boolean {
  if (!schedule.enabled) return false;
  if (schedule.lastRunAt === null) return true;
  return now.getTime() - Date.parse(schedule.lastRunAt) >= schedule.intervalHours * 3_600_000;
}

/** One look at the schedule: runs when due, stores when it ran, notifies each target that got worse. */
export async function scheduleTick(deps: ScheduleDeps): Promise<WatchRunResult | null> {
  const schedule = deps.store.schedule();
  if (!runDue(schedule, deps.now()) || deps.store.targets().length === 0) return null;
  deps.store.setSchedule({ ...schedule, lastRunAt: deps.now().toISOString() });
  const result = await deps.run();
  const words = deps.words();
  for (const target of result.targets) {
    const worse = target.changes.filter((c) => c.severity === 'worse');
    if (worse.length > 0) deps.notify(words.t('watch.notifyTitle', { domain: target.domain }), worse.slice(0, 3).map((c) => watchChangeText(words, c)).join('\n'));
    else if (target.failed !== null) {
      const body = target.failure ? errorMessageText((namespace, item) => renderKeyed(words, namespace, item), target.failure) : target.failed;
      deps.notify(words.t('watch.notifyFailedTitle', { domain: target.domain }), body);
    }
  }
  return result;
}

/** The desktop app's watch while it is open: default daily, adjustable, with an off switch (the store keeps the setting). */
export function startWatchSchedule(deps: ScheduleDeps): { stop: () => void } {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void scheduleTick(deps)
      .catch(() => null)
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(tick, 60_000);
  const timer = setInterval(tick, deps.tickMs ?? 600_000);
  first.unref?.();
  timer.unref?.();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
