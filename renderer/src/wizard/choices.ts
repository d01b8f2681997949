import type { Validated, ValidationProblem } from '../../../shared/validation/problem.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { parseReportAddress } from '../../../shared/validation/email.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import type { WizardValues } from './state.js';

/** The list fields people type with commas or spaces between the items. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,、，]+/u)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export interface DomainChoiceProblems {
  domain: ValidationProblem | null;
  selector: ValidationProblem | null;
  addresses: ValidationProblem | null;
  rua: ValidationProblem | null;
  ruf: ValidationProblem | null;
}

function first<T>(results: readonly Validated<T>[]): ValidationProblem | null {
  for (const result of results) if (!result.ok) return result.problem;
  return null;
}

/** Checks the domain step's fields with the same validators the back end uses. */
export function checkDomainChoices(values: WizardValues): DomainChoiceProblems {
  const domain = normalizeDomain(values.domain);
  return {
    domain: domain.ok ? null : domain.problem,
    selector: first([normalizeSelector(values.selector)]),
    addresses: first(splitList(values.spfAddresses).map((a) => parseIpAddress(a, { allowPrefix: true }))),
    rua: first(splitList(values.rua).map(parseReportAddress)),
    ruf: first(splitList(values.ruf).map(parseReportAddress)),
  };
}

export function hasProblems(problems: DomainChoiceProblems): boolean {
  return Object.values(problems).some((p) => p !== null);
}

/** The Ed25519 key's selector beside the RSA one (each key needs its own selector). */
export function ed25519Selector(selector: string): string {
  return `${selector}-ed`;
}
