import type { CallName } from './index.js';

/**
 * The call names as data, for the preload (which must stay small and cannot carry the
 * schemas). `satisfies` plus the type test keep it equal to the contract's keys.
 */
export const callNames = [
  'appInfo',
  'chooseKeyFile',
  'planChanges',
  'applyChanges',
  'rollbackChanges',
  'connectServer',
  'inspectServer',
  'disconnectServer',
  'forgetHostKey',
  'generateDkimKey',
  'listDkimKeys',
  'forgetDkimKey',
  'readPublishedRecords',
  'checkDkimPublished',
  'verifyDns',
  'sendTest',
  'explainHeaders',
  'readDmarcReports',
  'checkInbound',
  'planInbound',
  'applyInbound',
  'planRelay',
  'applyRelay',
  'checkOutbound',
  'checkRequirements',
  'watchStatus',
  'watchRunNow',
  'exportHistory',
  'deleteServerHistory',
  'setWatchSchedule',
  'listBackups',
  'rotationStatus',
  'startRotation',
  'previewRotation',
  'continueRotation',
  'undoRotation',
] as const satisfies readonly CallName[];
