import { describe, expect, it } from 'vitest';
import { badInput, deserializeError, exitCodeFor, HomemailError, serializeError } from '../../../shared/errors.js';

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
    const original = badInput('domain', 'Not a domain.', 'Type it like example.jp.');
    const back = deserializeError(JSON.parse(JSON.stringify(original)));
    expect(back).toBeInstanceOf(HomemailError);
    expect(back.code).toBe('bad-input');
    expect(back.details).toEqual({ field: 'domain' });
    expect(back.hint).toBe('Type it like example.jp.');
  });

  it('keeps causes and stacks out of what crosses a door', () => {
    const error = new HomemailError('command-failed', 'postfix check failed', { cause: new Error('secret detail') });
    expect(JSON.stringify(serializeError(error))).not.toContain('secret detail');
  });
});
