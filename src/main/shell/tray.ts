import { Menu, nativeImage, Tray } from 'electron';
import type { JobCounts, StorageStatusView } from '../../shared/contract';
import { syncStateLabel } from './sync-state';

/** A tray icon whose tooltip follows the queue. Returns an updater and a disposer. */
export function createTray(params: { iconPath: string; show(): void; quickSearch(): void; quit(): void }): {
  update(counts: JobCounts, storage?: StorageStatusView): void;
  destroy(): void;
} {
  const tray = new Tray(nativeImage.createFromPath(params.iconPath).resize({ width: 16, height: 16 }));
  tray.setToolTip('Trove');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Trove', click: () => params.show() },
      { label: 'Quick search', click: () => params.quickSearch() },
      { type: 'separator' },
      { label: 'Quit', click: () => params.quit() },
    ]),
  );
  tray.on('click', () => params.show());
  return {
    update: (counts, storage) => tray.setToolTip(syncStateLabel(counts, storage)),
    destroy: () => tray.destroy(),
  };
}
