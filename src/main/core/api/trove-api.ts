import type { TroveApi, TroveEvent } from '../../../shared/contract';
import { toAppError } from '../../../shared/errors';
import type { Core } from '../app';
import { activityApi } from './activity.api';
import { RunControl } from '../services/run-control';
import { runsApi } from './runs.api';
import { connectorsApi } from './connectors.api';
import { forwardEvents } from './events.api';
import { GoogleAuthSessions } from './google-auth-sessions';
import { searchApi } from './search.api';
import { ModelDownloads, modelInfo, settingsApi } from './settings.api';
import { LOCAL_MODELS } from '../embeddings/manifests';
import type { StorageHealth } from '../services/storage-health';

export interface TroveApiHandle {
  api: TroveApi;
  /** Every TroveEvent the UI should see; returns an unsubscribe function. */
  onEvent(listener: (event: TroveEvent) => void): () => void;
  close(): void;
}

/**
 * The contract's commands over the core's services (the UI talks to a typed
 * command map, src/shared/contract). Inputs arrive already validated by the dispatcher.
 */
export function createTroveApi(core: Core, options: { version: string }): TroveApiHandle {
  const listeners = new Set<(event: TroveEvent) => void>();
  const emit = (event: TroveEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const downloads = new ModelDownloads(core, (modelId) => {
    const manifest = LOCAL_MODELS.find((m) => m.id === modelId);
    if (!manifest) return;
    void modelInfo(core, downloads, manifest).then((info) =>
      emit({
        type: 'model.download',
        modelId,
        status: info.status,
        downloadedBytes: info.downloadedBytes,
        totalBytes: info.sizeBytes,
        error: info.error,
        at: core.clock.now(),
      }),
    );
  });
  const google = new GoogleAuthSessions(core);
  const stopForwarding = forwardEvents(core, emit);
  const control = new RunControl({
    db: core.db,
    queue: core.queue,
    documents: core.repos.documents,
    syncLogs: core.repos.syncLogs,
    runs: core.runs,
    enqueueProcessing: core.enqueueProcessing,
    requestSync: core.requestSync,
    connectorType: (id) => core.repos.connectors.get(id)?.type,
  });
  const api = reportingStorageFaults(core.storage, {
    ...connectorsApi(core, google),
    ...activityApi(core, control),
    ...runsApi(core, control),
    ...searchApi(core, downloads),
    ...settingsApi(core, downloads, options.version),
  });
  return {
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      stopForwarding();
      downloads.close();
      google.close();
      listeners.clear();
    },
  };
}

/**
 * A command that fails because the data disk is full or failing still fails
 * (with the clear DISK_FULL / DISK_IO error), and also tells the storage
 * health, so the whole app pauses and shows it even when no background work
 * was running to notice.
 */
function reportingStorageFaults(storage: StorageHealth, api: TroveApi): TroveApi {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, command] of Object.entries(api) as [string, (input: never) => Promise<unknown>][]) {
    wrapped[name] = async (input) => {
      try {
        return await command(input);
      } catch (error) {
        // Raw SQLite or fs errors would reach the person as "something went wrong".
        throw storage.report(error) ? toAppError(error) : error;
      }
    };
  }
  // Same keys, same signatures: only the error path changed.
  return wrapped as unknown as TroveApi;
}
