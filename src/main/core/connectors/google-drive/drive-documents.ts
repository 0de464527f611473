import { AppError } from '../../../../shared/errors';
import type { DocumentContent, SourceDocument } from '../types';
import type { DriveApi, DriveFile } from './drive-api';
import type { GoogleDriveSettings } from './settings';
import { ownEntry } from '../../../../shared/own-entry';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
const GOOGLE_PREFIX = 'application/vnd.google-apps.';

/** Google editor formats and the text formats they are exported to, best first. */
const EXPORTS: Record<string, { formats: string[]; label: string }> = {
  'application/vnd.google-apps.document': { formats: ['text/markdown', 'text/plain'], label: 'Google Doc' },
  'application/vnd.google-apps.spreadsheet': { formats: ['text/csv'], label: 'Google Sheet' },
  'application/vnd.google-apps.presentation': { formats: ['text/plain'], label: 'Google Slides' },
};

/** Why a file is recorded as skipped, or undefined when its content should be fetched. */
export function skipReasonFor(file: DriveFile, settings: GoogleDriveSettings): string | undefined {
  if (file.mimeType === FOLDER_MIME) return 'folder';
  if (file.mimeType === 'application/vnd.google-apps.shortcut')
    return 'shortcut (the target file is indexed on its own)';
  if (file.mimeType.startsWith(GOOGLE_PREFIX)) {
    return ownEntry(EXPORTS, file.mimeType)
      ? undefined
      : `unsupported Google file type (${file.mimeType.slice(GOOGLE_PREFIX.length)})`;
  }
  // Images are downloaded: the parser reads the ones OCR can (PNG, JPEG, TIFF...) and names the rest.
  // Audio and video are never text, and too large to fetch only to be told so.
  if (/^(video|audio)\//.test(file.mimeType)) return `audio and video files are not indexed (${file.mimeType})`;
  const size = file.size === undefined ? undefined : Number(file.size);
  if (size !== undefined && size > settings.maxFileSizeBytes) {
    return `larger than the ${formatSize(settings.maxFileSizeBytes)} limit (${formatSize(size)})`;
  }
  return undefined;
}

/** Maps a Drive file to the contract's SourceDocument; `load` exports or downloads on demand. */
export function toSourceDocument(file: DriveFile, settings: GoogleDriveSettings, api: DriveApi): SourceDocument {
  const skipReason = skipReasonFor(file, settings);
  const exportPlan = ownEntry(EXPORTS, file.mimeType);
  const size = file.size === undefined ? undefined : Number(file.size);
  return {
    externalId: file.id,
    title: file.name,
    mimeType: file.mimeType,
    sourceUrl: file.webViewLink,
    // Google editor files have no md5; their version increases on every change.
    contentHash: file.md5Checksum ?? `v:${file.version ?? file.modifiedTime ?? '0'}`,
    sizeBytes: size !== undefined && Number.isFinite(size) ? size : undefined,
    modifiedAt: file.modifiedTime ? Date.parse(file.modifiedTime) : undefined,
    metadata: {
      driveMimeType: file.mimeType,
      parents: file.parents ?? [],
      driveId: file.driveId ?? null,
      webViewLink: file.webViewLink ?? null,
      version: file.version ?? null,
      ...(exportPlan ? { exportedFrom: exportPlan.label } : {}),
    },
    skipReason,
    load: (signal) =>
      exportPlan ? exportText(api, file, exportPlan.formats, signal) : downloadBytes(api, file, signal),
  };
}

async function exportText(
  api: DriveApi,
  file: DriveFile,
  formats: string[],
  signal: AbortSignal,
): Promise<DocumentContent> {
  let lastError: unknown;
  for (const format of formats) {
    try {
      const text = await api.exportAs(file.id, format, signal);
      return { kind: 'text', text, mimeType: format };
    } catch (error) {
      // An export format the file does not support is a 400; try the next one.
      if (AppError.is(error) && error.details?.status === 400) {
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw lastError ?? new AppError('UNSUPPORTED_FILE', 'This Google file cannot be exported as text.');
}

async function downloadBytes(api: DriveApi, file: DriveFile, signal: AbortSignal): Promise<DocumentContent> {
  const bytes = await api.download(file.id, signal);
  return { kind: 'bytes', bytes, mimeType: file.mimeType, fileName: file.name };
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
