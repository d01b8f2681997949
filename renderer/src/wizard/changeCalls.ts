import type { InputOf } from '../../../shared/contract/index.js';
import { useCall, type CallHandle } from '../hooks/useCall.js';

/** What the review and apply steps send: the session, the domain and the keys made in main. */
export type ChangeRequest = InputOf<'planChanges'>;

export function usePlanCall(): CallHandle<'planChanges'> {
  return useCall('planChanges');
}

export function useApplyCall(): CallHandle<'applyChanges'> {
  return useCall('applyChanges');
}
