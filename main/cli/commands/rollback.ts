import { listBackups } from '../../server/engine/backups.js';
import { rollbackChanges } from '../../services/change/transaction.js';
import type { BackupEntry } from '../../../shared/backups.js';
import { parseCommandArgs, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';
import { badInput } from '../../../shared/errors.js';

function backupLine(backup: BackupEntry): string {
  const when = backup.startedAtMs === null ? '-' : new Date(backup.startedAtMs).toISOString().replace('T', ' ').slice(0, 16);
  const files = backup.files.map((f) => (f.action === 'remove' ? `${f.path} (created)` : f.path)).join(', ') || '-';
  const packages = backup.packages.length > 0 ? `; packages ${backup.packages.join(' ')}` : '';
  return `${backup.id}  ${when} UTC  ${backup.state}${backup.restorable ? ' (restorable)' : ''}  ${files}${packages}`;
}

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Restore the configuration as it was before an apply (the latest by default) and reload; --list shows the backups.',
  usage: `rollback ${sshUsage} [--backup ID | --list] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, backup: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' } });
    const ssh = readSshOptions(values, io);
    const backup = values.backup ?? null;
    if (backup !== null && !/^[0-9A-Za-z-]{1,64}$/.test(backup)) throw badInput('backup', `"${backup}" is not a Homemail backup id.`, 'Backup ids look like 20260101-120000-a1b2c3.');
    if (backup !== null && values.list) throw badInput('list', '--list and --backup do not go together.', 'List the backups first, then restore one with --backup ID.');
    const session = await connectFromCli(ssh, io);
    try {
      if (values.list) {
        const list = await listBackups(session);
        if (values.json) writeJson(io, { ok: true, ...list, roundTrips: session.roundTrips });
        else if (list.backups.length === 0) writeLine(io, `No backups in ${list.root} on the server.`);
        else for (const b of list.backups) writeLine(io, backupLine(b));
        return 0;
      }
      const result = await rollbackChanges(session, backup);
      if (values.json) writeJson(io, { ok: true, ...result, roundTrips: session.roundTrips });
      else writeLine(io, `Restored the configuration from backup ${result.backupId} and reloaded the services.`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
