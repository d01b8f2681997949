import { contract, isCallName, type CallName, type CallOutcome, type ProgressOf, type ResultOf } from '../../shared/contract/index.js';
import { HomemailError, serializeError } from '../../shared/errors.js';
import type { CallContext, Handler, Handlers } from '../services/handler.js';

/**
 * The one gate every door goes through: the name must be a declared call and the input must
 * pass its schema before any handler runs. Errors come back as data, never as a thrown stack.
 */
export async function dispatch(
  handlers: Handlers,
  name: unknown,
  rawInput: unknown,
  context: CallContext<unknown>,
): Promise<CallOutcome<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: serializeError(new HomemailError('usage', `There is no call named ${JSON.stringify(String(name)).slice(0, 80)}.`)) };
  }
  return dispatchCall(handlers, name, rawInput, context);
}

async function dispatchCall<K extends CallName>(
  handlers: Handlers,
  name: K,
  rawInput: unknown,
  context: CallContext<unknown>,
): Promise<CallOutcome<ResultOf<K>>> {
  const parsed = contract[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'input';
    return {
      ok: false,
      error: serializeError(new HomemailError('bad-input', `${field}: ${issue?.message ?? 'invalid value'}`, { details: { field } })),
    };
  }
  const handler = handlers[name] as Handler<K>;
  try {
    const result = await handler(parsed.data as Parameters<Handler<K>>[0], context as CallContext<ProgressOf<K>>);
    return { ok: true, result };
  } catch (error) {
    if (context.signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'The operation was cancelled.' } };
    return { ok: false, error: serializeError(error) };
  }
}
