import type { CallName, ParsedInputOf, ProgressOf, ResultOf } from '../../shared/contract/index.js';

/** What every handler gets besides its input: a progress channel and a cancel signal. */
export interface CallContext<P> {
  signal: AbortSignal;
  progress: (event: P) => void;
}

export type Handler<K extends CallName> = (input: ParsedInputOf<K>, context: CallContext<ProgressOf<K>>) => Promise<ResultOf<K>>;

export type Handlers = { [K in CallName]: Handler<K> };

/** A slice of the handlers, as each area of the back end provides them. */
export type HandlerGroup<K extends CallName> = { [P in K]: Handler<P> };
