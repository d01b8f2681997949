import type { ErrorSentence } from '../../../shared/errors.js';

/**
 * A failed server command in an error's terms: its exit status a coded note
 * (`serviceErrors.commandExitStatus`, a number in both languages) and its stderr, at most 300
 * characters, the program's own output (`output`, quoted as technical detail, never a sentence).
 */
export function commandFailure(result: { stderr: string; code: number }): { notes: ErrorSentence[]; output?: string } {
  const output = result.stderr.trim().slice(0, 300);
  return { notes: [{ key: 'commandExitStatus', params: { code: result.code } }], ...(output === '' ? {} : { output }) };
}
