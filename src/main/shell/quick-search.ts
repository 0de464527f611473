import { BrowserWindow, globalShortcut } from 'electron';
import type { Logger } from '../core/logger';
import { quickWindowOptions } from './security';

export interface QuickSearch {
  /** The window, once it has been created (for the IPC sender check). */
  window(): BrowserWindow | null;
  show(): void;
  /** Hides it; false when it was not shown. */
  hide(): boolean;
  /**
   * Binds the global shortcut (null: none). False when the system refused it
   * (another app holds it); the previous one is released either way.
   */
  bind(accelerator: string | null): boolean;
  /** The shortcut last asked for, and whether the system gave it to Trove. */
  shortcutStatus(): { shortcut: string | null; registered: boolean };
  dispose(): void;
}

/**
 * The quick-search window (issue 18): the renderer's `#/quick` route in a
 * small always-on-top panel, shown by a global shortcut or the tray and
 * hidden when it loses focus, on Esc, or once a result is opened. Created on
 * first use and kept, so showing it again is instant.
 */
export function createQuickSearch(params: {
  url: string;
  options: Parameters<typeof quickWindowOptions>[0];
  logger: Logger;
}): QuickSearch {
  let win: BrowserWindow | null = null;
  let bound: string | null = null;
  let requested: string | null = null;

  const ensure = (): BrowserWindow => {
    if (win && !win.isDestroyed()) return win;
    const created = new BrowserWindow(quickWindowOptions(params.options));
    created.on('blur', () => created.hide());
    created.on('closed', () => {
      win = null;
    });
    void created.loadURL(params.url);
    win = created;
    return created;
  };
  const show = (): void => {
    const w = ensure();
    w.center();
    w.show();
    w.focus();
  };
  const toggle = (): void => {
    if (win && !win.isDestroyed() && win.isVisible()) win.hide();
    else show();
  };

  return {
    window: () => (win && !win.isDestroyed() ? win : null),
    show,
    hide() {
      if (!win || win.isDestroyed() || !win.isVisible()) return false;
      win.hide();
      return true;
    },
    bind(accelerator) {
      if (bound) globalShortcut.unregister(bound);
      bound = null;
      requested = accelerator;
      if (!accelerator) return true;
      let ok = false;
      try {
        ok = globalShortcut.register(accelerator, toggle);
      } catch {
        ok = false;
      }
      if (ok) bound = accelerator;
      else params.logger.warn('the quick-search shortcut could not be registered', { accelerator });
      return ok;
    },
    shortcutStatus: () => ({ shortcut: requested, registered: requested !== null && bound === requested }),
    dispose() {
      if (bound) globalShortcut.unregister(bound);
      bound = null;
      if (win && !win.isDestroyed()) win.destroy();
      win = null;
    },
  };
}
