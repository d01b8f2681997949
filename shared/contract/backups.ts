import { z } from 'zod';
import type { BackupList } from '../backups.js';
import { call } from './define.js';

export const backupsCalls = {
  listBackups: call<BackupList>()({
    input: z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) }).strict(),
    description: 'The backups earlier applies left on the server, newest first, each with the diff a restore would make (read only). Restore one with rollbackChanges.',
  }),
};
