import { Worker } from 'node:worker_threads';
import { keyedError } from '../../../shared/errors.js';
import { defaultArchiveLimits, type ArchiveLimits } from './archive.js';
import { defaultBudgetLimits, type BudgetLimits } from './budget.js';
import { readerNote, reportSentence } from './sentences.js';
import type { ParsedBatch } from './parseMessages.js';
import type { MailPiece, WorkerReply, WorkerRequest } from './workerProtocol.js';

/**
 * The report reader's worker thread seen from the main process: messages are handed over in
 * batches as they arrive, reports come back batch by batch. The worker keeps to its own budget;
 * a heap limit and a watchdog bound it even if it did not (a batch unanswered for longer than
 * the whole time budget ends the worker, and what was read so far is kept).
 */
export interface WorkerOutcome extends ParsedBatch {
  messagesRead: number;
  messagesLeftOut: number;
  decodedBytes: number;
  rows: number;
  elapsedMs: number;
}

export interface ReportWorkerOptions {
  budget?: BudgetLimits;
  limits?: ArchiveLimits;
  /** After each batch: messages read so far. */
  onBatch?: (messagesRead: number) => void;
  signal?: AbortSignal | undefined;
  /** Heap of the worker (MB); past it the worker ends and the reports read so far are kept. */
  maxHeapMb?: number;
}

/** The worker's file: the bundled .js next to the CLI or the Electron main; the .ts source (through tsx) in tests. */
export function reportsWorkerLocation(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./reportsWorker.ts', here), execArgv: ['--import', 'tsx'] };
  return { url: new URL('./reportsWorker.js', here), execArgv: [] };
}

export class ReportWorker {
  private readonly worker: Worker;
  private readonly outcome: WorkerOutcome = { reports: [], skipped: [], notes: [], messagesRead: 0, messagesLeftOut: 0, decodedBytes: 0, rows: 0, elapsedMs: 0 };
  private readonly watchdogMs: number;
  private pending = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private ended: Promise<WorkerOutcome>;
  private settle: { resolve: (o: WorkerOutcome) => void; reject: (e: unknown) => void } | null = null;
  private finished = false;
  private messagesPosted = 0;
  /** Characters of each batch posted and not answered yet, oldest first. */
  private readonly inFlight: number[] = [];
  private inFlightChars = 0;
  private waiters: Array<{ below: number; resolve: () => void }> = [];

  constructor(private readonly options: ReportWorkerOptions = {}) {
    const budget = options.budget ?? defaultBudgetLimits;
    this.watchdogMs = budget.maxMs + 10_000;
    const { url, execArgv } = reportsWorkerLocation();
    this.worker = new Worker(url, { execArgv, resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 256, maxYoungGenerationSizeMb: 8 } });
    this.ended = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Unhandled until finish() is awaited; keep Node from reporting it early.
    this.ended.catch(() => undefined);
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', () => this.stopWith('workerError'));
    this.worker.on('exit', () => {
      if (!this.finished) this.stopWith('workerStopped');
    });
    options.signal?.addEventListener('abort', () => this.abort(), { once: true });
    this.post({ type: 'start', budget, limits: options.limits ?? defaultArchiveLimits });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private arm(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = this.pending > 0 ? setTimeout(() => this.stopWith('workerTimeout', { seconds: Math.round(this.watchdogMs / 1000) }), this.watchdogMs) : null;
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'batch') {
      this.pending -= 1;
      this.inFlightChars -= this.inFlight.shift() ?? 0;
      this.wake();
      this.arm();
      this.outcome.reports.push(...reply.reports);
      this.outcome.skipped.push(...reply.skipped);
      this.outcome.notes.push(...reply.notes);
      this.outcome.messagesRead = reply.messagesRead;
      this.outcome.messagesLeftOut = reply.messagesLeftOut;
      this.options.onBatch?.(reply.messagesRead);
    } else if (reply.type === 'done') {
      if (reply.budgetNote !== null) this.outcome.notes.push(reply.budgetNote);
      Object.assign(this.outcome, { decodedBytes: reply.decodedBytes, rows: reply.rows, elapsedMs: reply.elapsedMs });
      this.close();
      this.settle?.resolve(this.outcome);
    } else {
      this.close();
      this.settle?.reject(keyedError('internal', { key: 'reportReaderFailed', params: {} }, { output: reply.message }));
    }
  }

  /** Ends the worker, keeping what was read, with a note saying why. */
  private stopWith(why: string, params: Record<string, number> = {}): void {
    if (this.finished) return;
    const note = readerNote(reportSentence('stoppedWorker', { ...params, why, read: this.outcome.messagesRead, leftOut: this.messagesPosted - this.outcome.messagesRead }));
    this.outcome.notes.push(note);
    this.outcome.messagesLeftOut = this.messagesPosted - this.outcome.messagesRead;
    this.close();
    this.settle?.resolve(this.outcome);
  }

  /** Ends the worker without waiting for it (the mail could not be read). */
  cancel(): void {
    if (this.finished) return;
    this.close();
    this.settle?.reject(new Error('cancelled'));
  }

  private abort(): void {
    if (this.finished) return;
    this.close();
    this.settle?.reject(this.options.signal?.reason ?? new Error('aborted'));
  }

  private close(): void {
    this.finished = true;
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    void this.worker.terminate();
    this.wake();
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.finished || this.inFlightChars <= w.below);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /**
   * Resolves once at most `chars` characters of mail wait in the worker (at once when fewer do,
   * or the worker ended): the reader of the mailbox waits on it, so the mail comes no faster
   * than it is parsed.
   */
  whenBelow(chars: number): Promise<void> | null {
    if (this.finished || this.inFlightChars <= chars) return null;
    return new Promise((resolve) => this.waiters.push({ below: chars, resolve }));
  }

  /** Hands pieces of mail over as they arrive (copied to the worker); returns at once. */
  pushPieces(pieces: MailPiece[]): void {
    if (this.finished || pieces.length === 0) return;
    let chars = 0;
    for (const piece of pieces) {
      if (piece.kind === 'text') chars += piece.text.length;
      else if (piece.kind === 'begin') this.messagesPosted += 1;
    }
    this.pending += 1;
    this.inFlight.push(chars);
    this.inFlightChars += chars;
    this.post({ type: 'pieces', pieces });
    this.arm();
  }

  /** Hands messages over (copied to the worker); returns at once. */
  push(messages: string[]): void {
    if (this.finished || messages.length === 0) return;
    this.pending += 1;
    this.messagesPosted += messages.length;
    this.inFlight.push(0);
    this.post({ type: 'messages', messages });
    this.arm();
  }

  /** Waits for every batch, then the worker's closing figures. */
  finish(): Promise<WorkerOutcome> {
    if (!this.finished) this.post({ type: 'end' });
    return this.ended;
  }
}

/** Reads the messages in a worker thread, in batches of about `batchBytes`. */
export async function parseInWorker(messages: readonly string[], options: ReportWorkerOptions & { batchBytes?: number } = {}): Promise<WorkerOutcome> {
  const worker = new ReportWorker(options);
  const batchBytes = options.batchBytes ?? 2 * 1024 * 1024;
  let batch: string[] = [];
  let size = 0;
  for (const message of messages) {
    batch.push(message);
    size += message.length;
    if (size >= batchBytes) {
      worker.push(batch);
      batch = [];
      size = 0;
    }
  }
  worker.push(batch);
  return worker.finish();
}
