/**
 * What one run of the report reader may spend, whatever the mail holds: bytes decoded (after
 * base64 and decompression), rows kept, and time. Any mail a stranger sends to the rua address
 * reaches this code, so every loop that grows with the input asks the budget as it goes.
 */

/** The one error type the reader throws for bad input: a reason a person can read. */
export class ReportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRefused';
  }
}

/** The run's budget is used up: the reader stops and notes how far it got. */
export class BudgetExhausted extends ReportRefused {
  constructor(message: string) {
    super(message);
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
  private exhausted: string | null = null;

  constructor(readonly limits: BudgetLimits = defaultBudgetLimits) {}

  /** Why the budget ran out, or null. */
  get reason(): string | null {
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

  private fail(reason: string): never {
    this.exhausted ??= reason;
    throw new BudgetExhausted(this.exhausted);
  }

  /** Throws once the run is out of budget (cheap enough to call per element). */
  check(): void {
    if (this.exhausted !== null) throw new BudgetExhausted(this.exhausted);
    if (this.elapsedMs() > this.limits.maxMs) this.fail(`the reading time budget (${Math.round(this.limits.maxMs / 1000)} s) was used up`);
  }

  /** Bytes about to be produced by a decoder; throws before they are, when over. */
  spendBytes(count: number): void {
    this.decodedBytes += count;
    if (this.decodedBytes > this.limits.maxDecodedBytes) this.fail(`the decoding budget (${Math.round(this.limits.maxDecodedBytes / 1048576)} MiB) was used up`);
  }

  /** Bytes a decoder may still produce. */
  bytesLeft(): number {
    return Math.max(0, this.limits.maxDecodedBytes - this.decodedBytes);
  }

  spendRow(): void {
    this.rows += 1;
    if (this.rows > this.limits.maxRows) this.fail(`the row budget (${this.limits.maxRows} rows) was used up`);
    if ((this.rows & 1023) === 0) this.check();
  }
}
