import { AppError } from '../../../../shared/errors';
import { defaultRetryClassifier, type RetryClassifier } from '../http/provider-fetch';

/** The file fields every listing asks for (Drive v3 `fields`). */
export const FILE_FIELDS = 'id,name,mimeType,md5Checksum,version,modifiedTime,size,parents,trashed,webViewLink,driveId';

/** A Drive v3 File resource, restricted to FILE_FIELDS. */
export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  md5Checksum?: string;
  version?: string;
  modifiedTime?: string;
  /** int64 as a decimal string. */
  size?: string;
  parents?: string[];
  trashed?: boolean;
  webViewLink?: string;
  driveId?: string;
}

export interface DriveChange {
  changeType?: 'file' | 'drive';
  removed?: boolean;
  fileId?: string;
  file?: DriveFile;
  time?: string;
}

interface FileList {
  files?: DriveFile[];
  nextPageToken?: string;
}

interface ChangeList {
  changes?: DriveChange[];
  nextPageToken?: string;
  newStartPageToken?: string;
}

/** Google's JSON error body: `{ error: { code, message, errors: [{ reason }] } }`. */
interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: { reason?: string; domain?: string }[] };
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/** Drive signals quota pressure with 403 + a rate-limit reason as well as 429. */
export const driveRetryClassifier: RetryClassifier = (status, bodyText) => {
  if (defaultRetryClassifier(status, bodyText)) return true;
  return status === 403 && RATE_LIMIT_REASONS.has(googleErrorReason(bodyText) ?? '');
};

export function googleErrorReason(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as GoogleErrorBody;
    return body.error?.errors?.[0]?.reason ?? body.error?.status;
  } catch {
    return undefined;
  }
}

/** The slice of DriveSession the API client needs. */
export interface DriveAuth {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
  /** Marks the connector disconnected and returns the error to throw. */
  revoked(cause?: unknown): AppError;
}

export interface DriveApiOptions {
  /** API root, e.g. https://www.googleapis.com. */
  baseUrl: string;
  /** A provider fetch (retries, stats, cancellation) for this run. */
  fetch: typeof fetch;
  session: DriveAuth;
  includeSharedDrives: boolean;
}

type Query = Record<string, string | number | boolean | undefined>;

/** Thin Drive v3 client: auth header, one refresh on 401, Google errors as AppErrors. */
export class DriveApi {
  constructor(private readonly options: DriveApiOptions) {}

  async getStartPageToken(): Promise<string> {
    const body = await this.json<{ startPageToken: string }>('/drive/v3/changes/startPageToken', {
      supportsAllDrives: true,
    });
    return body.startPageToken;
  }

  async listFiles(q: string, pageToken: string | undefined, pageSize = 100): Promise<FileList> {
    return this.json<FileList>('/drive/v3/files', {
      q,
      pageToken,
      pageSize,
      fields: `nextPageToken,files(${FILE_FIELDS})`,
      ...this.driveScope(),
    });
  }

  async listChanges(pageToken: string, pageSize = 1000): Promise<ChangeList> {
    return this.json<ChangeList>('/drive/v3/changes', {
      pageToken,
      pageSize,
      includeRemoved: true,
      fields: `nextPageToken,newStartPageToken,changes(changeType,removed,fileId,time,file(${FILE_FIELDS}))`,
      supportsAllDrives: true,
      includeItemsFromAllDrives: this.options.includeSharedDrives,
    });
  }

  /** File metadata, or null when it does not exist or is no longer visible. */
  async getFile(fileId: string, fields = FILE_FIELDS): Promise<DriveFile | null> {
    try {
      return await this.json<DriveFile>(`/drive/v3/files/${encodeURIComponent(fileId)}`, {
        fields,
        supportsAllDrives: true,
      });
    } catch (error) {
      if (AppError.is(error, 'NOT_FOUND')) return null;
      throw error;
    }
  }

  async download(fileId: string, signal: AbortSignal): Promise<Uint8Array> {
    const response = await this.send(
      `/drive/v3/files/${encodeURIComponent(fileId)}`,
      { alt: 'media', supportsAllDrives: true },
      signal,
    );
    return new Uint8Array(await response.arrayBuffer());
  }

  async exportAs(fileId: string, mimeType: string, signal: AbortSignal): Promise<string> {
    const response = await this.send(`/drive/v3/files/${encodeURIComponent(fileId)}/export`, { mimeType }, signal);
    return response.text();
  }

  /** POST /drive/v3/changes/watch: a push channel for changes after `pageToken`. */
  async watchChanges(pageToken: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.json(
      '/drive/v3/changes/watch',
      {
        pageToken,
        supportsAllDrives: true,
        includeItemsFromAllDrives: this.options.includeSharedDrives,
      },
      { method: 'POST', body },
    );
  }

  async stopChannel(channelId: string, resourceId: string): Promise<void> {
    await this.send('/drive/v3/channels/stop', {}, undefined, { method: 'POST', body: { id: channelId, resourceId } });
  }

  private driveScope(): Query {
    return this.options.includeSharedDrives
      ? { corpora: 'allDrives', includeItemsFromAllDrives: true, supportsAllDrives: true }
      : { corpora: 'user', supportsAllDrives: true };
  }

  private async json<T>(path: string, query: Query, init?: { method: string; body: unknown }): Promise<T> {
    const response = await this.send(path, query, undefined, init);
    return (await response.json()) as T;
  }

  private async send(
    path: string,
    query: Query,
    signal?: AbortSignal,
    init?: { method: string; body: unknown },
  ): Promise<Response> {
    const url = new URL(path, this.options.baseUrl);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const attempt = async (token: string): Promise<Response> =>
      this.options.fetch(url, {
        method: init?.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init ? { 'content-type': 'application/json' } : {}),
        },
        body: init ? JSON.stringify(init.body) : undefined,
        signal,
      });
    let response = await attempt(await this.options.session.accessToken());
    if (response.status === 401) {
      // The token died before its stated expiry (revoked session, clock skew): refresh once.
      response = await attempt(await this.options.session.refresh());
      if (response.status === 401) throw this.options.session.revoked();
    }
    if (!response.ok) throw await toDriveError(response);
    return response;
  }
}

async function toDriveError(response: Response): Promise<AppError> {
  const text = await response.text();
  const reason = googleErrorReason(text);
  const details = { status: response.status, reason };
  if (response.status === 404)
    return new AppError('NOT_FOUND', 'The Google Drive file no longer exists or is not shared with you.', { details });
  if (response.status === 403 && reason === 'exportSizeLimitExceeded') {
    return new AppError(
      'UNSUPPORTED_FILE',
      'This Google file is too large for Google to export (over 10 MB), so it was skipped.',
      {
        details: { ...details, skipReason: 'export size limit exceeded (over 10 MB)' },
      },
    );
  }
  if (response.status === 429 || (response.status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason))) {
    return new AppError(
      'RATE_LIMITED',
      'Google Drive is limiting requests right now. The sync will be retried later.',
      { details },
    );
  }
  if (response.status === 403) {
    return new AppError(
      'CONNECTOR_AUTH',
      'Google Drive refused access to a file. Check that the Drive API is enabled and the file is shared with you.',
      { details },
    );
  }
  if (response.status >= 500)
    return new AppError('UNAVAILABLE', 'Google Drive is not answering properly. The sync will be retried later.', {
      details,
    });
  return new AppError(
    'INTERNAL',
    `Google Drive rejected a request (HTTP ${response.status}${reason ? `, ${reason}` : ''}).`,
    { details },
  );
}
