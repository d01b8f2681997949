import type { z } from 'zod';

declare const resultType: unique symbol;
declare const progressType: unique symbol;

/**
 * One call of the contract: its input schema (checked at every door), a description, and
 * phantom result and progress types that the handler, the preload and the web client share.
 */
export interface CallSpec<Input extends z.ZodType, Result, Progress> {
  readonly input: Input;
  readonly description: string;
  readonly [resultType]?: Result;
  readonly [progressType]?: Progress;
}

/**
 * Declares a call: `call<Result, Progress>()({ input, description })`. The double call lets
 * the result and progress types be written out while the input type is inferred.
 */
export function call<Result, Progress = never>() {
  return <Input extends z.ZodType>(spec: { input: Input; description: string }): CallSpec<Input, Result, Progress> => spec;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest spec, used only as a constraint
export type AnyCallSpec = CallSpec<z.ZodType, any, any>;

export type SpecInput<S> = S extends CallSpec<infer I, unknown, unknown> ? z.input<I> : never;
export type SpecParsedInput<S> = S extends CallSpec<infer I, unknown, unknown> ? z.output<I> : never;
export type SpecResult<S> = S extends CallSpec<z.ZodType, infer R, unknown> ? R : never;
export type SpecProgress<S> = S extends CallSpec<z.ZodType, unknown, infer P> ? P : never;
