/**
 * The change engine's public API: features (main/services/dkim, inbound, ...) build a
 * ChangeRequest whose compute() returns a ChangeSet, and hand it to planRequest /
 * applyRequest; rollbackChanges undoes the latest apply. Nothing outside main/server
 * imports the engine's other modules.
 */
export { desiredFile, emptyChangeSet, removedFile, sha256, type ChangeSet, type DesiredDir, type DesiredFile, type NewFileMeta, type ServerCommand } from './changeSet.js';
export { fileText, type RemoteFile, type ServerState } from './state.js';
export {
  applyRequest,
  faultsAllowed,
  newBackupId,
  planRequest,
  rollbackChanges,
  type ApplyOptions,
  type ChangeOptions,
  type ChangeRequest,
  type PlanOutcome,
} from './transaction.js';
export type { TestHook } from './bundle.js';
