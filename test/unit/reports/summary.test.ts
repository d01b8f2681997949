import { describe, expect, it } from 'vitest';
import { parseAggregateReport } from '../../../main/services/reports/aggregateXml.js';
import { detectSpamAssassinDkimWarning, upstreamVersion } from '../../../main/services/reports/knownIssues.js';
import { recommendNextPolicy } from '../../../main/services/reports/recommend.js';
import { reportIsFor, summarize } from '../../../main/services/reports/summarize.js';
import { parseIpAddress, type IpAddress } from '../../../shared/validation/ip.js';
import { reportXml, type FixtureReport } from './fixtures.js';

const own: IpAddress[] = ['203.0.113.10', '2001:db8:1::/48'].map((t) => {
  const r = parseIpAddress(t, { allowPrefix: true });
  if (!r.ok) throw new Error(t);
  return r.value;
});

function parsed(r: FixtureReport) {
  return parseAggregateReport(reportXml(r));
}

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('summarize', () => {
  const google: FixtureReport = { org: 'google.com', id: 'g1', domain: 'example.test', begin: d('2025-03-01'), rows: [
    { ip: '203.0.113.10', count: 10 },
    { ip: '192.0.2.66', count: 3, dkim: 'fail', spf: 'fail', disposition: 'none' },
    { ip: '198.51.100.20', count: 2, dkim: 'pass', spf: 'fail', reason: 'forwarded' },
  ] };
  const reports = [
    parsed(google),
    parsed({ org: 'Yahoo', id: 'y1', domain: 'example.test', begin: d('2025-03-02'), rows: [
      { ip: '203.0.113.10', count: 4, dkim: 'fail', spf: 'pass' },
      { ip: '2001:db8:1::25', count: 1 },
      { ip: '198.18.0.9', count: 6, dkim: 'fail', spf: 'pass' },
    ] }),
    // the same Google report delivered twice
    parsed(google),
  ];

  const summary = summarize({ reports, ownNetworks: own, reverseNames: new Map([['203.0.113.10', 'mail.example.test']]) });

  it('sums per source across reporters, once per report identity', () => {
    expect(summary.duplicates).toBe(1);
    const bySource = Object.fromEntries(summary.sources.map((s) => [s.sourceIp, s]));
    expect(bySource['203.0.113.10']).toMatchObject({ count: 14, dkimAligned: 10, spfAligned: 14, dmarcPass: 14, dmarcFail: 0, reverseName: 'mail.example.test', kind: 'own' });
    expect(bySource['203.0.113.10']?.reporters).toEqual(['google.com', 'Yahoo']);
    expect(bySource['2001:db8:1::25']?.kind).toBe('own');
    expect(bySource['192.0.2.66']).toMatchObject({ count: 3, dmarcFail: 3, kind: 'forger', reverseName: null });
    expect(bySource['198.51.100.20']?.kind).toBe('forwarder');
    expect(bySource['198.18.0.9']?.kind).toBe('authorized');
    expect(summary.sources.map((s) => s.sourceIp)[0]).toBe('203.0.113.10');
  });

  it('sums per reporter and per day', () => {
    expect(summary.reporters.map((r) => [r.orgName, r.messages, r.pass, r.fail])).toEqual([
      ['google.com', 15, 12, 3],
      ['Yahoo', 11, 11, 0],
    ]);
    expect(summary.timeline).toEqual([
      { date: '2025-03-01', pass: 12, fail: 3 },
      { date: '2025-03-02', pass: 11, fail: 0 },
    ]);
  });

  it('keeps only the period asked for', () => {
    const recent = summarize({ reports, ownNetworks: own, since: d('2025-03-02') });
    expect(recent.reports.map((r) => r.reportId)).toEqual(['y1']);
  });
});

