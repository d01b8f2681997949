import { renderCheckEnglish, renderSummaryEnglish, summarize } from '../../../shared/checks.js';
import type { OutboundReport } from '../../../shared/outbound.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { checkOutbound } from '../../services/outbound/outbound.js';
import { DEFAULT_PROBE_DOMAIN } from '../../services/outbound/probe.js';
import { parseCommandArgs, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const domainOption = (flag: string, value: string | undefined) => (value === undefined ? undefined : orThrow(flag, normalizeDomain(value)));

export function formatOutbound(report: OutboundReport): string[] {
  const probe = report.port25Probe;
  return [
    `Outbound port 25 to ${probe.host ?? probe.probeDomain}: ${report.port25}`,
    `Public address (as the server sees it): ${report.publicAddress}${report.publicAddressVia ? ` (via ${report.publicAddressVia})` : ''}`,
    '',
    ...report.checks.flatMap((check) => renderCheckEnglish(check)),
    '',
    renderSummaryEnglish(summarize(report.checks)),
  ];
}

export const outboundCommand: Command = {
  name: 'outbound',
  summary: `The way out: whether port 25 leaves the server (tried against the MX of --probe-domain, default ${DEFAULT_PROBE_DOMAIN}; nothing is sent), the public address and Spamhaus's policy list through the server's resolver, the reverse name, TLS and smtpd's certificate, and any relay already set. Exit 1 when something is wrong.`,
  usage: `outbound ${sshUsage} [--probe-domain D] [--domain D] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, json: { type: 'boolean' }, 'probe-domain': { type: 'string' }, domain: { type: 'string' } });
    const ssh = readSshOptions(values, io);
    const probeDomain = domainOption('probe-domain', values['probe-domain']) ?? DEFAULT_PROBE_DOMAIN;
    const mailDomain = domainOption('domain', values.domain) ?? null;
    const session = await connectFromCli(ssh, io);
    try {
      const report = await checkOutbound(session, { probeDomain, mailDomain });
      if (values.json) writeJson(io, report);
      else writeLines(io, formatOutbound(report));
      if (!values.json && report.port25 === 'blocked') writeLine(io, '\nPort 25 is blocked: set up a relay (homemail relay --ssh … --relay HOST:587 …).');
      return report.ok ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};
