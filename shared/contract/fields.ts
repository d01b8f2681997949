import { z } from 'zod';
import type { Validated } from '../validation/problem.js';
import { checkSingleLine } from '../validation/text.js';

/**
 * String fields every door checks the same way (the contract's schemas here, the CLI through
 * the same validators in shared/validation): a value that can reach a server file, a table or
 * a command is one line, so a newline cannot smuggle in a line of its own.
 */

/** A one-line string: no C0/C1 control characters, no U+2028/U+2029. */
export function lineText(max: number) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const line = checkSingleLine(value);
      if (!line.ok) ctx.addIssue({ code: 'custom', message: line.problem.text });
    });
}

/** A secret read as one line (sudo takes it on stdin): any character but NUL, CR and LF. */
export function secretLine(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !/[\0\r\n]/.test(value), { message: 'must be one line (no NUL, CR or LF)' });
}

/** A string checked (and normalised) by one of shared/validation's validators. */
export function validatedText<T>(check: (value: string) => Validated<T>, max = 1024) {
  return z
    .string()
    .max(max)
    .transform((value, ctx) => {
      const result = check(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: result.problem.text });
      return z.NEVER;
    });
}
