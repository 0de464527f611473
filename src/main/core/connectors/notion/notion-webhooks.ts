import type { WebhookAction, WebhookEvent } from '../types';

const PAGE_UPSERT_EVENTS = new Set([
  'page.created',
  'page.content_updated',
  'page.properties_updated',
  'page.moved',
  'page.undeleted',
]);

/**
 * Maps a Notion webhook event (already signature-checked by the relay) to
 * actions. Page events name the page in `entity.id`; database and data source
 * events do not say which rows changed, so they ask for an incremental sync.
 */
export function notionWebhookActions(event: WebhookEvent): WebhookAction[] {
  const payload = (typeof event.payload === 'object' && event.payload !== null ? event.payload : {}) as {
    type?: unknown;
    entity?: { id?: unknown; type?: unknown };
    verification_token?: unknown;
  };
  const type = typeof payload.type === 'string' ? payload.type : event.eventType;
  if (typeof payload.verification_token === 'string') return [{ kind: 'ignore', reason: 'subscription verification' }];
  const entityId = typeof payload.entity?.id === 'string' ? payload.entity.id : undefined;
  if (PAGE_UPSERT_EVENTS.has(type)) {
    return entityId ? [{ kind: 'upsert', externalIds: [entityId] }] : [{ kind: 'sync', mode: 'incremental' }];
  }
  if (type === 'page.deleted') {
    return entityId ? [{ kind: 'delete', externalIds: [entityId] }] : [{ kind: 'sync', mode: 'incremental' }];
  }
  if (type.startsWith('database.') || type.startsWith('data_source.')) return [{ kind: 'sync', mode: 'incremental' }];
  return [{ kind: 'ignore', reason: `event ${type} does not change indexed content` }];
}
