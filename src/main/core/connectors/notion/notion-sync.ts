import { createHash } from 'node:crypto';
import type { PageObjectResponse } from '@notionhq/client';
import type { SourceDocument, SyncBatch, SyncOptions, SyncResult } from '../types';
import type { NotionApi } from './notion-api';
import { blocksToMarkdown } from './notion-markdown';
import { pagePropertiesAsText, pageTitle } from './notion-properties';
import { notionCursorSchema, type NotionCursor, type NotionSettings } from './settings';

/** Upserts per yielded batch: pages are fetched one by one, so batches stay small and frequent. */
const BATCH_SIZE = 20;

export interface NotionRunContext {
  api: NotionApi;
  settings: NotionSettings;
  options: SyncOptions;
}

/**
 * One sync run.
 *
 * The listing (search, plus each database's rows) costs one call per 100
 * pages and returns every page's `last_edited_time`, so each run sees the
 * complete set: trashed and no-longer-shared pages are found on every run,
 * not only on full ones. Block trees, which cost the most calls, are
 * fetched only for pages that are new, or edited at or after the cursor
 * time (incremental), and an unchanged rendering is dropped by hash.
 */
export async function* notionSync(run: NotionRunContext): AsyncGenerator<SyncBatch, SyncResult, void> {
  const { options } = run;
  if (options.onlyExternalIds) return yield* syncPagesById(run, options.onlyExternalIds);

  const previous = notionCursorSchema.safeParse(options.cursor);
  const since =
    options.mode === 'incremental' && previous.success ? Date.parse(previous.data.lastEditedTime) : undefined;
  const pages = await listAllPages(run);
  let newest = previous.success ? previous.data.lastEditedTime : undefined;
  const deletions: string[] = [];
  let upserts: SourceDocument[] = [];
  let upserted = 0;
  let processed = 0;

  for (const page of pages.values()) {
    processed++;
    if (newest === undefined || Date.parse(page.last_edited_time) > Date.parse(newest)) newest = page.last_edited_time;
    if (isGone(page)) {
      if (options.known.get(page.id)) deletions.push(page.id);
      continue;
    }
    const known = options.known.get(page.id);
    const editedSince = since === undefined || Date.parse(page.last_edited_time) >= since;
    if (known && !editedSince) continue;
    const doc = await renderPage(run.api, page);
    options.progress({ processed, total: pages.size, message: 'Reading Notion pages' });
    if (known?.contentHash === doc.contentHash) continue;
    upserts.push(doc);
    upserted++;
    if (options.limit !== undefined && upserted >= options.limit) {
      // A preview is not a complete run: keep the old cursor and delete nothing.
      yield { upserts, deletions: [] };
      return { cursor: options.cursor };
    }
    if (upserts.length >= BATCH_SIZE) {
      yield { upserts, deletions: [] };
      upserts = [];
    }
  }

  // Known pages the listing did not return: confirm one by one before deleting,
  // so a page that search merely lagged on is not dropped.
  for (const id of options.known.ids()) {
    if (pages.has(id)) continue;
    const page = await run.api.getPage(id);
    if (!page || isGone(page)) {
      deletions.push(id);
      continue;
    }
    const doc = await renderPage(run.api, page);
    if (options.known.get(id)?.contentHash !== doc.contentHash) upserts.push(doc);
  }
  if (upserts.length > 0 || deletions.length > 0) yield { upserts, deletions };
  const cursor: NotionCursor | null = newest ? { lastEditedTime: newest } : null;
  return { cursor };
}

/** Re-reads just these pages (webhooks); the cursor is unchanged. */
async function* syncPagesById(run: NotionRunContext, ids: string[]): AsyncGenerator<SyncBatch, SyncResult, void> {
  const upserts: SourceDocument[] = [];
  const deletions: string[] = [];
  for (const id of new Set(ids)) {
    const page = await run.api.getPage(id);
    if (!page || isGone(page)) {
      if (run.options.known.get(id)) deletions.push(id);
      continue;
    }
    const doc = await renderPage(run.api, page);
    if (run.options.known.get(id)?.contentHash !== doc.contentHash) upserts.push(doc);
  }
  if (upserts.length > 0 || deletions.length > 0) yield { upserts, deletions };
  return { cursor: run.options.cursor };
}

/** Every page shared with the integration, by id, keeping the latest copy seen. */
async function listAllPages(run: NotionRunContext): Promise<Map<string, PageObjectResponse>> {
  const pages = new Map<string, PageObjectResponse>();
  const keep = (page: PageObjectResponse): void => {
    const seen = pages.get(page.id);
    if (!seen || Date.parse(page.last_edited_time) >= Date.parse(seen.last_edited_time)) pages.set(page.id, page);
  };
  const dataSources = new Set<string>();
  for await (const items of run.api.search()) {
    for (const item of items) {
      if (item.kind === 'page') keep(item.page);
      else dataSources.add(item.id);
    }
    run.options.progress({ processed: pages.size, message: 'Listing Notion pages' });
  }
  if (run.settings.includeDatabases) {
    for (const id of dataSources) {
      for await (const rows of run.api.queryDataSource(id)) rows.forEach(keep);
    }
  }
  return pages;
}

function isGone(page: PageObjectResponse): boolean {
  return page.in_trash === true || page.archived === true || page.is_archived === true;
}

/** Fetches a page's block tree and renders it; `load` hands out the rendered text. */
async function renderPage(api: NotionApi, page: PageObjectResponse): Promise<SourceDocument> {
  const title = pageTitle(page);
  const properties = pagePropertiesAsText(page);
  const body = blocksToMarkdown(await api.blockTree(page.id));
  const propertyLines = Object.entries(properties).map(([name, value]) => `- **${name}:** ${value}`);
  const markdown = [`# ${title}`, propertyLines.join('\n'), body].filter((part) => part !== '').join('\n\n') + '\n';
  const parent = parentOf(page);
  return {
    externalId: page.id,
    title,
    mimeType: 'text/markdown',
    sourceUrl: page.url,
    // The parent is part of the hash so a move updates the stored metadata too.
    contentHash: createHash('sha256').update(markdown).update('\u0000').update(parent).digest('hex'),
    sizeBytes: Buffer.byteLength(markdown),
    modifiedAt: Date.parse(page.last_edited_time),
    metadata: {
      notionParent: parent,
      properties,
      createdTime: page.created_time,
      lastEditedTime: page.last_edited_time,
    },
    load: async () => ({ kind: 'text', text: markdown, mimeType: 'text/markdown' }),
  };
}

function parentOf(page: PageObjectResponse): string {
  const parent = page.parent as { type: string } & Record<string, unknown>;
  const id = parent[parent.type];
  return typeof id === 'string' ? `${parent.type}:${id}` : parent.type;
}
