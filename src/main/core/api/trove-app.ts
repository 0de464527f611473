import type { TroveApi, TroveEvent } from '../../../shared/contract';
import { createCore, type Core, type CoreOptions } from '../app';
import { createTroveApi } from './trove-api';

/** The core plus its contract API: what the Electron shell and the browser mode run. */
export interface TroveApp {
  core: Core;
  api: TroveApi;
  onEvent(listener: (event: TroveEvent) => void): () => void;
  close(): Promise<void>;
}

export async function createTroveApp(options: CoreOptions & { version: string }): Promise<TroveApp> {
  const core = await createCore(options);
  const handle = createTroveApi(core, { version: options.version });
  return {
    core,
    api: handle.api,
    onEvent: handle.onEvent,
    async close() {
      handle.close();
      await core.close();
    },
  };
}
