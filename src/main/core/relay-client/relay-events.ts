import type { RelayEvent } from '../../../shared/relay-protocol';
import type { NewWebhookEvent } from '../store/webhook-events.repo';

/** `event_source` values written to webhook_events. */
export const WEBHOOK_SOURCES = { notion: 'notion', drive: 'google_drive' } as const;

/**
 * Turns one relay delivery into a webhook_events row.
 * - Notion: payload is Notion's event object; event_type is its `type`
 *   (e.g. `page.content_updated`), event_id its `id`.
 * - Drive: payload is `{ resourceState, messageNumber, resourceId, channelId,
 *   resourceUri?, channelExpiration?, changed? }`; event_type is
 *   `drive.<resourceState>` (e.g. `drive.change`), event_id
 *   `<channelId>:<messageNumber>`.
 * Returns null for a delivery that cannot be understood (the relay validates,
 * so this means a version mismatch); the caller skips it.
 */
export function toWebhookRow(connectorId: string, event: RelayEvent): NewWebhookEvent | null {
  if (event.provider === 'notion') {
    let body: unknown;
    try {
      body = JSON.parse(event.body) as unknown;
    } catch {
      return null;
    }
    if (typeof body !== 'object' || body === null) return null;
    const type = (body as { type?: unknown }).type;
    return {
      connectorId,
      eventType: typeof type === 'string' && type.length > 0 ? type : 'unknown',
      eventSource: WEBHOOK_SOURCES.notion,
      eventId: event.eventId,
      relaySequence: event.sequence,
      payload: body,
      headers: event.headers,
      receivedAt: event.receivedAt,
    };
  }
  const h = event.headers;
  const resourceState = h['x-goog-resource-state'];
  const messageNumber = h['x-goog-message-number'];
  if (!resourceState || !messageNumber) return null;
  return {
    connectorId,
    eventType: `drive.${resourceState}`,
    eventSource: WEBHOOK_SOURCES.drive,
    eventId: event.eventId,
    relaySequence: event.sequence,
    payload: {
      resourceState,
      messageNumber: Number(messageNumber),
      resourceId: h['x-goog-resource-id'] ?? null,
      channelId: h['x-goog-channel-id'] ?? null,
      ...(h['x-goog-resource-uri'] ? { resourceUri: h['x-goog-resource-uri'] } : {}),
      ...(h['x-goog-channel-expiration'] ? { channelExpiration: h['x-goog-channel-expiration'] } : {}),
      ...(h['x-goog-changed'] ? { changed: h['x-goog-changed'].split(',') } : {}),
    },
    headers: h,
    receivedAt: event.receivedAt,
  };
}
