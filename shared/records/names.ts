import { badInput } from '../errors.js';
import { problem } from '../validation/problem.js';

/**
 * `prefix.domain` (both already normalised), refused with a message naming `field` when the
 * whole name passes DNS's 253 characters.
 */
export function recordName(prefix: string, domain: string, field = 'selector'): string {
  const name = prefix === '' ? domain : `${prefix}.${domain}`;
  if (name.length > 253) throw badInput(field, problem('nameTooLong', { name, length: name.length }));
  return name;
}

/** The name relative to `origin` (`@` for the origin itself), or null when it lies outside. */
export function relativeName(name: string, origin: string): string | null {
  if (name === origin) return '@';
  if (name.endsWith(`.${origin}`)) return name.slice(0, -(origin.length + 1));
  return null;
}
