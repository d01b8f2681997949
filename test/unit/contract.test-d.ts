import { expectTypeOf, test } from 'vitest';
import type { CallName, HomemailBridge } from '../../shared/contract/index.js';
import type { callNames } from '../../shared/contract/names.js';
import type { buildBridge } from '../../main/ipc/preload.js';
import type { createHandlers } from '../../main/services/index.js';

test('every declared call has a handler, and nothing else does', () => {
  expectTypeOf<keyof ReturnType<typeof createHandlers>>().toEqualTypeOf<CallName>();
});

test('the preload exposes exactly the declared calls', () => {
  expectTypeOf<ReturnType<typeof buildBridge>>().toEqualTypeOf<HomemailBridge>();
  expectTypeOf<keyof HomemailBridge>().toEqualTypeOf<CallName>();
  expectTypeOf<(typeof callNames)[number]>().toEqualTypeOf<CallName>();
});
