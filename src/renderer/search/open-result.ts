import type { ApiClient } from '../api';

/** What to tell the person after an action (null: nothing to say, it just happened). */
type Message = string | null;

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/**
 * Opens a result's original: the web page of a Drive or Notion document;
 * the file itself for local documents (the person's own file for imports),
 * at the passage's page where the viewer takes one (`#page=N` in a
 * browser's PDF viewer). The desktop shell opens only files the index
 * holds; a browser page gets the file from the server (/api/original).
 */
export async function openResult(api: ApiClient, documentId: string, page: number | null): Promise<Message> {
  const target = await api.call('openTarget', { documentId });
  if (!target.ok) return target.error.message;
  const t = target.value;
  if (t.kind === 'none') return t.reason;
  if (t.kind === 'web') {
    if (api.shape === 'desktop') {
      const opened = await api.call('openExternal', { url: t.url });
      return opened.ok ? null : opened.error.message;
    }
    window.open(t.url, '_blank', 'noopener,noreferrer');
    return null;
  }
  if (!t.exists) return `The file is no longer at ${t.path}. Sync its source again to update the index.`;
  const copyNote = t.copy
    ? ' This is Trove’s copy: the file was dropped into a browser, which never tells Trove where the original is.'
    : '';
  if (api.shape === 'desktop') {
    const opened = await api.call('openPath', { path: t.path });
    if (!opened.ok) return opened.error.message;
    if (!opened.value.opened)
      return `${fileName(t.path)} is a program: Trove shows it in its folder instead of running it.`;
    const where = page && page > 1 && t.mimeType === 'application/pdf' ? ` The passage is on page ${page}.` : '';
    return where || copyNote ? `Opened ${fileName(t.path)}.${where}${copyNote}` : null;
  }
  const anchor = page && t.mimeType === 'application/pdf' ? `#page=${page}` : '';
  window.open(`/api/original?document=${encodeURIComponent(documentId)}${anchor}`, '_blank', 'noopener');
  return copyNote ? copyNote.trim() : null;
}

/**
 * Shows a local original in the file manager (desktop). A browser page
 * cannot reach the file manager: it copies the path instead and says so.
 */
export async function revealResult(api: ApiClient, documentId: string): Promise<Message> {
  const target = await api.call('openTarget', { documentId });
  if (!target.ok) return target.error.message;
  const t = target.value;
  if (t.kind === 'none') return t.reason;
  if (t.kind === 'web') return 'This document lives on the web: use Open to see it in its app.';
  if (api.shape === 'desktop') {
    const shown = await api.call('revealPath', { path: t.path });
    return shown.ok ? null : shown.error.message;
  }
  try {
    await navigator.clipboard.writeText(t.path);
    return `Copied the file’s path (a browser cannot open your file manager): ${t.path}`;
  } catch {
    return `A browser cannot open your file manager. The file is at ${t.path}`;
  }
}
