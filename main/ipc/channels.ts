/** IPC channel names shared by the main-process binding and the preload. */
export const CALL_CHANNEL = 'homemail:call';
export const PROGRESS_CHANNEL = 'homemail:progress';
export const CANCEL_CHANNEL = 'homemail:cancel';

export interface CallRequest {
  callId: string;
  name: string;
  input: unknown;
}

export interface ProgressMessage {
  callId: string;
  event: unknown;
}
