import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract/index.js';
import { callNames } from '../../../shared/contract/names.js';
import { dispatch } from '../../../main/ipc/dispatch.js';
import { createHandlers } from '../../../main/services/index.js';
import { HomemailError } from '../../../shared/errors.js';
import type { Handlers } from '../../../main/services/handler.js';

const deps = { door: 'web' as const, version: '9.9.9', dataDir: '/nonexistent', now: () => new Date(0) };
const context = () => ({ signal: new AbortController().signal, progress: () => undefined });

describe('contract', () => {
  it('lists the same names for the preload as it declares', () => {
    expect([...callNames].sort()).toEqual(Object.keys(contract).sort());
  });

  it('has a description for every call', () => {
    for (const [name, spec] of Object.entries(contract)) expect(spec.description, name).toMatch(/\S{3,}/);
  });
});

describe('dispatch', () => {
  const handlers = createHandlers(deps);

  it('runs a declared call with valid input', async () => {
    const outcome = await dispatch(handlers, 'appInfo', {}, context());
    expect(outcome).toMatchObject({ ok: true, result: { name: 'Homemail', version: '9.9.9', door: 'web' } });
  });

  it('refuses an unknown call name, including inherited property names', async () => {
    for (const name of ['nope', 'toString', '__proto__', 42]) {
      const outcome = await dispatch(handlers, name, {}, context());
      expect(outcome).toMatchObject({ ok: false, error: { code: 'usage' } });
    }
  });

  it('refuses input that fails the schema before the handler runs', async () => {
    let ran = false;
    const watched: Handlers = { ...handlers, appInfo: async (...args) => ((ran = true), handlers.appInfo(...args)) };
    const outcome = await dispatch(watched, 'appInfo', { extra: 'field' }, context());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(ran).toBe(false);
  });

  it('returns a thrown HomemailError as data, without its stack', async () => {
    const failing: Handlers = {
      ...handlers,
      appInfo: async () => {
        throw new HomemailError('auth-failed', 'Login refused.', { hint: 'Check the key.' });
      },
    };
    const outcome = await dispatch(failing, 'appInfo', {}, context());
    expect(outcome).toEqual({ ok: false, error: { code: 'auth-failed', message: 'Login refused.', hint: 'Check the key.' } });
  });

  it('reports an unexpected error as internal, not as a crash', async () => {
    const failing: Handlers = {
      ...handlers,
      appInfo: async () => {
        throw new TypeError('boom');
      },
    };
    const outcome = await dispatch(failing, 'appInfo', {}, context());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(outcome)).not.toMatch(/\n\s+at |\.[tj]s:\d+/);
  });
});
