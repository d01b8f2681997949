import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallName, InputOf, ProgressOf, ResultOf } from '../../../shared/contract/index.js';
import { serializeError, type SerializedError } from '../../../shared/errors.js';
import { callApi, CallFailed } from '../api.js';

export type CallState<R> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: SerializedError }
  | { status: 'done'; result: R };

export interface CallHandle<K extends CallName> {
  state: CallState<ResultOf<K>>;
  /** The latest progress event of the running call (cleared when a call starts). */
  progress: ProgressOf<K> | null;
  /** Every progress event of the running (or last) call, in order: a live log. */
  events: ProgressOf<K>[];
  /** Runs the call; resolves with the result, or undefined when it failed or was cancelled. */
  run: (input: InputOf<K>) => Promise<ResultOf<K> | undefined>;
  cancel: () => void;
  reset: () => void;
}

export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof CallFailed) return error.error;
  return serializeError(error);
}

/**
 * One contract call with its loading, error and result states, its progress events and a
 * way to cancel. Leaving the screen cancels a running call; a superseded call's late
 * answer is ignored.
 */
export function useCall<K extends CallName>(name: K): CallHandle<K> {
  const [state, setState] = useState<CallState<ResultOf<K>>>({ status: 'idle' });
  const [progress, setProgress] = useState<ProgressOf<K> | null>(null);
  const [events, setEvents] = useState<ProgressOf<K>[]>([]);
  const current = useRef<AbortController | null>(null);

  useEffect(() => () => current.current?.abort(), []);

  const run = useCallback(
    async (input: InputOf<K>): Promise<ResultOf<K> | undefined> => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setState({ status: 'loading' });
      setProgress(null);
      setEvents([]);
      try {
        const result = await callApi(name, input, {
          signal: controller.signal,
          onProgress: (event) => {
            if (current.current !== controller) return;
            setProgress(event);
            setEvents((all) => [...all, event]);
          },
        });
        if (current.current !== controller) return undefined;
        setState({ status: 'done', result });
        return result;
      } catch (error) {
        if (current.current === controller) setState({ status: 'error', error: toSerializedError(error) });
        return undefined;
      } finally {
        if (current.current === controller) current.current = null;
      }
    },
    [name],
  );

  const cancel = useCallback(() => current.current?.abort(), []);
  const reset = useCallback(() => {
    current.current?.abort();
    current.current = null;
    setState({ status: 'idle' });
    setProgress(null);
    setEvents([]);
  }, []);

  return { state, progress, events, run, cancel, reset };
}
