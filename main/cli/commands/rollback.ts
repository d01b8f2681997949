import { rollbackChanges } from '../../services/change/transaction.js';
import { parseCommandArgs, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { badInput } from '../../../shared/errors.js';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Restore the configuration as it was before an apply (the latest by default) and reload.',
  usage: `rollback ${sshUsage} [--backup ID] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, backup: { type: 'string' }, json: { type: 'boolean' } });
    const ssh = readSshOptions(values, io);
    const backup = values.backup ?? null;
    if (backup !== null && !/^[0-9A-Za-z-]{1,64}$/.test(backup)) throw badInput('backup', `"${backup}" is not a Homemail backup id.`, 'Backup ids look like 20260101-120000-a1b2c3.');
    const session = await connectFromCli(ssh, io);
    try {
      const result = await rollbackChanges(session, backup);
      if (values.json) writeJson(io, { ok: true, ...result, roundTrips: session.roundTrips });
      else writeLine(io, `Restored the configuration from backup ${result.backupId} and reloaded the services.`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
