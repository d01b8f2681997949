import { formatPlan } from '../../server/engine/index.js';
import { applyChanges } from '../../services/dkim/dkim.js';
import { writeErrorLine, writeJson, writeLine, writeText, type CliIO, type Command } from '../command.js';
import { connectFromCli } from '../sshOptions.js';
import { cliText } from '../language.js';
import { changeUsage, readChangeOptions, settingsFor } from './plan.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Change the server as one transaction: backup, write, validate, reload, health check; restored on any failure (exit 4).',
  usage: `apply ${changeUsage}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const input = await readChangeOptions(this, argv, io);
    const session = await connectFromCli(input.ssh, io);
    try {
      const result = await applyChanges(session, settingsFor(input, session), {
        dns: input.dns,
        progress: (event) => {
          if (!input.json) writeErrorLine(io, `[${event.stage}] ${event.text}`);
        },
      });
      if (input.json) {
        writeJson(io, { ok: true, changed: result.changed, backupId: result.backupId, warnings: result.warnings, interrupted: result.interrupted, plan: result.plan, roundTrips: result.roundTrips });
        return 0;
      }
      for (const i of result.interrupted) writeLine(io, `! ${i.text}`);
      if (!result.changed) {
        writeLine(io, `Nothing changed: ${session.target.host} already signs mail for ${result.plan.domain}.`);
        return 0;
      }
      writeText(io, formatPlan(result.plan, (item) => cliText(io.env).keyed('plan', item)));
      for (const w of result.warnings) writeLine(io, `Warning: ${w}`);
      writeLine(io, `Applied. Backup: ${result.backupId ?? ''} (undo with: homemail rollback --ssh … --backup ${result.backupId ?? ''})`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
