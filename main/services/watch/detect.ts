/**
 * The change detector: compares a run's checks with the run before, and newly read DMARC
 * rows with the ones stored earlier, and names what got worse (or better). Pure code.
 */
import type { CheckStatus } from '../../../shared/checks.js';
import { englishText, type EnglishCatalog } from '../../../shared/i18n/english.js';
import type { ChangeKind, ChangeSeverity, CheckWords, StoredCheck, WatchChange } from '../../../shared/watch.js';
import type { DmarcRowFact } from './store.js';

/** Days before a certificate's end date that count as "expires soon". */
export const CERTIFICATE_WARNING_DAYS = 21;

/** A drop of at least this many percentage points in the pass rate is "sudden". */
export const PASS_RATE_DROP_POINTS = 20;
/** Fewer messages than this on either side are too few to judge a rate. */
export const PASS_RATE_MIN_MESSAGES = 10;

function change(
  kind: ChangeKind,
  severity: ChangeSeverity,
  subject: string,
  before: string | null,
  after: string | null,
  params: Record<string, string | number>,
  checks: WatchChange['checks'] = null,
): WatchChange {
  const all = { before: before ?? '', after: after ?? '', ...params };
  // Every kind has its sentence in the catalog (`watch.change.<kind>`): a type error otherwise.
  const sentence: keyof EnglishCatalog['watch']['change'] = kind;
  return { kind, severity, subject, before, after, params: all, text: englishText('watch', `change.${sentence}`, all), checks };
}

const wordsOf = (check: StoredCheck | undefined): CheckWords | null =>
  check ? { status: check.status, title: check.title, found: check.found, titleKey: check.titleKey, foundKey: check.foundKey, params: check.params } : null;

/** pass < warn < fail; `unknown` (cannot tell) is not ranked: moving to or from it is not a change for the worse. */
const rank: Record<CheckStatus, number | null> = { pass: 0, warn: 1, fail: 2, unknown: null };

/** Areas whose checks depend on which resolvers answered today: their ups and downs are only information. */
const noisyAreas = new Set(['resolver', 'propagation', 'address']);

const describe = (check: StoredCheck): string => `${check.status}${check.found ? ` (${check.found})` : ''}`;

function dkimName(check: StoredCheck): string {
  return String(check.params.name ?? check.checkId.slice('dkim:'.length));
}

/** The specific change a check's move means, if any (the generic rule covers the rest). */
function specificChange(prev: StoredCheck | undefined, next: StoredCheck, context: { domain: string }): WatchChange | null | undefined {
  const id = next.checkId;
  if (id.startsWith('dkim:') && prev) {
    const before = prev.values.record;
    const after = next.values.record;
    // `undefined` = the record could not be read this time: nothing to compare.
    if (after === null && typeof before === 'string') return change('dkim-gone', 'worse', id, before, null, { name: dkimName(next) });
    if (next.foundKey === 'dkimFoundOtherKey' && prev.foundKey !== 'dkimFoundOtherKey') {
      return change('dkim-key-mismatch', 'worse', id, describe(prev), describe(next), { name: dkimName(next) });
    }
    if (typeof before === 'string' && typeof after === 'string' && before !== after) return change('dkim-changed', 'worse', id, before, after, { name: dkimName(next) });
    return undefined;
  }
  if (id.startsWith('spf.eval:') && prev?.status === 'pass' && next.status !== 'pass' && next.status !== 'unknown') {
    return change('spf-lost-address', 'worse', id, describe(prev), next.found ?? next.status, { domain: context.domain, address: id.slice('spf.eval:'.length) }, { before: wordsOf(prev), after: wordsOf(next) });
  }
  if (next.area === 'blocklist' && next.status === 'fail' && prev?.status !== 'fail') {
    return change('blocklisted', 'worse', id, prev ? describe(prev) : null, describe(next), { address: String(next.params.address ?? ''), list: String(next.params.list ?? '') });
  }
  if (next.area === 'inbound' && id.startsWith('inbound.blocklist:') && next.status === 'fail' && prev?.status !== 'fail') {
    return change('inbound-blocklist-broken', 'worse', id, prev ? describe(prev) : null, String(next.values.status ?? next.status), {
      zone: id.slice('inbound.blocklist:'.length),
      parameter: String(next.params.parameter ?? ''),
    });
  }
  if (next.area === 'tls' && typeof next.values.daysLeft === 'number' && next.values.daysLeft < CERTIFICATE_WARNING_DAYS) {
    const wasSoon = typeof prev?.values.daysLeft === 'number' && prev.values.daysLeft < CERTIFICATE_WARNING_DAYS;
    if (wasSoon) return undefined;
    return change('certificate-expiring', 'worse', id, prev ? String(prev.values.daysLeft ?? '') : null, String(next.values.daysLeft), {
      subject: String(next.values.subject ?? next.title),
      days: next.values.daysLeft,
      notAfter: String(next.values.notAfter ?? ''),
    });
  }
  return null;
}

