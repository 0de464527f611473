import { dialog, shell, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ShellApi } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isAllowedExternalUrl } from './security';

/** The desktop-only commands: native pickers and the system browser. */
export function createShellApi(getWindow: () => BrowserWindow | null): ShellApi {
  return {
    async pickPaths({ kind, multiple, title }) {
      const properties: OpenDialogOptions['properties'] = [];
      if (kind === 'files' || kind === 'files-and-folders') properties.push('openFile');
      // On Windows and Linux a dialog cannot pick files and folders at once;
      // Electron then shows a folder picker, which is the useful half for imports.
      if (kind === 'folder' || kind === 'files-and-folders') properties.push('openDirectory');
      if (multiple) properties.push('multiSelections');
      const options: OpenDialogOptions = { properties, ...(title ? { title } : {}) };
      const win = getWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    },
    async openExternal({ url }) {
      if (!isAllowedExternalUrl(url))
        throw new AppError('VALIDATION', 'Only http(s) links can be opened in the browser.');
      await shell.openExternal(url);
      return { opened: true };
    },
    async revealPath({ path }) {
      shell.showItemInFolder(path);
      return { revealed: true };
    },
  };
}
