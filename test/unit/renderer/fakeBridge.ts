// A stand-in for the back end in component tests: window.homemail implementing
// HomemailBridge, answering from per-test handlers. Pure UI tests only; the real back end
// is exercised by the e2e suite against the test host.
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import type { CallHooks, CallName, CallOutcome, HomemailBridge, InputOf, ProgressOf, ResultOf } from '../../../shared/contract/index.js';
import { callNames } from '../../../shared/contract/names.js';
import type { SerializedError } from '../../../shared/errors.js';

export type FakeHandler<K extends CallName> = (input: InputOf<K>, hooks: CallHooks<ProgressOf<K>>) => Promise<CallOutcome<ResultOf<K>>>;

// findBy*/waitFor give up after 1 s by default, and vitest after 5 s per test: a loaded machine
// can spend that on one render of a step in jsdom. Every suite that fakes the bridge waits
// longer; the wait stays well inside the test's time, so a text that never comes still fails
// with testing-library's own message.
configure({ asyncUtilTimeout: 8_000 });
vi.setConfig({ testTimeout: 20_000 });

type Handlers = { [K in CallName]?: FakeHandler<K> };

const handlers: Handlers = {};
export const calls: { name: CallName; input: unknown }[] = [];

export function installFakeBridge(): void {
  const bridge = Object.fromEntries(
    callNames.map((name) => [
      name,
      (input: unknown, hooks: CallHooks<unknown> = {}) => {
        calls.push({ name, input });
        const handler = handlers[name] as ((input: unknown, hooks: CallHooks<unknown>) => Promise<CallOutcome<unknown>>) | undefined;
        if (!handler) return Promise.resolve({ ok: false, error: { code: 'internal', message: `no fake for ${name}` } });
        return handler(input, hooks);
      },
    ]),
  ) as unknown as HomemailBridge;
  window.homemail = bridge;
}

export function fake<K extends CallName>(name: K, handler: FakeHandler<K>): void {
  (handlers as Record<string, unknown>)[name] = handler;
}

export function resetFakes(): void {
  for (const key of Object.keys(handlers)) delete (handlers as Record<string, unknown>)[key];
  calls.length = 0;
}

export const ok = <R>(result: R): Promise<CallOutcome<R>> => Promise.resolve({ ok: true, result });
export const fail = (error: SerializedError): Promise<CallOutcome<never>> => Promise.resolve({ ok: false, error });

/** A call that stays pending until cancelled through the bridge's cancel hook. */
export function pendingUntilCancelled<R>(hooks: { onCancelable?: (cancel: () => void) => void }): Promise<CallOutcome<R>> {
  return new Promise((resolve) => {
    hooks.onCancelable?.(() => resolve({ ok: false, error: { code: 'cancelled', message: 'The operation was cancelled.' } }));
  });
}

/**
 * The per-test setup of every component suite: a fresh fake bridge before each test (and,
 * unless told otherwise, no saved wizard state), nothing left rendered or faked after it.
 */
export function useFakeBridgeInEachTest(options: { clearStorage?: boolean } = {}): void {
  beforeEach(() => {
    installFakeBridge();
    if (options.clearStorage !== false) window.localStorage.clear();
  });
  afterEach(() => {
    cleanup();
    resetFakes();
  });
}
