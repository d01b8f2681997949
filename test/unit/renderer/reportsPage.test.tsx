// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { initI18n, setLanguage } from '../../../renderer/src/i18n.js';
import { PassFailChart, progressView, ReportsPage, ReportsView } from '../../../renderer/src/pages/ReportsPage.js';
import { calls, fail, fake, ok, useFakeBridgeInEachTest } from './fakeBridge.js';
import { csvCell, sourcesCsv, type ReportsResult, type SourceSummary } from '../../../shared/reports.js';

const source = (ip: string, extra: Partial<SourceSummary> = {}): SourceSummary => ({
  sourceIp: ip,
  domain: 'example.test',
  count: 10,
  reverseName: null,
  kind: 'own',
  dkimAligned: 10,
  spfAligned: 10,
  dmarcPass: 10,
  dmarcFail: 0,
  dispositions: { none: 10, quarantine: 0, reject: 0 },
  dkimResults: { pass: 10 },
  spfResults: { pass: 10 },
  headerFrom: ['example.test'],
  reporters: ['google.com'],
  ...extra,
});

initI18n();
setLanguage('en');
afterEach(cleanup);

describe('CSV export', () => {
  it('quotes and defuses formulas from other people\'s DNS', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    const csv = sourcesCsv([source('192.0.2.1', { reverseName: '@evil.example', kind: 'forger', dmarcFail: 10, dmarcPass: 0 })]);
    expect(csv.split('\r\n')[0]).toBe('sourceIp,reverseName,kind,count,dmarcPass,dmarcFail,dkimAligned,spfAligned,none,quarantine,reject,headerFrom,reporters,domain');
    expect(csv.split('\r\n')[1]).toBe("192.0.2.1,'@evil.example,forger,10,0,10,10,10,10,0,0,example.test,google.com,example.test");
  });
});

