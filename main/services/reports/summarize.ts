import { dictionary, own } from '../../../shared/dictionary.js';
import { networkContains } from '../../../shared/records/spf.js';
import { reportIdentity, type AggregateReport, type DailyPoint, type Disposition, type ReporterSummary, type SourceKind, type SourceSummary } from '../../../shared/reports.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';

export interface SummaryInput {
  reports: readonly AggregateReport[];
  /** The person's servers: addresses or networks (from inspection and the SPF record). */
  ownNetworks: readonly IpAddress[];
  /** source IP → PTR name. */
  reverseNames?: ReadonlyMap<string, string | null>;
  /** Only reports whose period ends on or after this instant. */
  since?: Date;
  /** Only reports for this domain (or a subdomain of it); without it, each domain's sources are summed apart. */
  domain?: string;
}

export interface Summary {
  reports: AggregateReport[];
  duplicates: number;
  reporters: ReporterSummary[];
  sources: SourceSummary[];
  timeline: DailyPoint[];
  /** Reports for other domains than `domain` (one mailbox often receives several domains' reports), left out of every sum. */
  otherDomains: { reports: number; domains: string[] };
}

/**
 * Whether a report about `reported` (its policy_published domain) counts for `domain`: the same
 * domain, or a subdomain of it (mail from sub.example.jp is example.jp's: its organizational
 * domain is example.jp when example.jp is a registered name, as the person's domain is).
 */
export function reportIsFor(reported: string, domain: string): boolean {
  const a = reported.toLowerCase().replace(/\.$/, '');
  const b = domain.toLowerCase().replace(/\.$/, '');
  return a === b || a.endsWith(`.${b}`);
}

const forwardingReasons = new Set(['forwarded', 'mailing_list', 'trusted_forwarder']);

/**
 * Drops repeated reports: the same identity (reporter, report id, date range and rows) is the
 * same mail delivered twice. Reporters reuse ids for different reports, so the id alone is not
 * enough. The reports come back sorted by identity, so the order of the mail never changes a
 * total, a list or which copy's metadata is shown.
 */
export function dedupeReports(reports: readonly AggregateReport[]): { unique: AggregateReport[]; duplicates: number } {
  const byIdentity = new Map<string, AggregateReport>();
  for (const report of reports) {
    const key = reportIdentity(report);
    const kept = byIdentity.get(key);
    if (kept === undefined || (report.email ?? '') < (kept.email ?? '')) byIdentity.set(key, report);
  }
  const unique = [...byIdentity.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, report]) => report);
  return { unique, duplicates: reports.length - unique.length };
}

export function isOwnAddress(ip: string, ownNetworks: readonly IpAddress[]): boolean {
  const parsed = parseIpAddress(ip);
  return parsed.ok && ownNetworks.some((network) => networkContains(network, parsed.value));
}

function bump(map: Record<string, number>, key: string, by: number): void {
  map[key] = (own(map, key) ?? 0) + by;
}

function classify(source: SourceSummary, forwardedMessages: number, own: boolean): SourceKind {
  if (own) return 'own';
  if (source.spfAligned > 0) return 'authorized';
  if (source.dkimAligned > 0 || forwardedMessages > 0) return 'forwarder';
  return 'forger';
}