describe('summarize: one mailbox, several domains\' reports', () => {
  // One rua mailbox receives reports for example.test, its subdomain and another domain.
  const reports = [
    parsed({ org: 'google.com', id: 'g1', domain: 'example.test', begin: d('2025-03-01'), rows: [{ ip: '203.0.113.10', count: 10 }] }),
    parsed({ org: 'google.com', id: 'g2', domain: 'news.example.test', begin: d('2025-03-01'), rows: [{ ip: '203.0.113.10', count: 2 }] }),
    parsed({ org: 'google.com', id: 'g3', domain: 'other.example', begin: d('2025-03-01'), rows: [{ ip: '203.0.113.10', count: 50 }, { ip: '192.0.2.66', count: 5, dkim: 'fail', spf: 'fail' }] }),
    parsed({ org: 'Yahoo', id: 'y3', domain: 'other.example', begin: d('2025-03-02'), rows: [{ ip: '192.0.2.66', count: 1, dkim: 'fail', spf: 'fail' }] }),
  ];

  it('with a domain: sums only its reports (a subdomain\'s count as its own), and counts the others left out', () => {
    const summary = summarize({ reports, ownNetworks: own, domain: 'Example.Test' });
    expect(summary.sources.map((s) => [s.domain, s.sourceIp, s.count])).toEqual([['Example.Test', '203.0.113.10', 12]]);
    expect(summary.reports.map((r) => r.policy.domain)).toEqual(['example.test', 'news.example.test']);
    expect(summary.timeline).toEqual([{ date: '2025-03-01', pass: 12, fail: 0 }]);
    expect(summary.reporters.map((r) => r.domain).sort()).toEqual(['example.test', 'news.example.test']);
    expect(summary.otherDomains).toEqual({ reports: 2, domains: ['other.example'] });
  });

  it('without a domain: each domain\'s sources are summed apart', () => {
    const summary = summarize({ reports, ownNetworks: own });
    expect(summary.sources.map((s) => [s.domain, s.sourceIp, s.count])).toEqual([
      ['other.example', '203.0.113.10', 50],
      ['example.test', '203.0.113.10', 10],
      ['other.example', '192.0.2.66', 6],
      ['news.example.test', '203.0.113.10', 2],
    ]);
    expect(summary.otherDomains).toEqual({ reports: 0, domains: [] });
  });

  it('a subdomain belongs to the domain; a look-alike does not', () => {
    expect(reportIsFor('mail.example.test', 'example.test')).toBe(true);
    expect(reportIsFor('example.test.', 'EXAMPLE.test')).toBe(true);
    expect(reportIsFor('badexample.test', 'example.test')).toBe(false);
    expect(reportIsFor('example.test', 'mail.example.test')).toBe(false);
  });
});

