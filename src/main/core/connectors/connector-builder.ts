import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { StageTimer } from '../metrics/stage-timer';
import { timedConnector } from '../metrics/timed-connector';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectorsRepo } from '../store/connectors.repo';
import { googleDriveConnectorFactory } from './google-drive';
import { localFolderConnectorFactory } from './local-folder';
import { localImportConnectorFactory } from './local-import';
import { notionConnectorFactory } from './notion';
import { createConnectorRegistry, type ConnectorRegistry } from './registry';
import type { Connector, ConnectorContext } from './types';

/** Every connector type Trove knows. A new connector is added here (see CONTRIBUTING.md). */
export function createTroveRegistry(): ConnectorRegistry {
  return createConnectorRegistry({
    local_folder: localFolderConnectorFactory,
    local_import: localImportConnectorFactory,
    google_drive: googleDriveConnectorFactory,
    notion: notionConnectorFactory,
  });
}

/** Builds connectors for stored configs, with what every connector is handed (secrets, fetch, a logger). */
export function createConnectorBuilder(deps: {
  registry: ConnectorRegistry;
  connectors: ConnectorsRepo;
  secrets: SecretStore;
  fetch: typeof fetch;
  logger: Logger;
  clock: Clock;
  /** Times each connector call (benchmarks). */
  metrics?: StageTimer;
}): {
  contextFor(config: ConnectorContext['config']): ConnectorContext;
  build(config: ConnectorContext['config']): Connector;
} {
  const contextFor = (config: ConnectorContext['config']): ConnectorContext => ({
    config,
    secrets: deps.secrets,
    fetch: deps.fetch,
    logger: deps.logger.child(`sync:${config.id}`),
    clock: deps.clock,
    setStatus: (status, error) => deps.connectors.setStatus(config.id, status, error ?? null),
  });
  return {
    contextFor,
    build: (config) => {
      const connector = deps.registry.build(contextFor(config));
      return deps.metrics ? timedConnector(connector, deps.metrics) : connector;
    },
  };
}
