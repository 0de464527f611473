import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { DriveWatchRenewer, type DriveWatchPort } from '../../src/main/core/relay-client/drive-watch-renewer';
import { ConnectorsRepo } from '../../src/main/core/store/connectors.repo';
import { RelayChannelsRepo } from '../../src/main/core/store/relay-channels.repo';

const HOUR = 3_600_000;

/** Records watch/stop calls the way Drive would answer them. */
class FakeDrive implements DriveWatchPort {
  opened: Array<{ channelId: string; address: string; token: string; ttlMs: number }> = [];
  stopped: Array<{ channelId: string; resourceId: string }> = [];
  failNext = false;
  constructor(private readonly clock: ManualClock) {}
  async watch(_connectorId: string, request: { channelId: string; address: string; token: string; ttlMs: number }) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('Drive answered 503');
    }
    this.opened.push(request);
    return {
      channelId: request.channelId,
      resourceId: `res-${this.opened.length}`,
      expiration: this.clock.now() + request.ttlMs,
    };
  }
  async stop(_connectorId: string, channel: { channelId: string; resourceId: string }) {
    this.stopped.push(channel);
  }
}

describe('DriveWatchRenewer', () => {
  let db: Database;
  let clock: ManualClock;
  let channels: RelayChannelsRepo;
  let drive: FakeDrive;
  let renewer: DriveWatchRenewer;
  let connectorId: string;

  const flush = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = new ManualClock();
    channels = new RelayChannelsRepo(db, clock);
    connectorId = new ConnectorsRepo(db, clock).create({ type: 'google_drive', name: 'Drive', settings: {} }).id;
    channels.save({
      connectorId,
      relayUrl: 'https://relay.test',
      channelId: 'ch_1',
      webhookUrl: 'https://relay.test/hooks/ch_1/drive',
    });
    drive = new FakeDrive(clock);
    renewer = new DriveWatchRenewer({
      channels,
      webhookInfo: async () => ({ webhookUrl: 'https://relay.test/hooks/ch_1/drive', driveToken: 'tok-1' }),
      drive,
      clock,
      logger: silentLogger,
      ttlMs: 24 * HOUR,
      renewBeforeMs: HOUR,
      retryMs: 5 * 60_000,
    });
  });
  afterEach(() => {
    renewer.stop();
    db.close();
  });

  it('opens a watch pointed at the relay with the channel token and remembers it', async () => {
    const state = await renewer.ensure(connectorId);
    expect(drive.opened).toEqual([
      { channelId: state.channelId, address: 'https://relay.test/hooks/ch_1/drive', token: 'tok-1', ttlMs: 24 * HOUR },
    ]);
    expect(channels.get(connectorId)!.providerState).toEqual({ driveWatch: state });
    // Already open and fresh: nothing new.
    await renewer.ensure(connectorId);
    expect(drive.opened).toHaveLength(1);
  });

  it('renews before expiry, then stops the old watch', async () => {
    const first = await renewer.ensure(connectorId);
    clock.advance(22 * HOUR);
    await flush();
    expect(drive.opened).toHaveLength(1);
    clock.advance(HOUR); // 23 h: one hour before expiry
    await flush();
    expect(drive.opened).toHaveLength(2);
    expect(drive.stopped).toEqual([{ channelId: first.channelId, resourceId: first.resourceId }]);
    const second = renewer.current(connectorId)!;
    expect(second.channelId).not.toBe(first.channelId);
    expect(second.expiration).toBe(clock.now() + 24 * HOUR);
  });

  it('retries after Drive refuses', async () => {
    drive.failNext = true;
    await expect(renewer.ensure(connectorId)).rejects.toThrow('503');
    expect(renewer.current(connectorId)).toBeNull();
    clock.advance(5 * 60_000);
    await flush();
    expect(drive.opened).toHaveLength(1);
    expect(renewer.current(connectorId)).not.toBeNull();
  });
});
