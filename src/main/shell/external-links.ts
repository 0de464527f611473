import { dialog, shell, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { AppError } from '../../shared/errors';
import type { KnownLinks } from '../core/services/known-links';
import { decideExternalLink } from './security';

export interface LinkOpener {
  /**
   * Hands `url` to the system browser as `decideExternalLink` says, asking
   * first for an unfamiliar host. Resolves to whether it was opened; throws
   * VALIDATION for anything but an http(s) link.
   */
  open(url: string): Promise<boolean>;
}

/** The buttons of the confirmation, the safe one first and default. */
export const CONFIRM_BUTTONS = ['Cancel', 'Open Link'] as const;
const OPEN_BUTTON = CONFIRM_BUTTONS.indexOf('Open Link');

/** Every way a page can reach the system browser (the openExternal command, window.open, a navigation) goes through one opener. */
export function createLinkOpener(params: { known: KnownLinks; getWindow(): BrowserWindow | null }): LinkOpener {
  let asking = false;

  async function confirm(host: string, url: string): Promise<boolean> {
    // One question at a time: a page that opens links in a loop gets no
    // stack of dialogs to click through, only refusals while one is open.
    if (asking) return false;
    asking = true;
    try {
      const options: MessageBoxOptions = {
        type: 'question',
        title: 'Open link?',
        message: `Open ${host} in your browser?`,
        detail: `This link is not one of your indexed sources. Open it only if you trust ${host}.\n\n${url.length > 300 ? `${url.slice(0, 300)}…` : url}`,
        buttons: [...CONFIRM_BUTTONS],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const win = params.getWindow();
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return response === OPEN_BUTTON;
    } finally {
      asking = false;
    }
  }

  return {
    async open(url) {
      const decision = decideExternalLink(url, params.known);
      if (decision.action === 'refuse') {
        throw new AppError('VALIDATION', 'Only http(s) links can be opened in the browser.');
      }
      if (decision.action === 'confirm' && !(await confirm(decision.host, decision.url))) return false;
      await shell.openExternal(decision.url);
      return true;
    },
  };
}
