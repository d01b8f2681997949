/**
 * The backups Homemail's applies left on a server (/var/backups/homemail/ID/), as the
 * "Changes made" page and `homemail rollback --list` show them. Pure data.
 */

/**
 * The last state the apply's journal recorded:
 * - `done`: applied and kept; restorable;
 * - `restored`: put back already (rollback);
 * - `rolled-back`: the apply failed and restored itself;
 * - `aborted`: stopped before writing anything;
 * - `rollback-failed` / `restore-failed`: an undo did not finish (look at the server);
 * - `unfinished`: no final state (an apply still running, or one a lost connection cut).
 */
export type BackupState = 'done' | 'restored' | 'rolled-back' | 'aborted' | 'rollback-failed' | 'restore-failed' | 'unfinished';

/** One file an apply touched and what a restore does to it. */
export interface BackupFile {
  path: string;
  /** `restore`: the earlier content goes back; `remove`: the apply created it, a restore deletes it. */
  action: 'restore' | 'remove';
  /**
   * Unified diff from the file as it is now to what a restore leaves; empty when they are
   * equal. Null when the content is not shown: a file only its owner may read (private keys).
   */
  diff: string | null;
}

export interface BackupEntry {
  /** The apply's id, also the backup folder's name, e.g. 20261130-031500-a1b2c3. */
  id: string;
  /** When the apply began (ms since 1970, the server's clock); null when unknown. */
  startedAtMs: number | null;
  state: BackupState;
  /** Only a finished apply can be restored. */
  restorable: boolean;
  files: BackupFile[];
  /** Packages the apply installed, removed again by a restore. */
  packages: string[];
}

export interface BackupList {
  /** Newest first. */
  backups: BackupEntry[];
  /** Where they live on the server. */
  root: string;
}
