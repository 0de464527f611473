import type { ApiClient } from './api';
import { localPath } from './paths';

/**
 * Opens a document's original. Web links go to the system browser (desktop)
 * or a new tab (browser mode). Local files are revealed in the file manager
 * on the desktop; a browser page cannot touch local files, so it copies the
 * path instead and says so.
 */
export async function openSource(api: ApiClient, sourceUrl: string | null): Promise<string | null> {
  if (!sourceUrl) return 'This document has no link to its original.';
  const isWeb = /^https?:\/\//i.test(sourceUrl);
  if (api.shape === 'desktop') {
    const result = isWeb
      ? await api.call('openExternal', { url: sourceUrl })
      : await api.call('revealPath', { path: localPath(sourceUrl) });
    return result.ok ? null : result.error.message;
  }
  if (isWeb) {
    window.open(sourceUrl, '_blank', 'noopener,noreferrer');
    return null;
  }
  const path = localPath(sourceUrl);
  try {
    await navigator.clipboard.writeText(path);
    return `Copied the file's path: ${path}`;
  } catch {
    return `The file is at ${path}`;
  }
}