describe('recommendNextPolicy', () => {
  const goodDays = Array.from({ length: 15 }, (_, i) =>
    parsed({ org: 'google.com', id: `g${i}`, domain: 'example.test', begin: new Date(Date.UTC(2025, 2, 1 + i)), rows: [{ ip: '203.0.113.10', count: 5 }, { ip: '192.0.2.66', count: 1, dkim: 'fail', spf: 'fail' }] }),
  );
  const base = { domain: 'example.test', periodDays: 14, reportAddress: 'dmarc@example.test' };

  it('suggests quarantine, then reject, once own mail aligned for the period', () => {
    const s = summarize({ reports: goodDays, ownNetworks: own });
    const rec = recommendNextPolicy({ ...base, reports: s.reports, sources: s.sources });
    expect(rec).toMatchObject({ key: 'ready', current: 'none', next: 'quarantine' });
    expect(rec.record).toEqual({ name: '_dmarc.example.test', value: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test' });

    const kept = recommendNextPolicy({ ...base, reports: s.reports, sources: s.sources, currentRecord: 'v=DMARC1; p=none; rua=mailto:r@example.test; ruf=mailto:f@example.test; fo=1' });
    expect(kept.record?.value).toBe('v=DMARC1; p=quarantine; rua=mailto:r@example.test; ruf=mailto:f@example.test; fo=1');

    const atQuarantine = goodDays.map((r) => ({ ...r, policy: { ...r.policy, p: 'quarantine' as const } }));
    const q = summarize({ reports: atQuarantine, ownNetworks: own });
    expect(recommendNextPolicy({ ...base, reports: q.reports, sources: q.sources })).toMatchObject({ next: 'reject', key: 'ready' });

    const atReject = goodDays.map((r) => ({ ...r, policy: { ...r.policy, p: 'reject' as const } }));
    expect(recommendNextPolicy({ ...base, reports: atReject, sources: q.sources })).toMatchObject({ next: null, key: 'atReject' });
  });

  it('holds back when own mail failed, naming the source', () => {
    const withFailure = [...goodDays, parsed({ org: 'Yahoo', id: 'y', domain: 'example.test', begin: d('2025-03-10'), rows: [{ ip: '203.0.113.10', count: 2, dkim: 'fail', spf: 'fail' }] })];
    const s = summarize({ reports: withFailure, ownNetworks: own });
    const rec = recommendNextPolicy({ ...base, reports: s.reports, sources: s.sources });
    expect(rec).toMatchObject({ key: 'notReady', next: null, failingSources: ['203.0.113.10'] });
    expect(rec.text).toContain('203.0.113.10 (2/77) (failed/all)');
    expect(rec).toMatchObject({ code: 'notReady', params: { sources: '203.0.113.10 (2/77)', outcome: 'quarantined' } });
  });

  it('waits for enough days, and says when there are no reports', () => {
    const s = summarize({ reports: goodDays.slice(0, 3), ownNetworks: own });
    expect(recommendNextPolicy({ ...base, reports: s.reports, sources: s.sources }).key).toBe('tooFewDays');
    expect(recommendNextPolicy({ ...base, reports: [], sources: [] }).key).toBe('noReports');
  });

  it('with no report yet, names the policy the domain publishes (it said p=none for a domain at p=quarantine)', () => {
    const rec = recommendNextPolicy({ ...base, reports: [], sources: [], currentRecord: 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test' });
    expect(rec).toMatchObject({ key: 'noReports', current: 'quarantine', next: null });
    expect(recommendNextPolicy({ ...base, reports: [], sources: [], currentRecord: null }).current).toBe('none');
  });
});

describe('SpamAssassin DKIM warning', () => {
  const line = 'Mar  1 10:00:00 mail amavis[123]: (00123-01) _WARN: Argument "1.20200513.1" isn\'t numeric in numeric ge (>=) at /usr/share/perl5/Mail/SpamAssassin/Plugin/DKIM.pm line 686.';

  it('is found in logs, with the real fix', () => {
    const issue = detectSpamAssassinDkimWarning([line, line], { spamassassin: '3.4.4-1ubuntu1', mailDkim: '1.20200513.1-1' });
    expect(issue?.severity).toBe('warning');
    expect(issue?.text).toContain('(2 time(s) in the logs read)');
    expect(issue).toMatchObject({ code: 'spamassassinSeen', params: { count: 2 }, fixCode: 'spamassassinFix' });
    expect(issue?.fix).toMatch(/3\.4\.5 or later/);
    expect(issue?.fix).toMatch(/Do not edit DKIM\.pm/);
  });

  it('is predicted from versions, and not raised for fixed or absent SpamAssassin', () => {
    expect(detectSpamAssassinDkimWarning([], { spamassassin: '3.4.4-1', mailDkim: '1.20200513.1-1' })?.severity).toBe('info');
    expect(detectSpamAssassinDkimWarning([], { spamassassin: '3.4.6-1', mailDkim: '1.20200513.1-1' })).toBeNull();
    expect(detectSpamAssassinDkimWarning([], { spamassassin: '3.4.4-1', mailDkim: '0.58-1' })).toBeNull();
    expect(detectSpamAssassinDkimWarning([], { spamassassin: null, mailDkim: '1.20200513.1-1' })).toBeNull();
  });

  it('reads dpkg versions', () => {
    expect(upstreamVersion('1:3.4.4-1ubuntu1')).toEqual([3, 4, 4]);
    expect(upstreamVersion('4.0.0-6')).toEqual([4, 0, 0]);
  });
});
