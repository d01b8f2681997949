import { contract, isCallName, type CallName, type CallOutcome, type ProgressOf, type ResultOf } from '../../shared/contract/index.js';
import { cancelledError, keyedError, serializeError } from '../../shared/errors.js';
import { zodBadInput } from '../../shared/validation/zodIssue.js';
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
    return { ok: false, error: serializeError(keyedError('usage', { key: 'noSuchCall', params: { name: JSON.stringify(String(name)).slice(0, 80) } })) };
  }
  return dispatchCall(handlers, name, rawInput, context);
}

async function dispatchCall<K extends CallName>(
  handlers: Handlers,
  name: K,
  rawInput: unknown,
  context: CallContext<unknown>,
): Promise<CallOutcome<ResultOf<K>>> {
  const input = rawInput ?? {};
  const parsed = contract[name].input.safeParse(input);
  // The refusal as a code: the wizard names the field by its label, beside the field where it has one.
  if (!parsed.success) return { ok: false, error: serializeError(zodBadInput(parsed.error, input)) };
  const handler = handlers[name] as Handler<K>;
  try {
    const result = await handler(parsed.data as Parameters<Handler<K>>[0], context as CallContext<ProgressOf<K>>);
    return { ok: true, result };
  } catch (error) {
    if (context.signal.aborted) return { ok: false, error: cancelledError() };
    return { ok: false, error: serializeError(error) };
  }
}
