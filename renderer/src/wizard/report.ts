import { checkLines, englishRenderer, summaryLine } from '../../../shared/i18n/checkLines.js';
import { formatRecords } from '../../../shared/records/index.js';
import { recordSetOf } from './records.js';
import type { WizardValues } from './state.js';

const DAY_MS = 86_400_000;

export interface NextDates {
  /** When the reports have had time to show every sender: consider p=quarantine. */
  quarantine: Date;
  /** A few clean weeks later: consider p=reject. */
  reject: Date;
  /** When to make the next key (a new selector) and retire this one. */
  rotateKey: Date;
}

/** The calendar of what comes next, counted from the day the setup was finished. */
export function nextDates(from: Date): NextDates {
  return {
    quarantine: new Date(from.getTime() + 28 * DAY_MS),
    reject: new Date(from.getTime() + 56 * DAY_MS),
    rotateKey: new Date(from.getTime() + 182 * DAY_MS),
  };
}

/**
 * A plain-text record of what was set up, for the person's notes or a colleague: the
 * server, the keys' public data, the records and the last checks. No secrets: the
 * values hold none.
 */
export function setupReport(values: WizardValues, now: Date): string {
  const lines = [`Homemail setup report — ${now.toISOString()}`, ''];
  lines.push(`Server: ${values.sshTarget}${values.hostFingerprint ? ` (host key ${values.hostFingerprint})` : ''}`);
  lines.push(`Domain: ${values.keys[0]?.domain ?? values.domain}`);
  for (const key of values.keys) lines.push(`DKIM key: selector ${key.selector}, ${key.type}${key.bits ? ` ${key.bits} bits` : ''}, ${key.fingerprint}`);
  lines.push(`DMARC policy: p=${values.dmarcPolicy}`);
  if (values.applied) lines.push(`Server changes: ${values.applied.changed ? `applied, backup ${values.applied.backupId ?? '-'}` : 'none needed'}`);
  const set = recordSetOf(values);
  if (set.ok) lines.push('', 'DNS records (zone file form):', formatRecords(set.set, 'zone').text.trimEnd());
  if (values.verified) {
    lines.push('', `Checks: ${summaryLine(values.verified.summary, englishRenderer)}`);
    for (const check of values.verified.checks) lines.push(...checkLines(check, englishRenderer));
  }
  const dates = nextDates(now);
  lines.push('', 'Next:', `- ${dates.quarantine.toISOString().slice(0, 10)}: read the DMARC reports; if all your mail passes, move to p=quarantine.`);
  lines.push(`- ${dates.reject.toISOString().slice(0, 10)}: if the reports stay clean, move to p=reject.`);
  lines.push(`- ${dates.rotateKey.toISOString().slice(0, 10)}: make a new DKIM key with a new selector and retire this one.`);
  return `${lines.join('\n')}\n`;
}
