import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { keyedError, serializeError } from '../../shared/errors.js';
import type { Handlers } from '../services/handler.js';
import { CALL_CHANNEL, CANCEL_CHANNEL, PROGRESS_CHANNEL, type CallRequest } from './channels.js';
import { dispatch } from './dispatch.js';

/**
 * Binds the contract to ipcMain. Only our own window's top frame, showing our own page,
 * may call; every payload goes through dispatch's schema check.
 */
export function bindIpc(ipcMain: IpcMain, handlers: Handlers, isTrustedSender: (sender: WebContents, frameUrl: string | undefined) => boolean): () => void {
  const running = new Map<string, AbortController>();

  const onCall = async (event: IpcMainInvokeEvent, request: unknown) => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url)) {
      return { ok: false, error: serializeError(keyedError('usage', { key: 'untrustedCaller', params: {} })) };
    }
    if (!isCallRequest(request)) return { ok: false, error: serializeError(keyedError('bad-input', { key: 'malformedCall', params: {} })) };
    const controller = new AbortController();
    running.set(request.callId, controller);
    try {
      return await dispatch(handlers, request.name, request.input, {
        signal: controller.signal,
        progress: (progress) => {
          if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, { callId: request.callId, event: progress });
        },
      });
    } finally {
      running.delete(request.callId);
    }
  };
  const onCancel = (event: IpcMainEvent, callId: unknown) => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url) || typeof callId !== 'string') return;
    running.get(callId)?.abort();
  };

  ipcMain.handle(CALL_CHANNEL, onCall);
  ipcMain.on(CANCEL_CHANNEL, onCancel);
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.off(CANCEL_CHANNEL, onCancel);
    for (const controller of running.values()) controller.abort();
  };
}

function isCallRequest(value: unknown): value is CallRequest {
  if (typeof value !== 'object' || value === null) return false;
  const { callId, name } = value as Record<string, unknown>;
  return typeof callId === 'string' && callId.length <= 64 && typeof name === 'string' && name.length <= 64;
}
