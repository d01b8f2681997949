import type { AggregateReport, ReportNote, SkippedReport } from '../../../shared/reports.js';
import { defaultArchiveLimits, type ArchiveLimits } from './archive.js';
import { BudgetExhausted, defaultBudgetLimits, ReadBudget, type BudgetLimits } from './budget.js';
import { MessageReportsReader } from './extract.js';
import { readerNote, reportSentence } from './sentences.js';

/**
 * Reads the reports of many messages within one budget. The worker thread runs this; tests
 * and the fuzz corpus call it directly. Once the budget is used up the remaining messages are
 * not opened and one note says how far the reader got.
 */
export interface ParseOptions {
  limits?: ArchiveLimits;
  budget?: BudgetLimits;
}

export interface ParsedBatch {
  reports: AggregateReport[];
  skipped: SkippedReport[];
  notes: ReportNote[];
}

export class MessageParser {
  readonly budget: ReadBudget;
  private readonly limits: ArchiveLimits;
  private batch: ParsedBatch = { reports: [], skipped: [], notes: [] };
  /** The message being read, or null between messages (and for one given up on). */
  private current: MessageReportsReader | null = null;
  messagesRead = 0;
  messagesLeftOut = 0;

  constructor(options: ParseOptions = {}) {
    this.budget = new ReadBudget(options.budget ?? defaultBudgetLimits);
    this.limits = options.limits ?? defaultArchiveLimits;
  }

  /** True once the budget is used up: further messages are only counted. */
  get stopped(): boolean {
    return this.budget.reason !== null;
  }

  /** Runs reading work with the budget's clock going (it stops while the reader waits for mail). */
  timed<T>(work: () => T): T {
    this.budget.resume();
    try {
      return work();
    } finally {
      this.budget.pause();
    }
  }

  private attempt(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      this.current = null;
      this.messagesLeftOut += 1;
    }
  }

  /** A message starts; its text follows in `write` pieces, then `end`. */
  begin(): void {
    this.current = null;
    if (this.stopped) {
      this.messagesLeftOut += 1;
      return;
    }
    this.attempt(() => {
      this.current = new MessageReportsReader({ limits: this.limits, budget: this.budget });
    });
  }

  write(text: string): void {
    const reader = this.current;
    if (reader !== null) this.attempt(() => reader.write(text));
  }

  end(): void {
    const reader = this.current;
    if (reader === null) return;
    this.attempt(() => {
      const extracted = reader.end();
      this.current = null;
      this.batch.reports.push(...extracted.reports);
      this.batch.skipped.push(...extracted.skipped);
      this.batch.notes.push(...extracted.notes);
      this.messagesRead += 1;
    });
  }

  /** What was read since the last call. */
  take(): ParsedBatch {
    const batch = this.batch;
    this.batch = { reports: [], skipped: [], notes: [] };
    return batch;
  }

  /** Whole messages, one after the other. */
  parse(messages: readonly string[]): ParsedBatch {
    this.timed(() => {
      for (const message of messages) {
        this.begin();
        this.write(message);
        this.end();
      }
    });
    return this.take();
  }

  /** The note for a budget that ran out, or null. */
  budgetNote(): ReportNote | null {
    const reason = this.budget.reason;
    if (reason === null) return null;
    return readerNote(reportSentence('stoppedBudget', { ...reason.params, why: reason.key, read: this.messagesRead, leftOut: this.messagesLeftOut }));
  }
}

/** All messages in one go (what the worker does batch by batch). */
export function parseMessages(messages: readonly string[], options: ParseOptions = {}): ParsedBatch {
  const parser = new MessageParser(options);
  const batch = parser.parse(messages);
  const note = parser.budgetNote();
  if (note !== null) batch.notes.push(note);
  return batch;
}
