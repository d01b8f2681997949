import { verifyDnsInput } from '../../../shared/contract/verify.js';
import { zodBadInput } from '../../../shared/validation/zodIssue.js';
import type { RequirementRow } from '../../../shared/outbound.js';
import { checkRequirements } from '../../services/outbound/checkRequirements.js';
import { cliError, flagOf, parseCommandArgs, usageHint, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const marks = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** The checklist in the CLI's language (LANG): per receiver its page, then each rule with its result, whom it applies to and why. */
export function formatRequirements(rows: readonly RequirementRow[], text: CliText): string[] {
  const lines: string[] = [];
  for (const receiver of ['gmail', 'yahoo', 'outlook'] as const) {
    const own = rows.filter((r) => r.receiver === receiver);
    lines.push(`${text.t(`requirements.receiver.${receiver}`)} — ${text.t('requirements.source')}: ${own[0]?.source ?? ''}`);
    for (const row of own) {
      // The scope on a line of its own (the wizard's "Applies to" column): the rule is a sentence and ends as one.
      lines.push(`  ${marks[row.status]} [${text.t(`verify.status.${row.status}`)}] ${text.t(`requirements.rules.${row.id}`)}`);
      lines.push(`      ${text.t('requirements.appliesTo')}: ${text.t(`requirements.scope.${row.scope}`)}`);
      for (const reason of row.reasons) lines.push(`      ${text.keyed('checks', reason)}`);
    }
    lines.push('');
  }
  return lines;
}

export const requirementsCommand: Command = {
  name: 'requirements',
  usage: `requirements --domain D [--selector S]… [--ip ADDR]… [--resolver ADDR[:PORT]]… [${sshUsage}] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      domain: { type: 'string' },
      selector: { type: 'string', multiple: true },
      ip: { type: 'string', multiple: true },
      resolver: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (values.domain === undefined) throw cliError('usage', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(this.usage) });
    const raw = {
      domain: values.domain,
      dkim: (values.selector ?? []).map((selector) => ({ selector })),
      addresses: values.ip ?? [],
      resolvers: values.resolver ?? [],
    };
    const parsed = verifyDnsInput.safeParse(raw);
    if (!parsed.success) throw zodBadInput(parsed.error, raw, flagOf({ dkim: 'selector' }));
    const input = parsed.data;
    const session = values.ssh === undefined ? null : await connectFromCli(readSshOptions(values, io), io);
    try {
      const report = await checkRequirements({ domain: input.domain, dkim: input.dkim, addresses: input.addresses, resolvers: input.resolvers, session });
      if (values.json) {
        writeJson(io, { domain: report.domain, serverChecked: report.serverChecked, ok: report.ok, rows: report.rows });
      } else {
        const text = cliText(io.env);
        writeLine(io, `${text.t('requirements.heading')}: ${report.domain}`);
        if (!report.serverChecked) writeLine(io, text.t('requirements.dnsOnlyCli'));
        writeLine(io);
        writeLines(io, formatRequirements(report.rows, text));
      }
      return report.ok ? 0 : 1;
    } finally {
      await session?.close();
    }
  },
};
