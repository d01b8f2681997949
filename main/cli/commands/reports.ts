import type { z } from 'zod';
import { reportAddressField, reportDaysField, reportDomainField, reportSinceField } from '../../../shared/contract/reports.js';
import { zodBadInput } from '../../../shared/validation/zodIssue.js';
import type { ReportNote, ReportPeriod, ReportsResult } from '../../../shared/reports.js';
import { readReports } from '../../services/reports/readReports.js';
import { cliError, parseCommandArgs, writeJson, writeLines, type CliIO, type Command } from '../command.js';
import { displayWidth } from '../../../shared/i18n/checkLines.js';
import { cliText, type CliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

function parseField<T>(schema: z.ZodType<T>, value: string | number, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw zodBadInput(result.error, value, () => field);
}

/** Pads to a width in terminal columns (a CJK character takes two). */
function pad(text: string, width: number): string {
  const columns = displayWidth(text);
  return columns >= width ? text : text + ' '.repeat(width - columns);
}

/** The summary as text for a terminal, in the person's language (the Reports page's `reports.*` words and `cli.reports.*`). */
export function formatReports(r: ReportsResult, text: CliText): string[] {
  const lines: string[] = [];
  const where = r.mailbox.paths.map((p) => `${p.path} (${p.format})`).join(', ') || text.t('cli.reports.noMailbox');
  lines.push(text.t('cli.reports.address', { address: r.mailbox.address ?? text.t('cli.reports.guessed'), users: r.mailbox.users.join(', ') || '?', where }));
  const mailboxNotes = r.mailbox.keyedNotes.length > 0 ? r.mailbox.keyedNotes.map((note) => text.keyed('reports.note', note)) : r.mailbox.notes;
  for (const note of mailboxNotes) lines.push(`  · ${note}`);
  lines.push(
    text.t('cli.reports.read', {
      messages: r.messagesRead,
      bytes: r.bytesRead,
      truncated: r.truncated ? text.t('cli.reports.truncated') : '',
      reports: r.reports,
      period: periodText(r.period, text),
      duplicates: r.duplicates > 0 ? text.t('cli.reports.duplicates', { count: r.duplicates }) : '',
    }),
  );
  if (r.reporters.length > 0) {
    lines.push('', text.t('cli.reports.reporters'));
    for (const p of r.reporters) {
      lines.push(`  ${pad(p.orgName, 24)} ${pad(p.domain, 20)} ${p.firstBegin.slice(0, 10)} – ${p.lastEnd.slice(0, 10)}  ${text.t('cli.reports.reporterCounts', { reports: p.reports, messages: p.messages, pass: p.pass, fail: p.fail })}`);
    }
  }
  if (r.sources.length > 0) {
    const col = (key: string) => text.t(`reports.col.${key}`);
    // Several domains' reports (no --domain): each domain's sums apart, its name first.
    const domainWidth = new Set(r.sources.map((s) => s.domain)).size > 1 ? Math.max(displayWidth(col('domain')), ...r.sources.map((s) => displayWidth(s.domain))) + 1 : 0;
    const domainCell = (value: string) => (domainWidth === 0 ? '' : pad(value, domainWidth));
    lines.push('', `  ${domainCell(col('domain'))}${pad(col('source'), 40)} ${pad(col('count'), 7)} ${pad(col('dkim'), 10)} ${pad(col('spf'), 10)} ${pad(col('fail'), 7)} ${pad(col('kind'), 14)} ${col('name')}`);
    for (const s of r.sources) {
      lines.push(`  ${domainCell(s.domain)}${pad(s.sourceIp, 40)} ${pad(String(s.count), 7)} ${pad(String(s.dkimAligned), 10)} ${pad(String(s.spfAligned), 10)} ${pad(String(s.dmarcFail), 7)} ${pad(text.t(`reports.kind.${s.kind}`), 14)} ${s.reverseName ?? '-'}`);
    }
  }
  // The reader's sentences by their codes when it gave them (their English reason otherwise).
  const noteText = (n: ReportNote) => (n.code === undefined ? n.reason : text.keyed('reports.note', { key: n.code, params: n.params ?? {}, text: n.reason }));
  const sourceText = (n: ReportNote) => (n.sourceCode === undefined ? n.source : text.t(`reports.note.${n.sourceCode}`));
  if (r.skipped.length > 0) {
    lines.push('', text.t('cli.reports.skipped'));
    for (const s of r.skipped) lines.push(`  ✗ ${sourceText(s)}: ${noteText(s)}`);
  }
  if (r.notes.length > 0) {
    lines.push('', text.t('cli.reports.notes'));
    for (const n of r.notes) lines.push(`  · ${sourceText(n)}: ${noteText(n)}`);
  }
  const rec = r.recommendation;
  const policy = rec?.published;
  if (policy) {
    const none = text.t('cli.word.none');
    const extra = [policy.np === null ? null : `np=${policy.np}`, policy.testing === null ? null : `testing=${policy.testing ? 'y' : 'n'}`, policy.discoveryMethod === null ? null : `discovery=${policy.discoveryMethod}`, `pct=${policy.pct ?? none}`].filter((e) => e !== null);
    lines.push('', text.t('cli.reports.published', { policy: `p=${policy.p}${policy.sp === null ? '' : ` sp=${policy.sp}`} ${extra.join(' ')}` }));
  }
  if (rec) {
    const advice = rec.code === 'noOwnMail' ? text.keyed('reports.recText', { key: rec.code, params: rec.params, text: rec.text }) : text.t(`reports.rec.${rec.key}`, { current: rec.current, next: rec.next ?? '', days: rec.periodDays, sources: rec.failingSources.join(', ') });
    lines.push('', `DMARC (p=${rec.current}): ${advice}`);
    if (rec.record) lines.push(`  ${rec.record.name} TXT "${rec.record.value}"`);
  }
  for (const issue of r.knownIssues) {
    const fix = text.keyed('reports.issue', { key: issue.fixCode, params: {}, text: issue.fix });
    lines.push('', `! ${text.keyed('reports.issue', { key: issue.code, params: issue.params, text: issue.text })}`, text.t('cli.reports.fix', { fix }), ...issue.evidence.map((e) => `    ${e}`));
  }
  return lines;
}

/** `--days N`, `--since YYYY-MM-DD` or `--all` (at most one; default: the last 14 days). */
export function readPeriod(values: { days?: string | undefined; since?: string | undefined; all?: boolean | undefined }): ReportPeriod {
  const given = [values.days !== undefined && '--days', values.since !== undefined && '--since', values.all === true && '--all'].filter((g) => g !== false);
  if (given.length > 1) throw cliError('bad-input', 'cliOnePeriod', { given: given.join(', ') }, { field: 'period' });
  if (values.since !== undefined) return { kind: 'since', date: parseField(reportSinceField, values.since, 'since') };
  if (values.all === true) return { kind: 'all' };
  if (values.days === undefined) return { kind: 'days', days: 14 };
  if (!/^\d{1,4}$/.test(values.days)) throw cliError('bad-input', 'cliWholeNumber', { option: '--days', value: values.days }, { field: 'days' });
  return { kind: 'days', days: parseField(reportDaysField, Number(values.days), 'days') };
}

/** The period in words, for the summary line. */
function periodText(period: ReportPeriod, text: CliText): string {
  if (period.kind === 'days') return text.t('cli.reports.periodDays', { days: period.days });
  if (period.kind === 'since') return text.t('cli.reports.periodSince', { date: period.date });
  return text.t('cli.reports.periodAll');
}

export const reportsCommand: Command = {
  name: 'reports',
  usage: `reports ${sshUsage} [--address ADDR] [--domain D] [--days N | --since YYYY-MM-DD | --all] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      json: { type: 'boolean' },
      address: { type: 'string' },
      domain: { type: 'string' },
      days: { type: 'string' },
      since: { type: 'string' },
      all: { type: 'boolean' },
    });
    const options = readSshOptions(values, io);
    const address = values.address === undefined ? undefined : parseField(reportAddressField, values.address, 'address');
    const domain = values.domain === undefined ? undefined : parseField(reportDomainField, values.domain, 'domain');
    const period = readPeriod(values);
    const session = await connectFromCli(options, io);
    try {
      const result = await readReports(session, { address, domain, period, now: new Date() });
      if (values.json) writeJson(io, { ok: true, ...result });
      else writeLines(io, formatReports(result, cliText(io.env)));
      return 0;
    } finally {
      await session.close();
    }
  },
};
