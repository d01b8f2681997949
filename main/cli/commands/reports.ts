import type { z } from 'zod';
import { reportAddressField, reportDaysField, reportDomainField, reportSinceField } from '../../../shared/contract/reports.js';
import { badInput } from '../../../shared/errors.js';
import type { ReportPeriod, ReportsResult } from '../../../shared/reports.js';
import { readReports } from '../../services/reports/readReports.js';
import { parseCommandArgs, writeJson, writeLines, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

function parseField<T>(schema: z.ZodType<T>, value: string | number, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badInput(field, `--${field}: ${result.error.issues[0]?.message ?? 'not valid'}`);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The summary as text for a terminal. */
export function formatReports(r: ReportsResult): string[] {
  const lines: string[] = [];
  const where = r.mailbox.paths.map((p) => `${p.path} (${p.format})`).join(', ') || 'no mailbox';
  lines.push(`Report address  ${r.mailbox.address ?? '(guessed from aliases)'} → ${r.mailbox.users.join(', ') || '?'}: ${where}`);
  for (const note of r.mailbox.notes) lines.push(`  · ${note}`);
  lines.push(`Read ${r.messagesRead} message(s), ${r.bytesRead} bytes${r.truncated ? ' (the oldest were left out: size cap)' : ''}; ${r.reports} report(s) for ${periodText(r.period)}${r.duplicates > 0 ? `, ${r.duplicates} duplicate(s) ignored` : ''}.`);
  if (r.reporters.length > 0) {
    lines.push('', 'Reporters:');
    for (const p of r.reporters) lines.push(`  ${pad(p.orgName, 24)} ${pad(p.domain, 20)} ${p.firstBegin.slice(0, 10)} – ${p.lastEnd.slice(0, 10)}  ${p.reports} report(s), ${p.messages} msg, ${p.pass} pass, ${p.fail} fail`);
  }
  if (r.sources.length > 0) {
    lines.push('', `  ${pad('source', 40)} ${pad('count', 7)} ${pad('DKIM✓', 6)} ${pad('SPF✓', 6)} ${pad('fail', 6)} ${pad('kind', 11)} reverse name`);
    for (const s of r.sources) {
      lines.push(`  ${pad(s.sourceIp, 40)} ${pad(String(s.count), 7)} ${pad(String(s.dkimAligned), 6)} ${pad(String(s.spfAligned), 6)} ${pad(String(s.dmarcFail), 6)} ${pad(s.kind, 11)} ${s.reverseName ?? '-'}`);
    }
  }
  if (r.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const s of r.skipped) lines.push(`  ✗ ${s.source}: ${s.reason}`);
  }
  if (r.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of r.notes) lines.push(`  · ${n.source}: ${n.reason}`);
  }
  const policy = r.recommendation?.published;
  if (policy) {
    const extra = [policy.np === null ? null : `np=${policy.np}`, policy.testing === null ? null : `testing=${policy.testing ? 'y' : 'n'}`, policy.discoveryMethod === null ? null : `discovery=${policy.discoveryMethod}`, `pct=${policy.pct ?? '(none)'}`].filter((e) => e !== null);
    lines.push('', `Published policy as reported: p=${policy.p}${policy.sp === null ? '' : ` sp=${policy.sp}`} ${extra.join(' ')}`);
  }
  if (r.recommendation) {
    lines.push('', `DMARC (p=${r.recommendation.current}): ${r.recommendation.text}`);
    if (r.recommendation.record) lines.push(`  ${r.recommendation.record.name} TXT "${r.recommendation.record.value}"`);
  }
  for (const issue of r.knownIssues) lines.push('', `! ${issue.text}`, `  Fix: ${issue.fix}`, ...issue.evidence.map((e) => `    ${e}`));
  return lines;
}

/** `--days N`, `--since YYYY-MM-DD` or `--all` (at most one; default: the last 14 days). */
export function readPeriod(values: { days?: string | undefined; since?: string | undefined; all?: boolean | undefined }): ReportPeriod {
  const given = [values.days !== undefined && '--days', values.since !== undefined && '--since', values.all === true && '--all'].filter((g) => g !== false);
  if (given.length > 1) throw badInput('period', `Give one of --days, --since and --all, not ${given.join(' and ')}.`);
  if (values.since !== undefined) return { kind: 'since', date: parseField(reportSinceField, values.since, 'since') };
  if (values.all === true) return { kind: 'all' };
  if (values.days === undefined) return { kind: 'days', days: 14 };
  if (!/^\d{1,4}$/.test(values.days)) throw badInput('days', `--days must be a whole number of days, not "${values.days}".`);
  return { kind: 'days', days: parseField(reportDaysField, Number(values.days), 'days') };
}

/** The period in words, for the summary line. */
function periodText(period: ReportPeriod): string {
  if (period.kind === 'days') return `the last ${period.days} day(s)`;
  if (period.kind === 'since') return `since ${period.date}`;
  return 'every report in the mailbox';
}

export const reportsCommand: Command = {
  name: 'reports',
  summary: 'Read the DMARC aggregate reports in the report mailbox, summed per source (changes nothing).',
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
      else writeLines(io, formatReports(result));
      return 0;
    } finally {
      await session.close();
    }
  },
};