describe('Reports page', () => {
  it('draws one stacked bar per day, heights in proportion', () => {
    const { container } = render(<PassFailChart label="chart" timeline={[{ date: '2025-03-01', pass: 30, fail: 10 }, { date: '2025-03-02', pass: 10, fail: 0 }]} />);
    const rects = [...container.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(rects).toEqual([30, 90, 0, 30]);
  });

  it('shows the sources, the skipped reports and the next step', () => {
    const result: ReportsResult = {
      mailbox: { address: 'dmarc@example.test', users: ['admin'], paths: [{ path: '/var/mail/admin', format: 'mbox' }], notes: [], keyedNotes: [] },
      messagesRead: 3,
      bytesRead: 1000,
      truncated: false,
      reports: 2,
      duplicates: 0,
      period: { kind: 'days', days: 14 },
      reporters: [],
      sources: [source('127.0.0.1', { reverseName: 'mail.example.test' }), source('192.0.2.66', { kind: 'forger', dmarcFail: 4 })],
      timeline: [{ date: '2025-03-01', pass: 10, fail: 4 }],
      skipped: [{ source: 'XXE report — x.xml', reason: 'declares a DOCTYPE' }],
      notes: [{ source: 'Report Domain: example.test — large.xml', reason: "The report's <org_name> is empty; it is counted as from example.org (the domain of its <email>)." }],
      recommendation: {
        domain: 'example.test',
        current: 'none',
        next: 'quarantine',
        periodDays: 14,
        key: 'ready',
        text: '',
        code: 'ready',
        params: {},
        record: { name: '_dmarc.example.test', value: 'v=DMARC1; p=quarantine' },
        failingSources: [],
        published: { domain: 'example.test', adkim: 'r', aspf: 'r', p: 'none', sp: null, pct: null, np: 'reject', testing: true, discoveryMethod: 'treewalk' },
      },
      knownIssues: [],
      roundTrips: 3,
    };
    render(<ReportsView result={result} />);
    const rows = screen.getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('mail.example.test');
    expect(screen.getByText('Forger')).toBeTruthy();
    expect(screen.getByText(/1 report\(s\) skipped/)).toBeTruthy();
    expect(screen.getByText(/_dmarc.example.test TXT "v=DMARC1; p=quarantine"/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export as CSV' })).toBeTruthy();
    expect(screen.getByText(/1 note\(s\) on how the reports were read/)).toBeTruthy();
    expect(screen.getByText(/org_name> is empty/)).toBeTruthy();
    // RFC 9990 fields as the receivers reported them.
    expect(screen.getByText('p=none, np=reject')).toBeTruthy();
    expect(screen.getByText(/nothing is enforced/)).toBeTruthy();
    expect(screen.getByText(/not stated \(the whole mail stream/)).toBeTruthy();
    expect(screen.getByText('treewalk')).toBeTruthy();
  });
});

describe('Reports page with several domains\' reports in one mailbox', () => {
  const base = (over: Partial<ReportsResult>): ReportsResult => ({
    mailbox: { address: 'dmarc@example.test', users: ['admin'], paths: [], notes: [], keyedNotes: [] },
    messagesRead: 4, bytesRead: 10, truncated: false, reports: 2, duplicates: 0, period: { kind: 'days', days: 14 },
    reporters: [], sources: [], timeline: [], skipped: [], notes: [], recommendation: null, knownIssues: [], roundTrips: 3,
    ...over,
  });

  it('says in one line, in Japanese, how many reports for other domains were left out (not folded with the notes)', async () => {
    await i18next.changeLanguage('ja');
    try {
      const note = { source: 'the report reader', sourceCode: 'readerSource', reason: '2 report(s) for other domains…', code: 'otherDomains', params: { count: 2, domains: 'other.example', domain: 'example.test' } };
      render(<ReportsView result={base({ sources: [source('127.0.0.1')], notes: [note] })} />);
      expect(screen.getByText('ほかのドメイン宛てのレポート 2 件(other.example)は集計から外しました。example.test とそのサブドメインの分だけを集計しています。').className).toContain('notice');
      expect(screen.queryByText(/レポート読み取り時の注記/)).toBeNull();
      expect(screen.queryByRole('columnheader', { name: 'ドメイン' })).toBeNull();
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('without a domain, each domain\'s sums are a row of their own, named', () => {
    render(<ReportsView result={base({ sources: [source('127.0.0.1', { domain: 'other.example', count: 50 }), source('127.0.0.1', { count: 10 })] })} />);
    expect(screen.getByRole('columnheader', { name: 'Domain' })).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((c) => c.textContent));
    expect(rows).toEqual([['other.example', '127.0.0.1'], ['example.test', '127.0.0.1']]);
  });
});

describe('Reports page in Japanese', () => {
  it('renders the reader\'s notes and a known issue from their codes', async () => {
    await i18next.changeLanguage('ja');
    try {
      const result: ReportsResult = {
        mailbox: { address: 'dmarc@example.jp', users: ['admin'], paths: [], notes: [], keyedNotes: [] },
        messagesRead: 1, bytesRead: 10, truncated: false, reports: 1, duplicates: 0, period: { kind: 'days', days: 14 },
        reporters: [], sources: [], timeline: [],
        skipped: [{ source: 'Subject: x — a.png', reason: 'Its content is not XML…', code: 'notReportContent', params: { contentType: 'image/png' } }],
        notes: [{ source: 'the report reader', sourceCode: 'readerSource', reason: 'Stopped reading…', code: 'stoppedWorker', params: { why: 'workerStopped', read: 1, leftOut: 0 } }],
        recommendation: null,
        knownIssues: [{ key: 'spamassassinDkimVersion', severity: 'warning', text: 'x', code: 'spamassassinSeen', params: { count: 2, version: '1.20200513.1' }, fixCode: 'spamassassinFix', fix: 'y', evidence: [] }],
        roundTrips: 1,
      };
      render(<ReportsView result={result} />);
      expect(screen.getByText(/中身が XML、gzip、zip、TLS レポートのどれでもないため\(image\/png\)/)).toBeTruthy();
      expect(screen.getByText(/レポートの読み取り: 読み取りを止めました: レポートの読み取り処理が予期せず止まりました/)).toBeTruthy();
      expect(screen.getByText(/読んだログで 2 回/)).toBeTruthy();
      expect(screen.getByText(/SpamAssassin を 3\.4\.5 以降に更新してください/)).toBeTruthy();
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});

describe('Reports page period', () => {
  useFakeBridgeInEachTest();

  it('asks for the period the person chose: the last N days, since a date, or every report', async () => {
    const empty = { mailbox: { address: null, users: [], paths: [], notes: [], keyedNotes: [] }, messagesRead: 0, bytesRead: 0, truncated: false, period: { kind: 'all' as const }, reports: 0, duplicates: 0, reporters: [], sources: [], timeline: [], skipped: [], notes: [], recommendation: null, knownIssues: [], roundTrips: 3 };
    fake('readDmarcReports', () => ok(empty));
    render(<ReportsPage sessionId={'s'.repeat(20)} />);
    const read = screen.getByRole('button', { name: 'Read the reports' });
    fireEvent.click(read);
    await waitFor(() => expect(calls.at(-1)?.input).toEqual({ sessionId: 's'.repeat(20), period: { kind: 'days', days: 14 } }));
    fireEvent.click(screen.getByRole('radio', { name: /Since/ }));
    expect((screen.getByRole('button', { name: 'Read the reports' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Since', { selector: 'input[type="date"]' }), { target: { value: '2026-01-15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Read the reports' }));
    await waitFor(() => expect(calls.at(-1)?.input).toEqual({ sessionId: 's'.repeat(20), period: { kind: 'since', date: '2026-01-15' } }));
    fireEvent.click(screen.getByRole('radio', { name: /Every report/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Read the reports' }));
    await waitFor(() => expect(calls.at(-1)?.input).toEqual({ sessionId: 's'.repeat(20), period: { kind: 'all' } }));
  });
});

describe('Reports page when the reports go to a third party', () => {
  useFakeBridgeInEachTest();

  it('in Japanese: says where they go and how to add an address here, and the field the hint names is on the page', async () => {
    await i18next.changeLanguage('ja');
    try {
      fake('readDmarcReports', () =>
        fail({
          code: 'not-found',
          message: 'The DMARC reports of example.jp go to re+abc123@reports.example.net, which this server does not receive for.',
          sentence: { key: 'reportsGoElsewhere', params: { domain: 'example.jp', addresses: 're+abc123@reports.example.net' } },
          hint: 'Keep that address and add one this server receives.',
          hintSentence: { key: 'addLocalRua', params: { rua: 'mailto:re+abc123@reports.example.net', domain: 'example.jp', field: 'address' } },
        }),
      );
      render(<ReportsPage sessionId={'s'.repeat(20)} domain="example.jp" />);
      fireEvent.click(screen.getByRole('button', { name: 'レポートを読む' }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain('example.jp の DMARC レポートは re+abc123@reports.example.net に送られていて、このサーバーには届きません。');
      expect(alert.textContent).toContain('rua=mailto:re+abc123@reports.example.net,mailto:dmarc@example.jp');
      expect(alert.textContent).toContain('(レポートの宛先)');
      // The service's advice is the next step, without the code's general "check what you gave" beside it.
      expect(alert.textContent).toContain('次にすること: 今の宛先は残したまま');
      expect(alert.textContent).not.toContain('指定したものを確かめて');
      // The named field exists, and what is typed there is asked for.
      fake('readDmarcReports', () => ok({ mailbox: { address: 'dmarc@example.jp', users: [], paths: [], notes: [], keyedNotes: [] }, messagesRead: 0, bytesRead: 0, truncated: false, period: { kind: 'days' as const, days: 14 }, reports: 0, duplicates: 0, reporters: [], sources: [], timeline: [], skipped: [], notes: [], recommendation: null, knownIssues: [], roundTrips: 3 }));
      fireEvent.change(screen.getByLabelText('レポートの宛先(任意)'), { target: { value: 'dmarc@example.jp' } });
      fireEvent.click(screen.getByRole('button', { name: 'レポートを読む' }));
      await waitFor(() => expect(calls.at(-1)?.input).toEqual({ sessionId: 's'.repeat(20), domain: 'example.jp', period: { kind: 'days', days: 14 }, address: 'dmarc@example.jp' }));
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});

describe('Reports page progress', () => {
  it('shows the mail streaming in between the reading and opening phases', () => {
    const t = i18next.t.bind(i18next);
    expect(progressView({ kind: 'phase', phase: 'messages', done: 1, total: 4 }, t)).toEqual({ detail: 'Reading the messages', fraction: 0.25 });
    expect(progressView({ kind: 'read', bytes: 3 * 1048576, totalBytes: 6 * 1048576, messagesParsed: 120 }, t)).toEqual({ detail: '3.0 MB of mail received, 120 message(s) opened', fraction: 0.375 });
    expect(progressView({ kind: 'read', bytes: 1048576, totalBytes: null, messagesParsed: null }, t)).toEqual({ detail: '1.0 MB of mail received' });
  });
});
