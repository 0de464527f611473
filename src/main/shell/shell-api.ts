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
}): ShellApi {
  return {
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
    async revealPath({ path }) {
      // Resolved first, so "indexed/../../elsewhere" is judged (and shown) as where it really points.
      const target = resolve(path);
      if (!params.known.isIndexedPath(target)) {
        throw new AppError(
          'NOT_FOUND',
          'Trove shows only files it has indexed, and this path is not one of them. If the file is new, sync its folder first.',
        );
      }
      shell.showItemInFolder(target);
      return { revealed: true };
    },
  };
}
