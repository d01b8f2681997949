import { z } from 'zod';
import { problem, type Validated } from '../validation/problem.js';
import { addProblem } from '../validation/zodIssue.js';
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
      if (!line.ok) addProblem(ctx, line.problem);
    });
}

/** A secret read as one line (sudo takes it on stdin): any character but NUL, CR and LF. */
export function secretLine(max: number) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      if (/[\0\r\n]/.test(value)) addProblem(ctx, problem('oneLine'));
    });
}

/** A string checked (and normalised) by one of shared/validation's validators. */
export function validatedText<T>(check: (value: string) => Validated<T>, max = 1024) {
  return z
    .string()
    .max(max)
    .transform((value, ctx) => {
      const result = check(value);
      if (result.ok) return result.value;
      addProblem(ctx, result.problem);
      return z.NEVER;
    });
}
