import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { z } from 'zod';
import { createJobQueue } from '../../src/main/core/queue';

/**
 * A real job queue on `db` that accepts the sync_connector jobs webhooks
 * queue (and never runs them), so a test can count what was queued.
 */
export function webhookSyncQueue(db: Database) {
  const queue = createJobQueue(db, { clock: systemClock, logger: silentLogger });
  queue.register('sync_connector', {
    schema: z.object({
      connectorId: z.string(),
      mode: z.enum(['incremental', 'full']),
      syncType: z.literal('webhook'),
    }),
    handler: async () => undefined,
  });
  return queue;
}
