/**
 * The sandboxed preload: exposes exactly the contract's bridge as
 * `window.trove` and nothing of Electron or Node. Built as CommonJS because
 * sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type TroveBridge } from '../shared/contract/ipc';

const bridge: TroveBridge = {
  call: (command, input) => ipcRenderer.invoke(IPC_CALL_CHANNEL, command, input),
  subscribe(listener) {
    // Wrap so the renderer never sees the IpcRendererEvent (it exposes `sender`).
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  pathsForFiles: (files) => Array.from(files, (file) => webUtils.getPathForFile(file)).filter((p) => p.length > 0),
};

contextBridge.exposeInMainWorld('trove', bridge);
