import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { Screen } from '../../shared/contract';

export interface MenuActions {
  navigate(screen: Screen): void;
  importFiles(): void;
  addFolder(): void;
}

/**
 * The application menu; shortcuts match the in-app ones (Ctrl/Cmd+K for
 * search). Reload and Toggle Developer Tools (and their shortcuts) exist only
 * when `developerItems` is true, i.e. in an unpackaged app.
 */
export function buildAppMenu(actions: MenuActions, developerItems: boolean): Menu {
  const isMac = process.platform === 'darwin';
  const go = (label: string, screen: Screen, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => actions.navigate(screen),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFiles() },
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.addFolder() },
        { type: 'separator' },
        go('Settings', 'settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        go('Search', 'search', 'CmdOrCtrl+K'),
        go('Connectors', 'connectors', 'CmdOrCtrl+1'),
        go('Sync History', 'history', 'CmdOrCtrl+2'),
        go('Activity', 'activity', 'CmdOrCtrl+3'),
        go('Import', 'import', 'CmdOrCtrl+4'),
        go('Notifications', 'notifications', 'CmdOrCtrl+5'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(developerItems
          ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]
          : []),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `Trove ${app.getVersion()}`, enabled: false }] },
  ];
  return Menu.buildFromTemplate(template);
}