/**
 * What changed between two runs of the same kind. The first run (no previous) changes nothing.
 * Each check gives at most one change: the specific kind when one applies, else the generic one.
 */
export function detectCheckChanges(previous: readonly StoredCheck[] | null, next: readonly StoredCheck[], context: { domain: string }): WatchChange[] {
  if (previous === null) return [];
  const before = new Map(previous.map((c) => [c.checkId, c]));
  const changes: WatchChange[] = [];
  for (const check of next) {
    const prev = before.get(check.checkId);
    before.delete(check.checkId);
    const specific = specificChange(prev, check, context);
    if (specific) {
      changes.push(specific);
      continue;
    }
    if (specific === undefined && prev && prev.status === check.status) continue;
    if (!prev) {
      if (check.status !== 'pass' && check.status !== 'unknown' && !noisyAreas.has(check.area)) changes.push(change('check-new', 'info', check.checkId, null, describe(check), { title: check.title }, { before: null, after: wordsOf(check) }));
      continue;
    }
    if (prev.status === check.status) continue;
    const from = rank[prev.status];
    const to = rank[check.status];
    const severity: ChangeSeverity = from === null || to === null || noisyAreas.has(check.area) ? 'info' : to > from ? 'worse' : 'better';
    changes.push(change(severity === 'better' ? 'check-better' : 'check-worse', severity, check.checkId, describe(prev), describe(check), { title: check.title }, { before: wordsOf(prev), after: wordsOf(check) }));
  }
  for (const gone of before.values()) {
    if (!noisyAreas.has(gone.area)) changes.push(change('check-gone', 'info', gone.checkId, describe(gone), null, { title: gone.title }, { before: wordsOf(gone), after: null }));
  }
  return changes;
}

function passRate(rows: readonly DmarcRowFact[]): { messages: number; percent: number } {
  let pass = 0;
  let messages = 0;
  for (const row of rows) {
    messages += row.count;
    if (row.pass) pass += row.count;
  }
  return { messages, percent: messages === 0 ? 100 : Math.round((pass / messages) * 1000) / 10 };
}

/**
 * What newly read DMARC rows change: a source failing DMARC that never failed before, and a
 * sudden drop of the pass rate against the rows read earlier. Nothing before = nothing to compare.
 */
export function detectDmarcChanges(earlier: readonly DmarcRowFact[], added: readonly DmarcRowFact[]): WatchChange[] {
  // The first reports read are the baseline, as the first run of the checks is.
  if (earlier.length === 0) return [];
  const changes: WatchChange[] = [];
  const failedBefore = new Set(earlier.filter((r) => !r.pass).map((r) => r.sourceIp));
  const newFailures = new Map<string, number>();
  for (const row of added) if (!row.pass && !failedBefore.has(row.sourceIp)) newFailures.set(row.sourceIp, (newFailures.get(row.sourceIp) ?? 0) + row.count);
  for (const [source, count] of [...newFailures].sort((a, b) => b[1] - a[1])) {
    changes.push(change('dmarc-new-failing-source', 'worse', `dmarc:${source}`, null, `${count}`, { source, count }));
  }
  const then = passRate(earlier);
  const now = passRate(added);
  if (then.messages >= PASS_RATE_MIN_MESSAGES && now.messages >= PASS_RATE_MIN_MESSAGES && then.percent - now.percent >= PASS_RATE_DROP_POINTS) {
    changes.push(change('dmarc-pass-rate-drop', 'worse', 'dmarc:pass-rate', String(then.percent), String(now.percent), { messages: now.messages }));
  }
  return changes;
}
