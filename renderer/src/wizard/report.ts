import { checkLines, summaryLine } from '../../../shared/i18n/checkLines.js';
import { renderKeyed, type Translator } from '../../../shared/i18n/keyedText.js';
import type { RecordWords } from '../../../shared/records/formats.js';
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
 * A plain-text record of what was set up, for the person's notes or a colleague, in the
 * page's language: the server, the keys' public data, the records and the last checks.
 * No secrets: the values hold none.
 */
export function setupReport(values: WizardValues, now: Date, say: Translator): string {
  const t = (key: string, params?: Record<string, string | number>) => say.t(`setupReport.${key}`, params);
  const lines = [t('title', { at: now.toISOString() }), ''];
  lines.push(t('server', { target: values.sshTarget, hostKey: values.hostFingerprint ? t('hostKey', { fingerprint: values.hostFingerprint }) : '' }));
  lines.push(t('domain', { domain: values.keys[0]?.domain ?? values.domain }));
  for (const key of values.keys) lines.push(t('key', { selector: key.selector, type: key.type, bits: key.bits ? t('bits', { bits: key.bits }) : '', fingerprint: key.fingerprint }));
  lines.push(t('policy', { policy: values.dmarcPolicy }));
  if (values.applied) lines.push(values.applied.changed ? t('applied', { backup: values.applied.backupId ?? '-' }) : t('nothingApplied'));
  const set = recordSetOf(values);
  const words: RecordWords = (key, params) => say.t(`records.${key}`, { ...params });
  if (set.ok) lines.push('', t('records'), formatRecords(set.set, 'zone', { words }).text.trimEnd());
  if (values.verified) {
    const renderer = { t: say.t, keyed: (namespace: string, item: Parameters<typeof renderKeyed>[2]) => renderKeyed(say, namespace, item) };
    lines.push('', t('checks', { summary: summaryLine(values.verified.summary, renderer) }));
    for (const check of values.verified.checks) lines.push(...checkLines(check, renderer));
  }
  const dates = nextDates(now);
  const day = (date: Date) => date.toISOString().slice(0, 10);
  lines.push('', t('next'), `- ${t('quarantine', { date: day(dates.quarantine) })}`, `- ${t('reject', { date: day(dates.reject) })}`, `- ${t('rotate', { date: day(dates.rotateKey) })}`);
  return `${lines.join('\n')}\n`;
}
