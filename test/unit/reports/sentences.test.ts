// The report reader's sentences cross as codes with params; English and Japanese come from the
// catalogs, at both doors. The CLI's `reports` text under LANG=ja_JP.UTF-8 is Japanese.
import { describe, expect, it } from 'vitest';
import { formatReports } from '../../../main/cli/commands/reports.js';
import { cliText } from '../../../main/cli/language.js';
import { parseAggregateReport } from '../../../main/services/reports/aggregateXml.js';
import { detectSpamAssassinDkimWarning } from '../../../main/services/reports/knownIssues.js';
import { resolveLocalPart } from '../../../main/services/reports/mailbox.js';
import { parseMessages } from '../../../main/services/reports/parseMessages.js';
import { readerNote, reportNote, reportSentence } from '../../../main/services/reports/sentences.js';
import type { ReportsResult } from '../../../shared/reports.js';

const ja = cliText({ LANG: 'ja_JP.UTF-8' });
const en = cliText({ LANG: 'C' });
const asKeyed = (note: { code?: string; params?: Readonly<Record<string, string | number>>; reason: string }) => ({ key: note.code ?? '', params: note.params ?? {}, text: note.reason });

const xml = (org: string, rows: string) => `<?xml version="1.0"?><feedback><report_metadata><org_name>${org}</org_name><email>noreply@reports.example</email><date_range><begin>1700000000</begin><end>1700086400</end></date_range></report_metadata><policy_published><domain>example.jp</domain><p>none</p></policy_published>${rows}</feedback>`;
const row = (ip: string) => `<record><row><source_ip>${ip}</source_ip><count>1</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>example.jp</header_from></identifiers></record>`;

describe('report reader sentences', () => {
  it('notes an empty org_name, a missing report id and skipped rows as codes, in both languages', () => {
    const report = parseAggregateReport(xml('', `${row('192.0.2.1')}${row('not-an-ip')}`));
    expect(report.notes.map((n) => n.key)).toEqual(['emptyOrgName', 'noReportId', 'rowsSkipped']);
    expect(report.notes[0]?.text).toBe("The report's <org_name> is empty; it is counted as from reports.example (the domain of its <email>).");
    expect(ja.keyed('reports.note', report.notes[0])).toBe('レポートの <org_name> が空のため、reports.example からのものとして数えます(<email> のドメインから)。');
    expect(ja.keyed('reports.note', report.notes[2])).toBe('2 行のうち 1 行を読み飛ばしました(<source_ip> ×1 がないか、形式が正しくありません)。残りの行は数えています。');
  });

  it('says why a document was refused by its code (here: a DOCTYPE, a possible XXE attack)', () => {
    const batch = parseMessages([`From: r@reports.example\r\nSubject: Report\r\nContent-Type: text/xml; name="r.xml"\r\nContent-Disposition: attachment; filename="r.xml"\r\n\r\n<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><feedback/>\r\n`]);
    const skipped = batch.skipped[0];
    expect(skipped).toMatchObject({ code: 'doctype' });
    expect(skipped?.reason).toMatch(/XXE/);
    expect(ja.keyed('reports.note', asKeyed(skipped ?? { reason: '' }))).toContain('XXE 攻撃の可能性があります');
  });

  it('turns alias notes into codes (a pipe, a remote forward)', () => {
    const aliases = new Map([['dmarc', ['|/usr/bin/procmail', 'bob@elsewhere.example']]]);
    const settings = { myhostname: 'mail.example.jp', mydomain: 'example.jp', mydestination: ['example.jp'], recipientDelimiter: '+', homeMailbox: '', mailSpoolDirectory: '/var/mail', mailboxCommand: '' };
    const { notes } = resolveLocalPart('dmarc', aliases, settings);
    expect(notes.map((n) => n.key)).toEqual(['aliasPiped', 'aliasForwarded']);
    expect(ja.keyed('reports.note', notes[1])).toBe('dmarc は別のサーバーの bob@elsewhere.example に転送されます。レポートはそちらで読んでください。');
  });

  it('prints the reports summary in Japanese under LANG=ja_JP.UTF-8, keeping the English for --json', () => {
    const issue = detectSpamAssassinDkimWarning(["spamd: Argument \"1.20200513.1\" isn't numeric in numeric ge (>=) at /usr/share/perl5/Mail/SpamAssassin/Plugin/DKIM.pm"], { spamassassin: '3.4.4-1', mailDkim: '1.20200513.1-1' });
    if (issue === null) throw new Error('expected the SpamAssassin warning');
    const result: ReportsResult = {
      mailbox: { address: 'dmarc@example.jp', users: ['admin'], paths: [{ path: '/var/mail/admin', format: 'mbox' }], notes: [reportSentence('remoteRua', { address: 'r@elsewhere.example' }).text], keyedNotes: [reportSentence('remoteRua', { address: 'r@elsewhere.example' })] },
      messagesRead: 3,
      bytesRead: 4000,
      truncated: false,
      reports: 2,
      duplicates: 0,
      period: { kind: 'days', days: 14 },
      reporters: [],
      sources: [],
      timeline: [],
      skipped: [reportNote('Subject: x — a.png', reportSentence('notReportContent', { contentType: 'image/png' }))],
      notes: [readerNote(reportSentence('stoppedWorker', { why: 'workerTimeout', seconds: 60, read: 2, leftOut: 1 }))],
      recommendation: null,
      knownIssues: [issue],
      roundTrips: 2,
    };
    const lines = formatReports(result, ja);
    expect(lines).toContain('  · レポートは r@elsewhere.example にも送られますが、このサーバーはその宛先のメールを受け取りません。');
    expect(lines).toContain('メール 3 通(4000 バイト)を読みました。直近 14 日間のレポートは 2 件。');
    expect(lines).toContain('  ✗ Subject: x — a.png: 中身が XML、gzip、zip、TLS レポートのどれでもないため(image/png)、読みませんでした。');
    expect(lines).toContain('  · レポートの読み取り: 読み取りを止めました: レポートの読み取り処理が 60 秒以内に応答しませんでした。2 通を読み、1 通は読んでいません。');
    expect(lines.some((line) => line.startsWith('! SpamAssassin の DKIM プラグインが'))).toBe(true);
    expect(lines.some((line) => line.startsWith('  直し方: SpamAssassin を 3.4.5 以降に更新してください'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/Stopped reading|not XML|also go to|Upgrade SpamAssassin/);
    // English at the English door, the same words as --json's text fields.
    expect(formatReports(result, en)).toContain(`  ✗ Subject: x — a.png: ${result.skipped[0]?.reason}`);
    expect(result.notes[0]?.reason).toBe('Stopped reading: the report reader did not answer within 60 s. 2 message(s) were read; 1 were not.');
  });
});
