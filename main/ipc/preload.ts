// The sandboxed preload: one typed function per contract call on window.homemail, nothing
// else. The page never sees ipcRenderer. Bundled to a single CommonJS file.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallHooks, CallName, CallOutcome, HomemailBridge } from '../../shared/contract/index.js';
import { callNames } from '../../shared/contract/names.js';
import { CALL_CHANNEL, CANCEL_CHANNEL, PROGRESS_CHANNEL, type ProgressMessage } from './channels.js';

let nextCallId = 0;

function invoker(name: CallName) {
  return async (input: unknown, hooks?: CallHooks<unknown>): Promise<CallOutcome<unknown>> => {
    const callId = `${Date.now().toString(36)}-${(nextCallId += 1)}`;
    const onProgress = (_event: IpcRendererEvent, message: ProgressMessage) => {
      if (message.callId === callId) hooks?.onProgress?.(message.event);
    };
    ipcRenderer.on(PROGRESS_CHANNEL, onProgress);
    hooks?.onCancelable?.(() => ipcRenderer.send(CANCEL_CHANNEL, callId));
    try {
      return (await ipcRenderer.invoke(CALL_CHANNEL, { callId, name, input })) as CallOutcome<unknown>;
    } finally {
      ipcRenderer.off(PROGRESS_CHANNEL, onProgress);
    }
  };
}

export function buildBridge(): HomemailBridge {
  return Object.fromEntries(callNames.map((name) => [name, invoker(name)])) as unknown as HomemailBridge;
}

contextBridge.exposeInMainWorld('homemail', buildBridge());
