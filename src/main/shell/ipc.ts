import { ipcMain, type BrowserWindow } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type TroveEvent } from '../../shared/contract';
import type { Dispatcher } from '../core/api/dispatch';
import type { Logger } from '../core/logger';
import { isTrustedSender } from './security';

/**
 * The one request channel. Electron only relays: every call is checked to
 * come from the top frame of one of our windows showing our UI, then handed to the
 * dispatcher, which validates the input and returns a Result.
 */
export function registerIpc(params: {
  dispatcher: Dispatcher;
  /** Trove's own windows (the main one, the quick-search one when it exists). */
  getWindows(): BrowserWindow[];
  appOrigin: string;
  logger: Logger;
}): () => void {
  const log = params.logger.child('ipc');
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, command: unknown, input: unknown) => {
    const frame = event.senderFrame;
    const sender = {
      frameUrl: frame?.url,
      isMainFrame: frame !== null && frame === event.sender.mainFrame,
      webContentsId: event.sender.id,
    };
    const trusted = params
      .getWindows()
      .some(
        (win) =>
          !win.isDestroyed() &&
          isTrustedSender(sender, { webContentsId: win.webContents.id, appOrigin: params.appOrigin }),
      );
    if (!trusted) {
      log.warn('refused IPC call from an unknown sender', { webContentsId: event.sender.id });
      return { ok: false, error: { code: 'VALIDATION', message: 'Refused: this page is not a Trove window.' } };
    }
    if (typeof command !== 'string') {
      return { ok: false, error: { code: 'VALIDATION', message: 'The command name must be a string.' } };
    }
    return params.dispatcher.dispatch(command, input);
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

/**
 * Pushes core events to the window once its page has loaded; events before
 * that are dropped on purpose, because the UI fetches fresh state on start.
 */
export function forwardEvents(
  win: BrowserWindow,
  subscribe: (listener: (event: TroveEvent) => void) => () => void,
): () => void {
  let ready = false;
  win.webContents.on('did-finish-load', () => {
    ready = true;
  });
  win.webContents.on('did-start-loading', () => {
    ready = false;
  });
  return subscribe((event) => {
    if (ready && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
}
