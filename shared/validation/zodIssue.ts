import type { z } from 'zod';
import { badInput, type HomemailError } from '../errors.js';
import { problem, type ValidationProblem } from './problem.js';

/**
 * A schema's refusal as a validation code, the same at every door: the contract's dispatch
 * (the wizard names the field by its label) and the CLI (which names its --flag). zod's own
 * English message never crosses; a validator's problem rides in the issue's params.
 */

/** A validator's refusal inside a schema: the problem travels with the issue (read back by problemOfIssue). */
export function addProblem(ctx: z.RefinementCtx, found: ValidationProblem, path?: PropertyKey[]): void {
  ctx.addIssue({ code: 'custom', message: found.text, params: { problem: found }, ...(path === undefined ? {} : { path }) });
}

function isProblem(value: unknown): value is ValidationProblem {
  return typeof value === 'object' && value !== null && typeof (value as ValidationProblem).key === 'string' && typeof (value as ValidationProblem).params === 'object';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

const listed = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** One zod issue as a coded problem; `input` is what was parsed (to tell a missing value from a wrong one). */
export function problemOfIssue(issue: z.core.$ZodIssue, input: unknown): ValidationProblem {
  switch (issue.code) {
    case 'custom': {
      const found: unknown = issue.params?.problem;
      return isProblem(found) ? found : problem('notAccepted');
    }
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return problem('required');
      return issue.expected === 'int' ? problem('wholeNumber') : problem('wrongType', { expected: issue.expected });
    case 'too_big':
      if (issue.origin === 'string') return problem('tooLong', { maximum: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return problem('tooMany', { maximum: Number(issue.maximum) });
      return problem('tooLarge', { maximum: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? problem('valueEmpty') : problem('tooShort', { minimum: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return problem('tooFew', { minimum: Number(issue.minimum) });
      return problem('tooSmall', { minimum: Number(issue.minimum) });
    case 'invalid_value':
      return problem('oneOf', { allowed: listed(issue.values) });
    case 'invalid_union': {
      // A discriminated union names the values its discriminator takes.
      const options: unknown = (issue as { options?: unknown }).options;
      if (!Array.isArray(options)) return problem('notAccepted');
      return valueAt(input, issue.path) === undefined ? problem('required') : problem('oneOf', { allowed: listed(options) });
    }
    case 'unrecognized_keys':
      return problem('unknownFields', { keys: issue.keys.join(', ') });
    case 'invalid_format':
      return problem('badFormat');
    default:
      return problem('notAccepted');
  }
}

/**
 * The first issue of a refused parse as a `bad-input` error: its problem coded, its field named
 * by `fieldOf` (the contract's path for the wizard, the --flag's name for the CLI).
 */
export function zodBadInput(error: z.ZodError, input: unknown, fieldOf: (path: readonly PropertyKey[]) => string = (path) => path.map(String).join('.') || 'input'): HomemailError {
  const issue = error.issues[0];
  if (issue === undefined) return badInput('input', problem('notAccepted'));
  return badInput(fieldOf(issue.path), problemOfIssue(issue, input));
}
