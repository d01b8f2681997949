import { useCallback, useState } from 'react';
import type { SerializedError } from '../../../shared/errors.js';
import type { ApplyProgress, ApplyResult, Plan } from '../../../shared/plan.js';
import type { CallState } from '../hooks/useCall.js';

/**
 * The server-change calls (plan, apply) as the review and apply steps use them. This is the
 * one place that knows their contract names: the change engine's calls are wired here.
 */
export interface ChangeRequest {
  sessionId: string;
  domain: string;
  keyIds: string[];
  rua: string[];
  ruf: string[];
}

export interface ChangeHandle<R, P> {
  state: CallState<R>;
  progress: P[];
  run: (input: ChangeRequest) => Promise<R | undefined>;
  cancel: () => void;
}

const notYet: SerializedError = {
  code: 'not-found',
  message: 'This build has no server-change calls yet (plan/apply).',
  hint: 'Use the command line for now: homemail plan / homemail apply with the same domain and key.',
};

function useMissingCall<R, P>(): ChangeHandle<R, P> {
  const [state, setState] = useState<CallState<R>>({ status: 'idle' });
  const run = useCallback(async (): Promise<R | undefined> => {
    setState({ status: 'error', error: notYet });
    return undefined;
  }, []);
  return { state, progress: [], run, cancel: () => undefined };
}

export function usePlanCall(): ChangeHandle<Plan, never> {
  return useMissingCall<Plan, never>();
}

export function useApplyCall(): ChangeHandle<ApplyResult, ApplyProgress> {
  return useMissingCall<ApplyResult, ApplyProgress>();
}
