import type { ApplyProgress } from '../shared/plan.js';

export interface StageTimings {
  /** Milliseconds from each server stage's start to the next stamped event (`restart`, `health`, …). */
  stages: Record<string, number>;
  /** From the first stamped stage to the last (the transaction's time on the server). */
  serverMs: number;
}

/**
 * Stage durations from an apply's log, using the server clock stamps (`atMs`) the transaction
 * script reports. A stage lasts until the next stamped event; the last one (`health` ok) ends
 * the series. Null when the server stamped fewer than two events (an old script, or `date`
 * without %N).
 */
export function stageTimings(log: readonly ApplyProgress[]): StageTimings | null {
  const stamped = log.filter((e): e is ApplyProgress & { atMs: number } => typeof e.atMs === 'number');
  if (stamped.length < 2) return null;
  const stages: Record<string, number> = {};
  for (let i = 0; i + 1 < stamped.length; i += 1) {
    const here = stamped[i];
    const next = stamped[i + 1];
    if (here === undefined || next === undefined || here.status !== 'start') continue;
    stages[here.stage] = (stages[here.stage] ?? 0) + (next.atMs - here.atMs);
  }
  const first = stamped[0]?.atMs ?? 0;
  const last = stamped[stamped.length - 1]?.atMs ?? first;
  return { stages, serverMs: last - first };
}
