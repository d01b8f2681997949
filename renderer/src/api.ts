import i18next from 'i18next';
import type { CallHooks, CallName, CallOutcome, HomemailBridge, InputOf, ProgressOf, ResultOf } from '../../shared/contract/index.js';
import { callNames } from '../../shared/contract/names.js';
import type { SerializedError } from '../../shared/errors.js';

declare global {
  interface Window {
    homemail?: HomemailBridge;
  }
}

/** A failed call, carrying the contract's error (code, message, hint) for the screen to translate. */
export class CallFailed extends Error {
  readonly error: SerializedError;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'CallFailed';
    this.error = error;
  }
}

/** Where the page keeps web mode's session secret: per tab, per origin (port included). */
export const SESSION_KEY = 'homemail.session';

let pendingSession: Promise<string | null> | undefined;

/**
 * Web mode's session secret. The address `homemail web` opens carries a one-time code
 * (`?token=`): the first time, the page trades it for the secret, keeps that in
 * sessionStorage and takes the code out of the address bar. Null when there is neither.
 */
export function webSession(): Promise<string | null> {
  pendingSession ??= (async () => {
    const kept = sessionStorage.getItem(SESSION_KEY);
    if (kept) return kept;
    const code = new URLSearchParams(location.search).get('token');
    if (!code) return null;
    history.replaceState(null, '', location.pathname);
    const response = await fetch('./api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
    });
    if (!response.ok) return null;
    const { secret } = (await response.json()) as { secret?: unknown };
    if (typeof secret !== 'string') return null;
    sessionStorage.setItem(SESSION_KEY, secret);
    return secret;
  })();
  return pendingSession;
}

/** Web mode's door: the same calls over HTTP, progress streamed as NDJSON lines. */
function webBridge(): HomemailBridge {
  const invoke = async (name: CallName, input: unknown, hooks?: CallHooks<unknown>): Promise<CallOutcome<unknown>> => {
    const controller = new AbortController();
    hooks?.onCancelable?.(() => controller.abort());
    let response: Response;
    try {
      const secret = await webSession();
      if (secret === null) {
        // A usage slip of the web door (an old or copied address), said in the page's language.
        return { ok: false, error: { code: 'usage', message: i18next.t('web.noSession') } };
      }
      response = await fetch(`./api/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
        body: JSON.stringify(input ?? {}),
        signal: controller.signal,
        credentials: 'omit',
      });
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, error: { code: 'cancelled', message: i18next.t('errors.cancelled') } };
      return { ok: false, error: { code: 'internal', message: i18next.t('web.noServer', { detail: String(error) }) } };
    }
    if (!response.ok || !response.body) {
      return { ok: false, error: { code: 'internal', message: i18next.t('web.badAnswer', { status: response.status, detail: await response.text() }) } };
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
          if (!line) continue;
          const message = JSON.parse(line) as { progress?: unknown; outcome?: CallOutcome<unknown> };
          if (message.outcome) return message.outcome;
          if ('progress' in message) hooks?.onProgress?.(message.progress);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, error: { code: 'cancelled', message: i18next.t('errors.cancelled') } };
      throw error;
    }
    return { ok: false, error: { code: 'internal', message: i18next.t('web.noAnswer') } };
  };
  return Object.fromEntries(callNames.map((name) => [name, (input: unknown, hooks?: CallHooks<unknown>) => invoke(name, input, hooks)])) as unknown as HomemailBridge;
}

let bridge: HomemailBridge | undefined;

function currentBridge(): HomemailBridge {
  bridge ??= window.homemail ?? webBridge();
  return bridge;
}

/** At start-up in web mode: trade the address's one-time code now, so it leaves the address bar at once. */
export function startWebSession(): void {
  if (window.homemail === undefined) void webSession();
}

export interface CallOptions<P> {
  onProgress?: (event: P) => void;
  signal?: AbortSignal;
}

/** Calls the back end; resolves with the result or throws CallFailed. */
export async function callApi<K extends CallName>(name: K, input: InputOf<K>, options: CallOptions<ProgressOf<K>> = {}): Promise<ResultOf<K>> {
  const invoke = currentBridge()[name] as unknown as (input: InputOf<K>, hooks?: CallHooks<ProgressOf<K>>) => Promise<CallOutcome<ResultOf<K>>>;
  if (options.signal?.aborted) throw new CallFailed({ code: 'cancelled', message: i18next.t('errors.cancelled') });
  const outcome = await invoke(input, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onCancelable: (cancel) => options.signal?.addEventListener('abort', cancel, { once: true }),
  });
  if (!outcome.ok) throw new CallFailed(outcome.error);
  return outcome.result;
}
