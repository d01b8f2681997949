import type { AggregateReport, ReportNote, SkippedReport } from '../../../shared/reports.js';
import { defaultArchiveLimits, type ArchiveLimits } from './archive.js';
import { BudgetExhausted, defaultBudgetLimits, ReadBudget, type BudgetLimits } from './budget.js';
import { reportsFromMessage } from './extract.js';

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

  parse(messages: readonly string[]): ParsedBatch {
    const batch: ParsedBatch = { reports: [], skipped: [], notes: [] };
    this.budget.resume();
    try {
      this.parseInto(messages, batch);
    } finally {
      this.budget.pause();
    }
    return batch;
  }

  private parseInto(messages: readonly string[], batch: ParsedBatch): void {
    for (const message of messages) {
      if (this.stopped) {
        this.messagesLeftOut += 1;
        continue;
      }
      try {
        const extracted = reportsFromMessage(message, { limits: this.limits, budget: this.budget });
        batch.reports.push(...extracted.reports);
        batch.skipped.push(...extracted.skipped);
        batch.notes.push(...extracted.notes);
        this.messagesRead += 1;
      } catch (error) {
        if (!(error instanceof BudgetExhausted)) throw error;
        this.messagesLeftOut += 1;
      }
    }
  }

  /** The note for a budget that ran out, or null. */
  budgetNote(): ReportNote | null {
    const reason = this.budget.reason;
    if (reason === null) return null;
    return {
      source: 'the report reader',
      reason: `Stopped reading: ${reason}. ${this.messagesRead} message(s) were read; ${this.messagesLeftOut} message(s) were not (the one being read when the budget ran out included). Choose a shorter period or clean up the mailbox.`,
    };
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
