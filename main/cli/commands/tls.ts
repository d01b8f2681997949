import { checkLetsEncryptFiles, letsEncryptFilesOf } from '../../services/tls/changes.js';
import { serverReasonText } from '../../../shared/i18n/keyedText.js';
import { runTls } from '../../services/tls/tls.js';
import { parseCommandArgs, writeErrorLine, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { formatChanges } from './inbound.js';
import { cliText } from '../language.js';
import { appliedLine, progressLine } from '../planText.js';

export const tlsCommand: Command = {
  name: 'tls',
  usage: `tls ${sshUsage} [--use-letsencrypt NAME] [--domain D] [--apply] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      ...sshOptionSpec,
      'use-letsencrypt': { type: 'string' },
      domain: { type: 'string' },
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const ssh = readSshOptions(values, io);
    // A bad certificate name is refused before the server is asked anything.
    const name = values['use-letsencrypt'];
    const letsEncrypt = name === undefined ? null : checkLetsEncryptFiles(letsEncryptFilesOf(name));
    const session = await connectFromCli(ssh, io);
    const text = cliText(io.env);
    try {
      const outcome = await runTls(
        session,
        { domain: values.domain ?? session.target.host, letsEncrypt },
        values.apply ? { progress: (e) => (values.json ? undefined : writeErrorLine(io, progressLine(e, text))) } : false,
      );
      if (values.json) {
        writeJson(io, { ok: true, plan: outcome.plan, changed: outcome.apply?.changed ?? false, backupId: outcome.apply?.backupId ?? null, warnings: outcome.apply?.warnings ?? [], roundTrips: outcome.roundTrips });
        return 0;
      }
      for (const line of formatChanges(outcome.plan, text)) writeLine(io, line);
      if (outcome.apply?.changed) writeLine(io, `\n${appliedLine(outcome.apply.backupId, text)}`);
      else if (!values.apply && outcome.plan.changed) writeLine(io, `\n${text.t('cli.inbound.runApply')}`);
      for (const warning of outcome.apply?.warnings ?? []) writeLine(io, text.t('cli.warning', { text: serverReasonText(text, warning) }));
      return 0;
    } finally {
      await session.close();
    }
  },
};
