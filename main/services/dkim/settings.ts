import { badInput } from '../../../shared/errors.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { parseReportAddress } from '../../../shared/validation/email.js';
import { orThrow, problem } from '../../../shared/validation/problem.js';
import type { ChangeKey, ChangeSettings } from './desired.js';

/** A local user name as `useradd` accepts it: the only form --report-to may take. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export interface RawChangeSettings {
  domain: string;
  keys: readonly (ChangeKey & { domain?: string })[];
  rua?: readonly string[] | undefined;
  ruf?: readonly string[] | undefined;
  reportTo?: string | undefined;
}

/** Checks every field before anything touches the server (bad-input, exit 2, naming the field). */
export function checkChangeSettings(raw: RawChangeSettings, loginUser: string): ChangeSettings {
  const domain = orThrow('domain', normalizeDomain(raw.domain));
  const selectors = new Set<string>();
  for (const key of raw.keys) {
    if (key.domain !== undefined && key.domain !== domain) throw badInput('dkim', problem('keyOtherDomain', { selector: key.selector, keyDomain: key.domain, domain }));
    if (selectors.has(key.selector)) throw badInput('dkim', problem('selectorTwice', { selector: key.selector }));
    selectors.add(key.selector);
  }
  if (raw.keys.length === 0) throw badInput('dkim', problem('dkimKeyNeeded'));
  if (raw.keys.filter((k) => k.type === 'ed25519').length === raw.keys.length) {
    throw badInput('dkim', problem('ed25519Alone'), { key: 'addRsaKey', params: {} });
  }
  const address = (field: 'rua' | 'ruf') => (value: string) => {
    const bare = value.trim().replace(/^mailto:/i, '');
    return orThrow(field, parseReportAddress(bare)).address;
  };
  const reportTo = raw.reportTo ?? loginUser;
  if (!USER_NAME.test(reportTo)) throw badInput('report-to', problem('localUserName', { value: reportTo }), { key: 'giveLocalUser', params: {} });
  return {
    domain,
    keys: raw.keys.map((k) => ({ selector: k.selector, type: k.type, privateKeyPem: k.privateKeyPem })),
    rua: (raw.rua ?? []).map(address('rua')),
    ruf: (raw.ruf ?? []).map(address('ruf')),
    reportTo,
  };
}
