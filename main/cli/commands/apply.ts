import { applyChanges } from '../../services/dkim/dkim.js';
import { writeErrorLine, writeJson, writeLine, writeText, type CliIO, type Command } from '../command.js';
import { connectFromCli } from '../sshOptions.js';
import { cliText } from '../language.js';
import { interruptedApplyText, serverReasonText } from '../../../shared/i18n/keyedText.js';
import { appliedLine, formatPlan, progressLine } from '../planText.js';
import { changeUsage, readChangeOptions, settingsFor } from './plan.js';

export const applyCommand: Command = {
  name: 'apply',
  usage: `apply ${changeUsage}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const input = await readChangeOptions(this, argv, io);
    const session = await connectFromCli(input.ssh, io);
    const text = cliText(io.env);
    try {
      const result = await applyChanges(session, settingsFor(input, session), {
        dns: input.dns,
        progress: (event) => {
          if (!input.json) writeErrorLine(io, progressLine(event, text));
        },
      });
      if (input.json) {
        writeJson(io, { ok: true, changed: result.changed, backupId: result.backupId, warnings: result.warnings, interrupted: result.interrupted, plan: result.plan, roundTrips: result.roundTrips });
        return 0;
      }
      for (const i of result.interrupted) writeLine(io, `! ${interruptedApplyText(text, i)}`);
      if (!result.changed) {
        writeLine(io, text.t('cli.apply.nothingChanged', { host: session.target.host, domain: result.plan.domain }));
        return 0;
      }
      writeText(io, formatPlan(result.plan, text));
      for (const w of result.warnings) writeLine(io, text.t('cli.warning', { text: serverReasonText(text, w) }));
      writeLine(io, appliedLine(result.backupId, text));
      return 0;
    } finally {
      await session.close();
    }
  },
};
