import type { ProcessWebhookPayload } from '../jobs';
import { AppError, errorInfo } from '../../../shared/errors';
import type { Connector, WebhookAction } from '../connectors/types';
import type { StoredConnector } from '../store/connectors.repo';
import type { NotificationInput } from '../store/events.repo';
import { toWebhookEvent, type WebhookEventsRepo } from '../store/webhook-events.repo';
import { crashPoint } from '../crash-points';
import { syncJobKey } from '../services/sync-requests';
import type { HandlerContext } from './ports';
import { plural } from '../../../shared/counted';

/**
 * A sync asked for by a webhook. `key` is the queue deduplication key:
 * while a sync with the same key is queued (or running), enqueueing another
 * returns the existing one, so a burst of notifications runs one sync.
 */
export interface WebhookSyncRequest {
  mode: 'incremental' | 'full';
  /** Only these documents (e.g. the Notion pages an event names). */
  onlyExternalIds?: string[];
  reason: 'webhook';
  key: string;
}

export interface ProcessWebhookDeps {
  webhookEvents: WebhookEventsRepo;
  getConnector(id: string): StoredConnector | undefined;
  buildConnector(config: StoredConnector): Connector;
  /** Enqueues sync_connector (syncType 'webhook') with `request.key` as the job key. */
  enqueueSync(connectorId: string, request: WebhookSyncRequest): void;
  /** Marks these documents deleted and removes their chunks, vectors and FTS rows; returns how many were deleted. */
  deleteDocuments(connectorId: string, externalIds: string[]): number;
  /** Adds a notification (events table). */
  recordEvent(input: NotificationInput): void;
  /**
   * Runs `fn` in one transaction, so an event's actions (queued syncs,
   * deletions) and its processed state are committed together.
   */
  atomically<T>(fn: () => T): T;
}

/**
 * process_webhook: load the stored event, require the
 * connector active and webhook-capable, let the connector interpret the
 * event, then upsert -> targeted sync, delete -> remove documents,
 * sync/permissions -> incremental or full sync. The webhook_events row
 * records processing_state, processed_at, processing_error and
 * retry_count. Errors are rethrown for the queue's retry. Idempotent: an
 * event already processed or ignored is left alone.
 */
export function createProcessWebhookHandler(
  deps: ProcessWebhookDeps,
): (payload: ProcessWebhookPayload, ctx: HandlerContext) => Promise<void> {
  return async (payload, ctx) => {
    const event = deps.webhookEvents.get(payload.webhookEventId);
    if (!event) {
      // Cascaded away with its connector: nothing left to do, and retrying would not change that.
      ctx.logger.warn('webhook event no longer exists', { webhookEventId: payload.webhookEventId });
      return;
    }
    if (event.processingState === 'processed' || event.processingState === 'ignored') {
      ctx.logger.debug('webhook event already handled', { webhookEventId: event.id, state: event.processingState });
      return;
    }
    const retryCount = Math.max(0, ctx.job.attempt - 1);
    deps.webhookEvents.markProcessing(event.id, retryCount);
    const ignore = (reason: string): void => {
      deps.webhookEvents.markIgnored(event.id, reason, retryCount);
      ctx.logger.info('webhook event ignored', { webhookEventId: event.id, eventType: event.eventType, reason });
    };

    try {
      const config = deps.getConnector(event.connectorId);
      if (!config) return ignore('The connector no longer exists.');
      if (config.status !== 'active')
        return ignore(`The connector is ${config.status}; webhooks are ignored until it is active.`);
      const connector = deps.buildConnector(config);
      if (!connector.supportsWebhooks) return ignore(`${config.type} connectors do not handle webhooks.`);

      throwIfCancelled(ctx.signal);
      const actions = await connector.handleWebhook(toWebhookEvent(event));
      throwIfCancelled(ctx.signal);

      crashPoint('webhook.interpreted');

      const outcome = deps.atomically(() => {
        const applied = applyActions(deps, config, actions);
        if (applied.acted) deps.webhookEvents.markProcessed(event.id, retryCount);
        else ignore(applied.ignoreReasons.join('; ') || 'The connector found nothing to do for this event.');
        return applied;
      });
      crashPoint('webhook.applied');
      ctx.progress(1);
      if (!outcome.acted) return;
      ctx.logger.info('webhook event processed', {
        webhookEventId: event.id,
        eventType: event.eventType,
        syncs: outcome.syncs,
        deleted: outcome.deleted,
      });
      if (outcome.deleted > 0) {
        deps.recordEvent({
          type: 'webhook.documents_deleted',
          level: 'info',
          title: `${plural(outcome.deleted, 'document')} removed from ${config.name}`,
          message: 'Deleted at the source; removed from search.',
          connectorId: config.id,
          jobId: ctx.job.id,
          data: { webhookEventId: event.id, deleted: outcome.deleted },
        });
      }
    } catch (error) {
      const info = errorInfo(error);
      deps.webhookEvents.markFailed(event.id, info.message, retryCount);
      const lastAttempt = ctx.job.attempt >= ctx.job.maxAttempts;
      if (lastAttempt && info.code !== 'CANCELLED') {
        deps.recordEvent({
          type: 'webhook.failed',
          level: 'error',
          title: 'A change notification could not be processed',
          message: info.message,
          connectorId: event.connectorId,
          jobId: ctx.job.id,
          data: { webhookEventId: event.id, code: info.code },
        });
      }
      throw error;
    }
  };
}

interface ActionOutcome {
  acted: boolean;
  syncs: number;
  deleted: number;
  ignoreReasons: string[];
}

function applyActions(deps: ProcessWebhookDeps, config: StoredConnector, actions: WebhookAction[]): ActionOutcome {
  const outcome: ActionOutcome = { acted: false, syncs: 0, deleted: 0, ignoreReasons: [] };
  const requestSync = (mode: 'incremental' | 'full', ids?: string[]): void => {
    const request: WebhookSyncRequest = { mode, reason: 'webhook', key: syncJobKey(config.id, mode, ids) };
    if (ids && ids.length > 0) request.onlyExternalIds = ids;
    deps.enqueueSync(config.id, request);
    outcome.syncs++;
    outcome.acted = true;
  };
  for (const action of actions) {
    switch (action.kind) {
      case 'upsert':
        // No ids means "something changed, find it": an incremental sync.
        requestSync('incremental', dedupe(action.externalIds));
        break;
      case 'delete': {
        const ids = dedupe(action.externalIds);
        if (ids.length > 0) outcome.deleted += deps.deleteDocuments(config.id, ids);
        outcome.acted = true;
        break;
      }
      case 'sync':
        requestSync(action.mode);
        break;
      case 'ignore':
        outcome.ignoreReasons.push(action.reason);
        break;
    }
  }
  return outcome;
}

function dedupe(ids: string[]): string[] {
  return [...new Set(ids)];
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'Processing of the webhook event was cancelled.');
}