/** Sums reports per reporter, per source address and per day. */
export function summarize(input: SummaryInput): Summary {
  const since = input.since?.getTime();
  const inPeriod = input.reports.filter((r) => since === undefined || Date.parse(r.end) >= since);
  const { unique: all, duplicates } = dedupeReports(inPeriod);
  const wanted = input.domain;
  const unique = wanted === undefined ? all : all.filter((r) => reportIsFor(r.policy.domain, wanted));
  const others = all.filter((r) => !unique.includes(r));

  const reporters = new Map<string, ReporterSummary>();
  const sources = new Map<string, SourceSummary & { forwarded: number }>();
  const days = new Map<string, DailyPoint>();

  for (const report of unique) {
    const reporterKey = `${report.orgName}\u0000${report.policy.domain}`;
    const reporter = reporters.get(reporterKey) ?? {
      orgName: report.orgName,
      email: report.email,
      domain: report.policy.domain,
      reports: 0,
      firstBegin: report.begin,
      lastEnd: report.end,
      messages: 0,
      pass: 0,
      fail: 0,
    };
    reporter.reports += 1;
    if (report.begin < reporter.firstBegin) reporter.firstBegin = report.begin;
    if (report.end > reporter.lastEnd) reporter.lastEnd = report.end;
    reporters.set(reporterKey, reporter);

    const date = report.begin.slice(0, 10);
    const day = days.get(date) ?? { date, pass: 0, fail: 0 };
    days.set(date, day);

    for (const row of report.rows) {
      const pass = row.dkim === 'pass' || row.spf === 'pass';
      reporter.messages += row.count;
      if (pass) {
        reporter.pass += row.count;
        day.pass += row.count;
      } else {
        reporter.fail += row.count;
        day.fail += row.count;
      }
      // Each domain's sources apart: with `domain` given, all rows are its own (a subdomain's too).
      const sourceDomain = wanted ?? report.policy.domain;
      const sourceKey = `${sourceDomain}\u0000${row.sourceIp}`;
      const source = sources.get(sourceKey) ?? {
        sourceIp: row.sourceIp,
        domain: sourceDomain,
        count: 0,
        reverseName: input.reverseNames?.get(row.sourceIp) ?? null,
        kind: 'forger' as SourceKind,
        dkimAligned: 0,
        spfAligned: 0,
        dmarcPass: 0,
        dmarcFail: 0,
        dispositions: { none: 0, quarantine: 0, reject: 0 } satisfies Record<Disposition, number>,
        // Keyed by what receivers wrote: `__proto__` or `constructor` are just keys here.
        dkimResults: dictionary<number>(),
        spfResults: dictionary<number>(),
        headerFrom: [],
        reporters: [],
        forwarded: 0,
      };
      source.count += row.count;
      if (row.dkim === 'pass') source.dkimAligned += row.count;
      if (row.spf === 'pass') source.spfAligned += row.count;
      if (pass) source.dmarcPass += row.count;
      else source.dmarcFail += row.count;
      source.dispositions[row.disposition] += row.count;
      for (const result of row.dkimResults.length > 0 ? row.dkimResults.map((d) => d.result) : ['none']) bump(source.dkimResults, result, row.count);
      for (const result of row.spfResults.length > 0 ? row.spfResults.map((s) => s.result) : ['none']) bump(source.spfResults, result, row.count);
      if (row.headerFrom !== '' && !source.headerFrom.includes(row.headerFrom)) source.headerFrom.push(row.headerFrom);
      if (!source.reporters.includes(report.orgName)) source.reporters.push(report.orgName);
      if (row.reasons.some((r) => forwardingReasons.has(r))) source.forwarded += row.count;
      sources.set(sourceKey, source);
    }
  }

  const sourceList = [...sources.values()].map(({ forwarded, ...source }) => ({
    ...source,
    kind: classify(source, forwarded, isOwnAddress(source.sourceIp, input.ownNetworks)),
  }));
  sourceList.sort((a, b) => b.count - a.count || a.sourceIp.localeCompare(b.sourceIp) || a.domain.localeCompare(b.domain));

  return {
    reports: unique,
    duplicates,
    reporters: [...reporters.values()].sort((a, b) => a.orgName.localeCompare(b.orgName) || a.domain.localeCompare(b.domain)),
    sources: sourceList,
    timeline: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)),
    otherDomains: { reports: others.length, domains: [...new Set(others.map((r) => r.policy.domain))].sort() },
  };
}

/** The same summary with the sources' reverse names filled in. */
export function withReverseNames<T extends { sources: SourceSummary[] }>(summary: T, names: ReadonlyMap<string, string | null>): T {
  return { ...summary, sources: summary.sources.map((s) => ({ ...s, reverseName: names.get(s.sourceIp) ?? s.reverseName })) };
}
