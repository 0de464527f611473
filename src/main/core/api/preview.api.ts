import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenTarget, TroveApi } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../app';

type PreviewCommands = Pick<TroveApi, 'chunkContext' | 'openTarget'>;

/**
 * What the preview pane and the Open / Reveal actions need: a chunk in
 * context, and where a document's original is. Opening itself is the
 * client's job (the desktop shell opens files it validates; a browser opens
 * web pages, and local files through the server's /api/original).
 */
export function previewCommands(core: Core): PreviewCommands {
  const uploads = resolve(core.dataDir, 'uploads') + sep;
  const row = core.db.prepare(
    `SELECT source_url AS sourceUrl, mime_type AS mimeType FROM imported_documents WHERE id = ? AND sync_status != 'deleted'`,
  );
  return {
    async chunkContext(input) {
      return core.search.context({ chunkId: input.chunkId, around: input.around, query: input.query });
    },
    async openTarget({ documentId }) {
      const doc = row.get(documentId) as { sourceUrl: string | null; mimeType: string | null } | undefined;
      if (!doc) throw new AppError('NOT_FOUND', 'This document is no longer in the index.');
      return openTargetOf(doc.sourceUrl, doc.mimeType, uploads);
    },
  };
}

/**
 * A document's original from its source URL. Imports keep the path the
 * person's file was read from (the desktop app and the CLI get real paths);
 * only a file dropped into a browser is known by Trove's copy under
 * `<data>/uploads/`, which the answer says.
 */
export function openTargetOf(sourceUrl: string | null, mimeType: string | null, uploadsDir: string): OpenTarget {
  if (!sourceUrl) return { kind: 'none', reason: 'This document has no link to its original.' };
  if (/^https?:\/\//i.test(sourceUrl)) return { kind: 'web', url: sourceUrl };
  if (!sourceUrl.startsWith('file:')) return { kind: 'none', reason: 'Trove cannot open this kind of link.' };
  const path = fileURLToPath(sourceUrl);
  return { kind: 'file', path, exists: existsSync(path), copy: resolve(path).startsWith(uploadsDir), mimeType };
}
