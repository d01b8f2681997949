import { describe, expect, it } from 'vitest';
import { badInput, deserializeError, exitCodeFor, HomemailError, serializeError } from '../../../shared/errors.js';
import { problem } from '../../../shared/validation/problem.js';

describe('errors', () => {
  it('maps codes to the exit statuses of the CLI contract', () => {
    expect(exitCodeFor('bad-input')).toBe(2);
    expect(exitCodeFor('usage')).toBe(2);
    expect(exitCodeFor('host-key-changed')).toBe(3);
    expect(exitCodeFor('auth-failed')).toBe(3);
    expect(exitCodeFor('sudo-failed')).toBe(3);
    expect(exitCodeFor('apply-failed')).toBe(4);
    expect(exitCodeFor('checks-failed')).toBe(1);
  });

  it('survives a round trip through JSON', () => {
    const original = badInput('domain', problem('domainUnparsable', { value: 'x y' }), { key: 'sshTargetForm', params: {} });
    const back = deserializeError(JSON.parse(JSON.stringify(original)));
    expect(back).toBeInstanceOf(HomemailError);
    expect(back.code).toBe('bad-input');
    expect(back.details).toEqual({ field: 'domain' });
    expect(back.message).toBe('"x y" is not a domain name.');
    expect(back.sentence).toEqual({ namespace: 'validation', key: 'domainUnparsable', params: { value: 'x y' } });
    expect(back.hintSentence).toEqual({ key: 'sshTargetForm', params: {} });
    expect(back.hint).toMatch(/^Write the server as/);
  });

  it('says an unexpected failure by code, the thrown message only as technical output', () => {
    const serialized = serializeError(new TypeError('x is not a function'));
    expect(serialized).toMatchObject({ code: 'internal', sentence: { key: 'unexpected' }, hintSentence: { key: 'reportSteps' }, output: 'x is not a function' });
    expect(serializeError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toMatchObject({ code: 'cancelled', sentence: { key: 'cancelled' } });
  });

  it('keeps causes and stacks out of what crosses a door', () => {
    const error = new HomemailError('command-failed', 'postfix check failed', { cause: new Error('secret detail') });
    expect(JSON.stringify(serializeError(error))).not.toContain('secret detail');
  });
});
