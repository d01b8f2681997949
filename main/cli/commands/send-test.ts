import { isIP } from 'node:net';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { DnsClient } from '../../services/verify/dnsClient.js';
import { sendTest } from '../../services/verify/sendTest.js';
import { chainedResolver, resolversFromArgs } from '../../services/verify/servers.js';
import { defaultHistoryFile, recordQuietly, sendTestRun, serverOf } from '../../services/watch/record.js';
import { oneLine, cliError, parseCommandArgs, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';
import { checkLines, summaryLine } from '../../../shared/i18n/checkLines.js';
import { cliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

const LOCAL_ADDRESS = /^[A-Za-z0-9._+-]+(?:@[A-Za-z0-9.-]+)?$/;

export const sendTestCommand: Command = {
  name: 'send-test',
  usage: `send-test ${sshUsage} [--to ADDR] [--domain D] [--ip ADDR]… [--resolver ADDR[:PORT]]… [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      to: { type: 'string' },
      domain: { type: 'string' },
      ip: { type: 'string', multiple: true },
      resolver: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    const ssh = readSshOptions(values, io);
    if (values.to !== undefined && !LOCAL_ADDRESS.test(values.to)) throw cliError('bad-input', 'cliLocalAddress', { value: values.to }, { field: 'to' });
    const domain = values.domain === undefined ? undefined : orThrow('domain', normalizeDomain(values.domain));
    const addresses = (values.ip ?? []).map((ip) => orThrow('ip', parseIpAddress(ip)).address);
    for (const text of values.resolver ?? []) {
      if (!parseResolverAddress(text)) throw cliError('bad-input', 'cliResolver', { value: text }, { field: 'resolver' });
    }
    // SPF is judged for the server's address: --ip, else the SSH host when it is an address.
    if (addresses.length === 0 && isIP(ssh.target.host)) addresses.push(ssh.target.host);
    const session = await connectFromCli(ssh, io);
    try {
      const client = new DnsClient();
      const report = await sendTest(session, {
        ...(values.to === undefined ? {} : { to: values.to }),
        ...(domain === undefined ? {} : { domain }),
        addresses,
        resolver: chainedResolver(client, resolversFromArgs(values.resolver ?? [])),
      });
      recordQuietly(defaultHistoryFile(io.env), sendTestRun(report, serverOf(session), values.resolver ?? [], new Date().toISOString()));
      if (values.json) {
        writeJson(io, { ok: report.ok, from: report.from, to: report.to, mailbox: report.mailbox, summary: report.summary, checks: report.checks,
          messages: report.messages.map((m) => ({ path: m.path, sent: m.sent, delivered: m.message !== null, authenticationResults: m.authenticationResults })) });
      } else {
        const text = cliText(io.env);
        writeLine(io, text.t('verify.cliSendHeading', { from: report.from, to: report.to, mailbox: report.mailbox }));
        writeLine(io);
        for (const m of report.messages) if (m.authenticationResults) writeLine(io, `${text.t(`words.checks.how.${m.path}`)}: ${oneLine(m.authenticationResults.replace(/\r?\n[ \t]+/g, ' '))}`);
        writeLine(io);
        writeLines(io, report.checks.flatMap((check) => checkLines(check, text)));
        writeLine(io);
        writeLine(io, summaryLine(report.summary, text));
      }
      return report.ok ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};
