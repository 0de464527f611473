import { z } from 'zod';

export const DEFAULT_NOTION_API_BASE_URL = 'https://api.notion.com';

/** Non-secret Notion settings; the integration token lives in the keychain. */
export const notionSettingsSchema = z.object({
  /** API root. Default https://api.notion.com. */
  apiBaseUrl: z.string().url().default(DEFAULT_NOTION_API_BASE_URL),
  /** Also query every shared database (data source) for its rows. Default true. */
  includeDatabases: z.boolean().default(true),
});
export type NotionSettingsInput = z.input<typeof notionSettingsSchema>;
export type NotionSettings = z.output<typeof notionSettingsSchema>;

/**
 * Saved between runs: the newest `last_edited_time` seen. Notion rounds that
 * to the minute, so the next run re-reads pages edited AT this time (>=) and
 * drops the unchanged ones by content hash.
 */
export const notionCursorSchema = z.object({ lastEditedTime: z.string().min(1) });
export type NotionCursor = z.infer<typeof notionCursorSchema>;
