import type { InboundReport } from '../../../shared/inbound.js';
import type { Plan } from '../../../shared/plan.js';
import { assertAllowEntries, buildAllowMaps } from '../../services/inbound/allowMap.js';
import { allowEntryFrom, runInbound } from '../../services/inbound/inbound.js';
import { cliError, parseCommandArgs, writeErrorLine, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';
import { appliedLine, progressLine } from '../planText.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { defaultHistoryFile, inboundRun, recordQuietly, serverOf } from '../../services/watch/record.js';

const marks = { working: '✓', 'not-listing': '✗', 'lists-everything': '✗', refused: '!', 'no-answer': '✗' } as const;

/** The inbound picture for a terminal, in the wizard's words (`inbound.*`) and the person's language. */
export function formatInbound(report: InboundReport, text: CliText): string[] {
  const lines = [text.t('cli.inbound.lists')];
  if (report.blocklists.length === 0) lines.push(`  ${text.t('inbound.noLists')}`);
  for (const b of report.blocklists) {
    const remove = b.remove ? ` → ${text.t('cli.inbound.remove')}` : '';
    lines.push(`  ${marks[b.status]} ${b.use.zone} [${b.use.parameter}] ${text.t(`inbound.status.${b.status}`)}${remove}`, `      ${text.t(`inbound.statusHelp.${b.status}`)}`);
  }
  if (report.resolverWarning) lines.push(`  ! ${text.t('inbound.resolverWarning')}`);
  const rule = report.clientHostname;
  lines.push('', text.t('cli.inbound.rule'), `  ${text.t(`inbound.current.${rule.current}`)}`);
  if (rule.connections > 0) lines.push(`  ${text.t('inbound.logShare', { unknown: rule.unknownClients, total: rule.connections })}`);
  lines.push(`  ${text.t('inbound.ruleExplain')}`);
  lines.push('', text.t('cli.inbound.suggestions'), ...report.suggestions.map((s) => `  · ${s}`));
  return lines;
}

/** A change plan for the terminal, in the person's language: notes, each file's diff, the commands. */
export function formatChanges(plan: Plan, text: CliText): string[] {
  if (!plan.changed) return ['', text.t('cli.inbound.nothingToChange')];
  const lines = ['', text.t('cli.inbound.changes', { host: plan.host, files: plan.files.length })];
  for (const n of plan.notes) lines.push(text.t('cli.note', { text: text.keyed('plan', n) }));
  for (const f of plan.files) lines.push('', `== ${text.t(`cli.inbound.${f.kind}`, { path: f.path, why: text.keyed('plan', f.why) })}`, f.diff.trimEnd());
  lines.push('', text.t('cli.plan.commands'), ...plan.commands.map((c, i) => `  ${i + 1}. ${text.keyed('plan', c.words)}\n     $ ${c.command}`));
  return lines;
}

export const inboundCommand: Command = {
  name: 'inbound',
  usage: `inbound ${sshUsage} [--remove-dead] [--hostname-rule keep|reverse|strict] [--allow NAME|/REGEXP/|ADDR[/LEN]]… [--domain D] [--apply] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      json: { type: 'boolean' },
      apply: { type: 'boolean' },
      'remove-dead': { type: 'boolean' },
      'hostname-rule': { type: 'string' },
      allow: { type: 'string', multiple: true },
      domain: { type: 'string' },
    });
    const ssh = readSshOptions(values, io);
    const rule = values['hostname-rule'] ?? 'keep';
    if (rule !== 'keep' && rule !== 'reverse' && rule !== 'strict') throw cliError('bad-input', 'cliOneOf', { option: '--hostname-rule', allowed: 'keep, reverse, strict', value: rule }, { field: 'hostname-rule' });
    const allow = (values.allow ?? []).map(allowEntryFrom);
    assertAllowEntries(buildAllowMaps(allow));
    const session = await connectFromCli(ssh, io);
    const text = cliText(io.env);
    try {
      const outcome = await runInbound(
        session,
        { removeDead: values['remove-dead'] === true, hostnameRule: rule, allow, domain: values.domain ?? session.target.host },
        values.apply ? { progress: (e) => (values.json ? undefined : writeErrorLine(io, progressLine(e, text))) } : false,
      );
      recordQuietly(defaultHistoryFile(io.env), inboundRun(outcome.report, serverOf(session), values.domain ?? null, new Date().toISOString()));
      if (values.json) {
        writeJson(io, {
          ok: true,
          inbound: outcome.report,
          plan: outcome.plan,
          changed: outcome.apply?.changed ?? false,
          backupId: outcome.apply?.backupId ?? null,
          roundTrips: outcome.roundTrips,
        });
        return 0;
      }
      for (const line of [...formatInbound(outcome.report, text), ...formatChanges(outcome.plan, text)]) writeLine(io, line);
      if (outcome.apply?.changed) writeLine(io, `\n${appliedLine(outcome.apply.backupId, text)}`);
      else if (!values.apply && outcome.plan.changed) writeLine(io, `\n${text.t('cli.inbound.runApply')}`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
