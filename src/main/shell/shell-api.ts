import { dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { resolve } from 'node:path';
import type { ShellApi } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KnownLinks } from '../core/services/known-links';
import type { LinkOpener } from './external-links';

/** The desktop-only commands: native pickers, the system browser and the file manager. */
export function createShellApi(params: {
  getWindow(): BrowserWindow | null;
  links: LinkOpener;
  known: KnownLinks;
  /** Hides the quick-search window; false when it was not shown. */
  hideQuickSearch(): boolean;
  /** The quick-search shortcut asked for, and whether the system gave it. */
  quickSearchShortcutStatus(): { shortcut: string | null; registered: boolean };
}): ShellApi {
  return {
    async quickSearchShortcutStatus() {
      return params.quickSearchShortcutStatus();
    },
    async hideQuickSearch() {
      return { hidden: params.hideQuickSearch() };
    },
    async pickPaths({ kind, multiple, title }) {
      const properties: OpenDialogOptions['properties'] = [];
      if (kind === 'files' || kind === 'files-and-folders') properties.push('openFile');
      // On Windows and Linux a dialog cannot pick files and folders at once;
      // Electron then shows a folder picker, which is the useful half for imports.
      if (kind === 'folder' || kind === 'files-and-folders') properties.push('openDirectory');
      if (multiple) properties.push('multiSelections');
      const options: OpenDialogOptions = { properties, ...(title ? { title } : {}) };
      const win = params.getWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    },
    async openExternal({ url }) {
      return { opened: await params.links.open(url) };
    },
    async openPath({ path }) {
      const target = indexedPath(params.known, path);
      if (RUNS_AS_PROGRAM.test(target)) {
        shell.showItemInFolder(target);
        return { opened: false };
      }
      const error = await shell.openPath(target);
      if (error) throw new AppError('UNAVAILABLE', `The file could not be opened: ${error}`);
      return { opened: true };
    },
    async revealPath({ path }) {
      shell.showItemInFolder(indexedPath(params.known, path));
      return { revealed: true };
    },
  };
}

/** Extensions a desktop runs rather than shows when "opened" (scripts, installers, shortcuts). */
const RUNS_AS_PROGRAM =
  /\.(exe|com|bat|cmd|ps1|psm1|vbs|vbe|js|jse|mjs|cjs|wsf|wsh|msi|msp|scr|pif|cpl|hta|jar|lnk|url|reg|sh|bash|zsh|command|tool|app|desktop|appimage|run|py|pyw|pl|rb|php)$/i;

/** The path resolved (so "indexed/../../elsewhere" is judged as where it points), if Trove has indexed it. */
function indexedPath(known: KnownLinks, path: string): string {
  const target = resolve(path);
  if (!known.isIndexedPath(target)) {
    throw new AppError(
      'NOT_FOUND',
      'Trove opens and shows only files it has indexed, and this path is not one of them. If the file is new, sync its folder first.',
    );
  }
  return target;
}
