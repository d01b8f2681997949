import type { ReportNote } from '../../../shared/reports.js';
import type { ArchiveLimits } from './archive.js';
import type { BudgetLimits } from './budget.js';
import type { ParsedBatch } from './parseMessages.js';

/** A piece of the mail as it arrives: a message starts, text of the current message, the message ends. */
export type MailPiece = { kind: 'begin' } | { kind: 'text'; text: string } | { kind: 'end' };

/** Messages between the main process and the report reader's worker thread. */
export type WorkerRequest =
  | { type: 'start'; budget: BudgetLimits; limits: ArchiveLimits }
  | { type: 'messages'; messages: string[] }
  | { type: 'pieces'; pieces: MailPiece[] }
  | { type: 'end' };

export type WorkerReply =
  | ({ type: 'batch'; messagesRead: number; messagesLeftOut: number } & ParsedBatch)
  | { type: 'done'; budgetNote: ReportNote | null; decodedBytes: number; rows: number; elapsedMs: number }
  | { type: 'failed'; message: string };
