import { listBackups } from '../../server/engine/backups.js';
import { rollbackChanges } from '../../server/engine/index.js';
import type { BackupList } from '../../../shared/backups.js';
import { cliError, parseCommandArgs, writeJson, writeLine, type CliIO, type Command } from '../command.js';
import { cliText, type CliText } from '../language.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage } from '../sshOptions.js';

/** The backups as the terminal shows them, one line each, in the person's language. */
export function backupLines(list: BackupList, text: CliText): string[] {
  if (list.backups.length === 0) return [text.t('changes.none')];
  return list.backups.map((backup) => {
    const when = backup.startedAtMs === null ? text.t('changes.unknownDate') : `${new Date(backup.startedAtMs).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
    const files = backup.files.map((f) => (f.action === 'remove' ? `${f.path} ${text.t('changes.created')}` : f.path));
    if (backup.packages.length > 0) files.push(text.t('changes.packages', { packages: backup.packages.join(' ') }));
    return `${backup.id}  ${when}  [${text.t(`changes.state.${backup.state}`)}]  ${files.join(', ')}`;
  });
}

export const rollbackCommand: Command = {
  name: 'rollback',
  usage: `rollback ${sshUsage} [--backup ID | --list] [--json]`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, { ...sshOptionSpec, backup: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' } });
    const ssh = readSshOptions(values, io);
    const backup = values.backup ?? null;
    if (backup !== null && !/^[0-9A-Za-z-]{1,64}$/.test(backup)) throw cliError('bad-input', 'cliBackupId', { backup }, { field: 'backup' });
    if (backup !== null && values.list) throw cliError('bad-input', 'cliListAndBackup', {}, { field: 'list' });
    const session = await connectFromCli(ssh, io);
    try {
      if (values.list) {
        const list = await listBackups(session);
        if (values.json) writeJson(io, { ok: true, ...list, roundTrips: session.roundTrips });
        else for (const line of backupLines(list, cliText(io.env))) writeLine(io, line);
        return 0;
      }
      const result = await rollbackChanges(session, backup);
      if (values.json) writeJson(io, { ok: true, ...result, roundTrips: session.roundTrips });
      else writeLine(io, cliText(io.env).t('changes.restored', { id: result.backupId }));
      return 0;
    } finally {
      await session.close();
    }
  },
};
