import { parseDmarcRecord } from '../../../shared/verify/tags.js';
import { englishText } from '../../../shared/i18n/english.js';
import { buildDmarcRecords } from '../../../shared/records/dmarc.js';
import type { AggregateReport, DmarcPolicyName, DmarcRecommendation, SourceSummary } from '../../../shared/reports.js';
import { parseEmailAddress } from '../../../shared/validation/email.js';

export interface RecommendInput {
  domain: string;
  reports: ReadonlyArray<Pick<AggregateReport, 'policy' | 'begin' | 'end'>>;
  sources: readonly SourceSummary[];
  /** How many days of reports must show every legitimate source aligned. */
  periodDays: number;
  /** The report address to keep in the record (rua). */
  reportAddress: string | null;
  /** The DMARC record published now: its other tags are kept, only p= changes. */
  currentRecord?: string | null;
}

const DAY_MS = 86_400_000;

const nextStep: Record<DmarcPolicyName, DmarcPolicyName | null> = { none: 'quarantine', quarantine: 'reject', reject: null };

/**
 * The DMARC record for the next step: the published record with only `p=` changed (rua,
 * ruf, alignment and the rest kept), or a new one from the records builder.
 */
/** The recommendation's sentence: its code under `reports.recText.` with params, and the English text. */
function said(code: string, params: Record<string, string | number>): { code: string; params: Record<string, string | number>; text: string } {
  return { code, params, text: englishText('reports.recText', code, params) };
}

export function nextRecordValue(domain: string, policy: DmarcPolicyName, current: string | null, fallback: { rua: string | null; adkim: 'r' | 's'; aspf: 'r' | 's' }): string {
  if (current !== null && /^v=DMARC1\s*(;|$)/i.test(current.trim())) {
    const tags = current.split(';').map((t) => t.trim()).filter((t) => t !== '');
    return tags.map((t) => (/^p\s*=/i.test(t) ? `p=${policy}` : t)).join('; ');
  }
  const rua = fallback.rua === null ? null : parseEmailAddress(fallback.rua);
  const { records } = buildDmarcRecords({
    domain,
    policy,
    rua: rua?.ok ? [rua.value] : [],
    ruf: [],
    ...(fallback.adkim === 's' ? { adkim: 's' as const } : {}),
    ...(fallback.aspf === 's' ? { aspf: 's' as const } : {}),
    ttl: 3600,
  });
  return records[0]?.value ?? `v=DMARC1; p=${policy}`;
}

/** The published record without its RFC 9990 test-mode tag `t=`, or null when there is none to edit. */
export function withoutTestingTag(current: string | null): string | null {
  if (current === null || !/^v=DMARC1\s*(;|$)/i.test(current.trim())) return null;
  return current
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t !== '' && !/^t\s*=/i.test(t))
    .join('; ');
}

/**
 * The next DMARC step (none → quarantine → reject) once every legitimate source (the
 * person's own servers and senders the SPF record authorises) has aligned for the whole
 * period; forgers and forwarders do not hold the step back: stopping forgers is the point,
 * and forwarders keep DKIM.
 */
export function recommendNextPolicy(input: RecommendInput): DmarcRecommendation {
  const mine = input.reports.filter((r) => r.policy.domain === input.domain).sort((a, b) => a.end.localeCompare(b.end));
  const latest = mine.at(-1);
  const base = { domain: input.domain, periodDays: input.periodDays, record: null, failingSources: [] as string[], published: mine.at(-1)?.policy ?? null };
  if (latest === undefined) {
    // No report yet: the policy in force is the one the domain publishes, not "none".
    const published = input.currentRecord === null || input.currentRecord === undefined ? null : parseDmarcRecord(input.currentRecord);
    const current = published?.ok === true ? published.record.policy : 'none';
    return { ...base, current, next: null, key: 'noReports', ...said('noReports', { domain: input.domain }) };
  }
  const current = latest.policy.p;
  const testing = latest.policy.testing === true;
  if (current === 'reject' && !testing && (latest.policy.pct === null || latest.policy.pct === 100)) {
    return { ...base, current, next: null, key: 'atReject', ...said('atReject', { domain: input.domain }) };
  }
  const first = mine[0] ?? latest;
  const coveredDays = (Date.parse(latest.end) - Date.parse(first.begin)) / DAY_MS;
  const legitimate = input.sources.filter((s) => s.kind === 'own' || s.kind === 'authorized');
  const failing = legitimate.filter((s) => s.dmarcFail > 0);
  if (failing.length > 0) {
    return {
      ...base,
      current,
      next: null,
      key: 'notReady',
      failingSources: failing.map((s) => s.sourceIp),
      ...said('notReady', { sources: failing.map((s) => `${s.sourceIp} (${s.dmarcFail}/${s.count})`).join(', '), outcome: current === 'none' ? 'quarantined' : 'rejected' }),
    };
  }
  if (testing) {
    const value = withoutTestingTag(input.currentRecord ?? null) ?? nextRecordValue(input.domain, current, null, { rua: input.reportAddress, adkim: latest.policy.adkim, aspf: latest.policy.aspf });
    return {
      ...base,
      current,
      next: current === 'none' ? null : current,
      key: 'testing',
      record: current === 'none' ? null : { name: `_dmarc.${input.domain}`, value },
      ...(current === 'none' ? said('testingNone', { domain: input.domain }) : said('testing', { domain: input.domain, current, value })),
    };
  }
  if (legitimate.length === 0) {
    return { ...base, current, next: null, key: 'notReady', ...said('noOwnMail', { domain: input.domain }) };
  }
  if (coveredDays < input.periodDays - 0.5) {
    return { ...base, current, next: null, key: 'tooFewDays', ...said('tooFewDays', { covered: Math.max(0, Math.round(coveredDays)), days: input.periodDays }) };
  }
  const effective: DmarcPolicyName = current === 'reject' ? 'quarantine' : current;
  const next = current === 'reject' ? 'reject' : nextStep[effective];
  if (next === null) return { ...base, current, next: null, key: 'atReject', ...said('strictest', { domain: input.domain }) };
  const value = nextRecordValue(input.domain, next, input.currentRecord ?? null, { rua: input.reportAddress, adkim: latest.policy.adkim, aspf: latest.policy.aspf });
  return {
    ...base,
    current,
    next,
    key: 'ready',
    record: { name: `_dmarc.${input.domain}`, value },
    ...said(next === 'reject' ? 'readyReject' : 'ready', { days: input.periodDays, count: legitimate.length, next, value, domain: input.domain }),
  };
}
