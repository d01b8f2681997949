/**
 * What one run of the report reader may spend, whatever the mail holds: bytes decoded (after
 * base64 and decompression), rows kept, and time. Any mail a stranger sends to the rua address
 * reaches this code, so every loop that grows with the input asks the budget as it goes.
 */
import { keyedText } from '../../../shared/i18n/english.js';
import type { KeyedText } from '../../../shared/i18n/keyedText.js';

/**
 * The one error type the reader throws for bad input: a reason a person can read, as a keyed
 * sentence (`reports.note.<key>`) or, where not converted yet, an English sentence.
 */
export class ReportRefused extends Error {
  readonly sentence: KeyedText | null;

  constructor(reason: string | KeyedText) {
    super(typeof reason === 'string' ? reason : reason.text);
    this.name = 'ReportRefused';
    this.sentence = typeof reason === 'string' ? null : reason;
  }
}

/** The run's budget is used up: the reader stops and notes how far it got (why: `words.reports.note.why.<key>`). */
export class BudgetExhausted extends ReportRefused {
  constructor(why: KeyedText) {
    super(why);
    this.name = 'BudgetExhausted';
  }
}

export interface BudgetLimits {
  /** Bytes decoded in all: transfer encodings, decompression and text decoding together. */
  maxDecodedBytes: number;
  /** Rows kept in all. */
  maxRows: number;
  /** Milliseconds of parsing in all. */
  maxMs: number;
}

export const defaultBudgetLimits: BudgetLimits = {
  maxDecodedBytes: 512 * 1024 * 1024,
  maxRows: 500_000,
  maxMs: 30_000,
};

export class ReadBudget {
  decodedBytes = 0;
  rows = 0;
  /** Time is counted only while the reader works (not while it waits for mail to arrive). */
  private spentMs = 0;
  private sliceStart: number | null = performance.now();
  private exhausted: KeyedText | null = null;

  constructor(readonly limits: BudgetLimits = defaultBudgetLimits) {}

  /** Why the budget ran out (a code under `words.reports.note.why.` with params), or null. */
  get reason(): KeyedText | null {
    return this.exhausted;
  }

  elapsedMs(): number {
    return this.spentMs + (this.sliceStart === null ? 0 : performance.now() - this.sliceStart);
  }

  /** The reader waits (for the next batch of mail): the clock stops. */
  pause(): void {
    if (this.sliceStart !== null) this.spentMs += performance.now() - this.sliceStart;
    this.sliceStart = null;
  }

  resume(): void {
    this.sliceStart ??= performance.now();
  }

  private fail(why: string, params: Record<string, number>): never {
    this.exhausted ??= keyedText('words.reports.note.why', why, params);
    throw new BudgetExhausted(this.exhausted);
  }

  /** Throws once the run is out of budget (cheap enough to call per element). */
  check(): void {
    if (this.exhausted !== null) throw new BudgetExhausted(this.exhausted);
    if (this.elapsedMs() > this.limits.maxMs) this.fail('time', { seconds: Math.round(this.limits.maxMs / 1000) });
  }

  /** Bytes about to be produced by a decoder; throws before they are, when over. */
  spendBytes(count: number): void {
    this.decodedBytes += count;
    if (this.decodedBytes > this.limits.maxDecodedBytes) this.fail('decoded', { mib: Math.round(this.limits.maxDecodedBytes / 1048576) });
  }

  /** Bytes a decoder may still produce. */
  bytesLeft(): number {
    return Math.max(0, this.limits.maxDecodedBytes - this.decodedBytes);
  }

  spendRow(): void {
    this.rows += 1;
    if (this.rows > this.limits.maxRows) this.fail('rows', { rows: this.limits.maxRows });
    if ((this.rows & 1023) === 0) this.check();
  }
}
