import type { Clock } from '../clock';
import { stopDriveChannel, watchDriveChanges } from '../connectors/google-drive/drive-watch';
import type { ConnectorContext } from '../connectors/types';
import type { DriveWatchPort } from './drive-watch-renewer';

/** Google closes a changes channel after an hour when it states no expiration. */
const GOOGLE_DEFAULT_CHANNEL_LIFETIME_MS = 3_600_000;

/**
 * Adapts the Google Drive connector's watchDriveChanges / stopDriveChannel
 * to the DriveWatchRenewer port. `contextFor` builds the connector context
 * (settings, keychain, fetch) for a connector id, as app.ts does for syncs.
 */
export function createDriveWatchPort(
  contextFor: (connectorId: string) => ConnectorContext,
  clock: Clock,
): DriveWatchPort {
  return {
    async watch(connectorId, request) {
      const channel = await watchDriveChanges({
        context: contextFor(connectorId),
        address: request.address,
        channelId: request.channelId,
        token: request.token,
        expirationMs: request.ttlMs,
      });
      return {
        channelId: channel.channelId,
        resourceId: channel.resourceId,
        expiration: channel.expiration ?? clock.now() + GOOGLE_DEFAULT_CHANNEL_LIFETIME_MS,
      };
    },
    stop: (connectorId, channel) =>
      stopDriveChannel({
        context: contextFor(connectorId),
        channelId: channel.channelId,
        resourceId: channel.resourceId,
      }),
  };
}
