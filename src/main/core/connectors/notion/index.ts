export {
  createNotionConnectorFactory,
  notionConnectorFactory,
  parseNotionSettings,
  testNotionToken,
  NOTION_REQUESTS_PER_SECOND,
  type NotionConnectorOptions,
  type TestNotionTokenOptions,
} from './notion.connector';
export { notionWebhookActions } from './notion-webhooks';
export { blocksToMarkdown, type BlockNode } from './notion-markdown';
export {
  notionCursorSchema,
  notionSettingsSchema,
  type NotionCursor,
  type NotionSettings,
  type NotionSettingsInput,
} from './settings';
