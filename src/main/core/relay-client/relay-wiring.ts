import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import type { ConnectorContext } from '../connectors/types';
import type { Queue } from '../handlers';
import type { Logger } from '../logger';
import type { SecretStore } from '../secrets/secret-store';
import { RelayChannelsRepo } from '../store/relay-channels.repo';
import type { Repos } from '../store/repos';
import { createDriveWatchPort } from './drive-watch-port';
import { DriveWatchRenewer } from './drive-watch-renewer';
import { RelayClient } from './relay-client';

/**
 * The desktop side of webhooks: the client that polls the relay for events
 * (queued as process_webhook jobs) and the renewer of Drive's watch channels,
 * which must point at the relay.
 */
export function createRelayClient(deps: {
  db: Database;
  repos: Pick<Repos, 'settings' | 'connectors'>;
  secrets: SecretStore;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  queue: Queue;
  contextFor(config: ConnectorContext['config']): ConnectorContext;
}): { relay: RelayClient; driveWatches: DriveWatchRenewer; relayUrl: () => string | null } {
  const { db, repos, clock, logger, queue } = deps;
  const relayUrl = (): string | null =>
    repos.settings.get<string | null>('relay.url', null) ?? process.env.TROVE_RELAY_URL ?? null;
  const relay: RelayClient = new RelayClient({
    db,
    secrets: deps.secrets,
    fetch: deps.fetch,
    clock,
    logger,
    relayUrl,
    enqueueWebhook: (webhookEventId, connectorId) => {
      queue.enqueue(
        'process_webhook',
        { webhookEventId, connectorId },
        { key: `webhook:${webhookEventId}`, priority: 5 },
      );
    },
    providers: {
      // Drive pushes through a changes.watch channel that must point at the relay and be renewed.
      onChannelReady: async (connectorId) => {
        if (repos.connectors.get(connectorId)?.type === 'google_drive') await driveWatches.ensure(connectorId);
      },
    },
  });
  const driveWatches = new DriveWatchRenewer({
    channels: new RelayChannelsRepo(db, clock),
    webhookInfo: (connectorId) => relay.webhookInfo(connectorId),
    drive: createDriveWatchPort((connectorId) => deps.contextFor(repos.connectors.get(connectorId)!), clock),
    clock,
    logger,
  });
  return { relay, driveWatches, relayUrl };
}
