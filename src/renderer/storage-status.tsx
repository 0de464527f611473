import type { StorageStatusView } from '../shared/contract';
import { useCommand } from './api/hooks';

/** Whether the data disk takes writes; refreshed whenever the core says it changed. */
export function useStorageStatus(): StorageStatusView | null {
  return useCommand('getStorageStatus', {}, { refreshOn: (e) => e.type === 'storage.changed' }).data;
}

/** Short words for the sidebar's status line while background work is paused. */
export function storagePausedLabel(storage: StorageStatusView | null): string | null {
  if (!storage || storage.status === 'ok') return null;
  return storage.status === 'full' ? 'Paused: disk full' : 'Paused: disk error';
}

/**
 * Shown above every screen while the data disk is full or failing: what
 * happened and what to do. It goes away by itself once Trove resumes.
 */
export function StorageBanner(props: { storage: StorageStatusView | null }) {
  const { storage } = props;
  if (!storage || storage.status === 'ok') return null;
  return (
    <div className="banner banner-error storage-banner" role="alert" data-testid="storage-banner">
      <span>
        <strong>Indexing is paused.</strong> {storage.message}
      </span>
    </div>
  );
}
