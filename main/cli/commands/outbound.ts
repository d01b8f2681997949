import { summarize } from '../../../shared/checks.js';
import { checkLines, summaryLine } from '../../../shared/i18n/checkLines.js';
import type { OutboundReport } from '../../../shared/outbound.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow, problem } from '../../../shared/validation/problem.js';
import { badInput } from '../../../shared/errors.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { checkOutbound } from '../../services/outbound/outbound.js';
import { DEFAULT_PROBE_DOMAIN } from '../../services/outbound/probe.js';
import { parseCommandArgs, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const domainOption = (flag: string, value: string | undefined) => (value === undefined ? undefined : orThrow(flag, normalizeDomain(value)));

/** The findings in the CLI's language (LANG): the port 25 verdict, the public address, every check. */
export function formatOutbound(report: OutboundReport, text: CliText): string[] {
  const probe = report.port25Probe;
  const address = report.publicAddress === 'unknown' ? text.t('outbound.addressUnknown') : report.publicAddress;
  return [
    text.t(`outbound.port25.${report.port25}`, { host: probe.host ?? probe.probeDomain }),
    `${text.t('outbound.publicAddress')}: ${address}`,
    '',
    ...report.checks.flatMap((check) => checkLines(check, text)),
    '',
    summaryLine(summarize(report.checks), text),
  ];
}

export const outboundCommand: Command = {
  name: 'outbound',
  usage: `outbound ${sshUsage} [--probe-domain D] [--domain D] [--resolver ADDR[:PORT]]… [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, json: { type: 'boolean' }, 'probe-domain': { type: 'string' }, domain: { type: 'string' }, resolver: { type: 'string', multiple: true } });
    const ssh = readSshOptions(values, io);
    const probeDomain = domainOption('probe-domain', values['probe-domain']) ?? DEFAULT_PROBE_DOMAIN;
    const mailDomain = domainOption('domain', values.domain) ?? null;
    const resolvers = values.resolver ?? [];
    const badResolver = resolvers.find((r) => parseResolverAddress(r) === null);
    if (badResolver !== undefined) throw badInput('resolver', problem('resolverAddress', { value: badResolver }));
    const session = await connectFromCli(ssh, io);
    try {
      const report = await checkOutbound(session, { probeDomain, mailDomain, resolvers });
      const text = cliText(io.env);
      if (values.json) writeJson(io, report);
      else writeLines(io, formatOutbound(report, text));
      if (!values.json && report.port25 === 'blocked') writeLine(io, `\n${text.t('outbound.relayHow')}`);
      return report.ok ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};
