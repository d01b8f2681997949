import { badInput } from '../../../shared/errors.js';
import type { InboundReport } from '../../../shared/inbound.js';
import type { Plan } from '../../../shared/plan.js';
import { assertAllowEntries, buildAllowMaps } from '../../services/inbound/allowMap.js';
import { allowEntryFrom, runInbound } from '../../services/inbound/inbound.js';
import { parseCommandArgs, writeErrorLine, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { defaultHistoryFile, inboundRun, recordQuietly, serverOf } from '../../services/watch/record.js';

const marks = { working: '✓', 'not-listing': '✗', 'lists-everything': '✗', refused: '!', 'no-answer': '✗' } as const;

export function formatInbound(report: InboundReport): string[] {
  const lines = ['DNS blocklists (tested through the server\'s resolver, RFC 5782 test entries):'];
  if (report.blocklists.length === 0) lines.push('  none in use');
  for (const b of report.blocklists) lines.push(`  ${marks[b.status]} ${b.use.zone} [${b.use.parameter}] ${b.status}${b.remove ? ' → remove' : ''}`, `      ${b.text}`);
  if (report.resolverWarning) lines.push(`  ! ${report.resolverWarning}`);
  lines.push('', `Client host names (now: ${report.clientHostname.current}):`, `  ${report.clientHostname.text}`);
  lines.push('', 'Lists worth using:', ...report.suggestions.map((s) => `  · ${s}`));
  return lines;
}

/** A change plan for the terminal: notes, each file's diff, the commands. */
export function formatChanges(plan: Plan): string[] {
  if (!plan.changed) return ['', 'Nothing to change.'];
  const lines = ['', `Changes for ${plan.host}: ${plan.files.length} file(s).`];
  for (const n of plan.notes) lines.push(`Note: ${n.text}`);
  for (const f of plan.files) lines.push('', `== ${f.kind === 'modify' ? 'edit' : f.kind} ${f.path} — ${f.why.text}`, f.diff.trimEnd());
  lines.push('', 'Commands:', ...plan.commands.map((c, i) => `  ${i + 1}. ${c.words.text}\n     $ ${c.command}`));
  return lines;
}

export const inboundCommand: Command = {
  name: 'inbound',
  summary: 'Inbound spam rules: test the DNS blocklists in use, advise on client host-name checks; with --apply, change them as one transaction (undo with rollback).',
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
    if (rule !== 'keep' && rule !== 'reverse' && rule !== 'strict') throw badInput('hostname-rule', `--hostname-rule must be keep, reverse or strict, not "${rule}".`);
    const allow = (values.allow ?? []).map(allowEntryFrom);
    assertAllowEntries(buildAllowMaps(allow));
    const session = await connectFromCli(ssh, io);
    try {
      const outcome = await runInbound(
        session,
        { removeDead: values['remove-dead'] === true, hostnameRule: rule, allow, domain: values.domain ?? session.target.host },
        values.apply ? { progress: (e) => (values.json ? undefined : writeErrorLine(io, `[${e.stage}] ${e.text}`)) } : false,
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
      for (const line of [...formatInbound(outcome.report), ...formatChanges(outcome.plan)]) writeLine(io, line);
      if (outcome.apply?.changed) writeLine(io, `\nApplied. Backup: ${outcome.apply.backupId ?? ''} (undo with: homemail rollback --ssh … --backup ${outcome.apply.backupId ?? ''})`);
      else if (!values.apply && outcome.plan.changed) writeLine(io, '\nNothing was changed; run again with --apply to make these changes.');
      return 0;
    } finally {
      await session.close();
    }
  },
};
