import type { Database } from 'better-sqlite3';
import { DEFAULT_GOOGLE_AUTH_URL } from '../connectors/google-drive/settings';
import { fileUrl } from '../connectors/fs/file-names';

/**
 * Web origins of the providers Trove connects to: Google's sign-in page and
 * the Drive and Docs viewers, and Notion's pages. Links there come from
 * Trove's own connectors (the OAuth consent page, a document's original).
 */
export const PROVIDER_PAGE_ORIGINS: readonly string[] = [
  new URL(DEFAULT_GOOGLE_AUTH_URL).origin,
  'https://drive.google.com',
  'https://docs.google.com',
  'https://www.notion.so',
  'https://notion.so',
];

/**
 * What the desktop shell may open without asking: the originals of the
 * documents Trove holds, and the providers' own pages. Anything else a page
 * asks to open is unfamiliar and needs the person's confirmation.
 */
export interface KnownLinks {
  /** True when `url` is, exactly, the source URL of a document Trove holds (deleted ones excluded). */
  isIndexedSource(url: string): boolean;
  /** True when the absolute `path` is a local file Trove holds (its `file://` source URL). */
  isIndexedPath(path: string): boolean;
  /** True for an https page on one of PROVIDER_PAGE_ORIGINS. */
  isProviderPage(url: string): boolean;
}

export function createKnownLinks(db: Database): KnownLinks {
  // No index on source_url: this runs once per click, and a scan of 100,000
  // documents took ~55 ms (warm cache), so it is not worth a migration.
  const sourceExists = db
    .prepare(`SELECT 1 FROM imported_documents WHERE source_url = ? AND sync_status != 'deleted' LIMIT 1`)
    .pluck();
  const isIndexedSource = (url: string): boolean => url.length > 0 && sourceExists.get(url) === 1;
  return {
    isIndexedSource,
    // Local sources are stored as file:// URLs; the same conversion finds them.
    isIndexedPath: (path) => isIndexedSource(fileUrl(path)),
    isProviderPage(url) {
      try {
        const parsed = new URL(url);
        return parsed.protocol === 'https:' && PROVIDER_PAGE_ORIGINS.includes(parsed.origin);
      } catch {
        return false;
      }
    },
  };
}
