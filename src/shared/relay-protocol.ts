import { z } from 'zod';

/**
 * The relay's wire format, shared by the relay server (src/relay-server) and the
 * desktop's relay client (src/main/core/relay-client). Pure: no node: imports, so
 * either side can depend on it without pulling in the other.
 */

export const RELAY_PROVIDERS = ['notion', 'drive'] as const;
export type RelayProvider = (typeof RELAY_PROVIDERS)[number];

/** POST /channels body. */
export const createChannelRequestSchema = z.object({ provider: z.enum(RELAY_PROVIDERS) });
export type CreateChannelRequest = z.infer<typeof createChannelRequestSchema>;

/** POST /channels answer. `pollSecret` is shown once; the relay keeps only its hash. */
export const createdChannelSchema = z.object({
  channelId: z.string(),
  provider: z.enum(RELAY_PROVIDERS),
  pollSecret: z.string(),
  webhookUrl: z.string(),
  /** Drive channels only: the value to pass as `token` in changes.watch. */
  driveToken: z.string().optional(),
});
export type CreatedChannel = z.infer<typeof createdChannelSchema>;

/** GET /channels/:id answer (poll secret required). */
export const channelInfoSchema = z.object({
  channelId: z.string(),
  provider: z.enum(RELAY_PROVIDERS),
  webhookUrl: z.string(),
  driveToken: z.string().optional(),
  notionVerified: z.boolean(),
});
export type ChannelInfo = z.infer<typeof channelInfoSchema>;

/** POST /channels/:id/rotate answer. */
export const rotatedSecretSchema = z.object({ pollSecret: z.string() });

/** GET /channels/:id/notion-verification answer. */
export const notionVerificationSchema = z.object({
  verificationToken: z.string().nullable(),
  receivedAt: z.number().nullable(),
});
export type NotionVerification = z.infer<typeof notionVerificationSchema>;

/**
 * One stored provider delivery.
 * - Notion: `body` is the raw JSON text Notion posted (signature already checked);
 *   `eventId` is the body's `id`.
 * - Drive: `body` is usually empty; the facts are in `headers` (lower-case
 *   `x-goog-resource-state`, `x-goog-message-number`, `x-goog-resource-id`,
 *   `x-goog-channel-id`, `x-goog-resource-uri`, `x-goog-channel-expiration`,
 *   `x-goog-changed`; never the channel token); `eventId` is
 *   `<x-goog-channel-id>:<x-goog-message-number>`.
 */
export const relayEventSchema = z.object({
  sequence: z.number().int().positive(),
  provider: z.enum(RELAY_PROVIDERS),
  eventId: z.string().nullable(),
  receivedAt: z.number(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type RelayEvent = z.infer<typeof relayEventSchema>;

/** GET /channels/:id/events answer, oldest first. */
export const eventsPageSchema = z.object({ events: z.array(relayEventSchema) });

/** POST /channels/:id/ack body. */
export const ackRequestSchema = z.object({ upTo: z.number().int().nonnegative() });

/** Error answers: `{ error: { code, message } }`, never echoing a body or secret. */
export const relayErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Drive headers the relay records (lower-case, as node:http presents them). */
export const DRIVE_RECORDED_HEADERS = [
  'x-goog-resource-state',
  'x-goog-message-number',
  'x-goog-resource-id',
  'x-goog-channel-id',
  'x-goog-resource-uri',
  'x-goog-channel-expiration',
  'x-goog-changed',
] as const;
