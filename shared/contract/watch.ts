import { z } from 'zod';
import type { WatchRunResult, WatchSchedule, WatchStatus } from '../watch.js';
import { reportDomainField } from './reports.js';
import { call } from './define.js';

export interface HistoryExport {
  filename: string;
  mediaType: 'text/csv' | 'application/json';
  text: string;
}

export const watchCalls = {
  watchStatus: call<WatchStatus>()({
    input: z.object({}).strict(),
    description: 'The stored state of every watched server and domain: each check now, what changed at the last run, and DMARC trends.',
  }),
  watchRunNow: call<WatchRunResult>()({
    input: z.object({}).strict(),
    description: 'Runs every check for every saved target now (server checks only where login needs no prompt) and stores the results.',
  }),
  exportHistory: call<HistoryExport>()({
    input: z.object({ domain: reportDomainField, format: z.enum(['csv', 'json']) }).strict(),
    description: "One domain's stored history as CSV (one line per check) or JSON (runs, checks and changes).",
  }),
  deleteServerHistory: call<{ runs: number }>()({
    input: z.object({ host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/), port: z.number().int().min(1).max(65535) }).strict(),
    description: "Deletes everything stored about one server: its runs, their changes and the mail read there.",
  }),
  setWatchSchedule: call<WatchSchedule>()({
    input: z.object({ enabled: z.boolean(), intervalHours: z.number().int().min(1).max(24 * 30) }).strict(),
    description: 'Turns the desktop app\'s scheduled watch on or off and sets how often it runs.',
  }),
};
