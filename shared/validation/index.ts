/**
 * Validators for what people type: pure, the same in the wizard (as the person types) and
 * in the main process and CLI (before anything is touched). Each returns `Validated<T>`;
 * `orThrow(field, result)` turns a refusal into a `bad-input` error naming the field.
 */
export { normalizeDomain, isSameOrSubdomain, type DomainOptions } from './domain.js';
export { normalizeSelector, suggestSelector } from './selector.js';
export { parseIpAddress, formatIp, expandIpv6, type IpAddress, type IpScope, type IpOptions } from './ip.js';
export { parseEmailAddress, parseReportAddress, type EmailAddress } from './email.js';
export { CONTROL_CHARACTERS, checkSingleLine, escapeControlCharacters, findControlCharacter } from './text.js';
export { checkRegexpPattern, parseAllowEntry, type AllowEntryInput, type ParsedAllowEntry } from './allowEntry.js';
export { fillTemplate, orThrow, problem, toBadInput, type TextParams, type Validated, type ValidationMessageKey, type ValidationProblem } from './problem.js';
