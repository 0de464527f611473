import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-server';

/** One file in the fake Drive's in-memory model. */
export interface FakeDriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  /** Bytes for binary files; the exported text for Google editor files. */
  content: Buffer;
  version: number;
  modifiedTime: string;
  trashed: boolean;
  /** False once the file is no longer shared with the signed-in person. */
  visible: boolean;
  driveId?: string;
  /** Make files.export answer 403 exportSizeLimitExceeded. */
  exportTooLarge?: boolean;
}

export type DriveFault = '429' | 'rateLimitExceeded' | 'userRateLimitExceeded' | '503';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

const GOOGLE_TYPES = new Set([
  'application/vnd.google-apps.document',
  'application/vnd.google-apps.spreadsheet',
  'application/vnd.google-apps.presentation',
]);

/**
 * A local Drive v3 speaking the documented wire format for the endpoints the
 * connector uses: files.list (q subset, pageToken/pageSize), files.get
 * (metadata, alt=media), files.export, changes.getStartPageToken,
 * changes.list, changes.watch, channels.stop. Errors use Google's JSON error
 * body. Tests mutate the model (add/edit/move/trash/unshare), which appends
 * to a change log that page tokens index into.
 */
export class FakeDriveServer extends LoopbackFake {
  readonly files = new Map<string, FakeDriveFile>();
  readonly requests: RecordedRequest[] = [];
  /** Export formats to refuse with 400 (e.g. text/markdown on an older Drive). */
  readonly refusedExportFormats = new Set<string>();
  readonly channels = new Map<string, { resourceId: string; address: string; token: string }>();
  private readonly changeLog: { seq: number; fileId: string; time: string }[] = [];
  private seq = 1;
  private clockMs = Date.parse('2026-01-01T00:00:00Z');
  private faultQueue: { fault: DriveFault; everyRequest: boolean }[] = [];
  private stormCounter = 0;

  /** Every access token presented is checked with this (wire it to the OAuth fake). */
  constructor(private readonly isValidAccessToken: (token: string) => boolean) {
    super('drive');
  }

  /**
   * Queues `count` faults. By default they hit every other API request (a
   * storm that still lets work through); `everyRequest` hits each one.
   */
  storm(fault: DriveFault, count: number, options: { everyRequest?: boolean } = {}): void {
    for (let i = 0; i < count; i++) this.faultQueue.push({ fault, everyRequest: options.everyRequest ?? false });
  }

  countRequests(pathPrefix: string): number {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && r.status < 400).length;
  }

  // ---- model editing -------------------------------------------------------

  addFile(
    init: Partial<Omit<FakeDriveFile, 'content'>> & { name: string; mimeType: string; content?: string | Buffer },
  ): FakeDriveFile {
    const file: FakeDriveFile = {
      id: init.id ?? `f${randomBytes(6).toString('hex')}`,
      name: init.name,
      mimeType: init.mimeType,
      parents: init.parents ?? ['root'],
      content: typeof init.content === 'string' ? Buffer.from(init.content) : (init.content ?? Buffer.alloc(0)),
      version: 1,
      modifiedTime: this.tick(),
      trashed: init.trashed ?? false,
      visible: init.visible ?? true,
      driveId: init.driveId,
      exportTooLarge: init.exportTooLarge,
    };
    this.files.set(file.id, file);
    this.record(file.id);
    return file;
  }

  addFolder(name: string, parents: string[] = ['root'], id?: string): FakeDriveFile {
    return this.addFile({ id, name, mimeType: 'application/vnd.google-apps.folder', parents });
  }

  edit(id: string, patch: Partial<Omit<FakeDriveFile, 'content'>> & { content?: string | Buffer }): FakeDriveFile {
    const file = this.mustGet(id);
    const { content, ...rest } = patch;
    Object.assign(file, rest);
    if (content !== undefined) file.content = typeof content === 'string' ? Buffer.from(content) : content;
    file.version++;
    file.modifiedTime = this.tick();
    this.record(id);
    return file;
  }

  move(id: string, newParent: string): void {
    this.edit(id, { parents: [newParent] });
  }
  trash(id: string): void {
    this.edit(id, { trashed: true });
  }
  unshare(id: string): void {
    this.edit(id, { visible: false });
  }
  remove(id: string): void {
    this.files.delete(id);
    this.record(id);
  }

  private mustGet(id: string): FakeDriveFile {
    const file = this.files.get(id);
    if (!file) throw new Error(`no fake file ${id}`);
    return file;
  }

  private tick(): string {
    this.clockMs += 1000;
    return new Date(this.clockMs).toISOString();
  }

  private record(fileId: string): void {
    this.changeLog.push({ seq: this.seq++, fileId, time: new Date(this.clockMs).toISOString() });
  }

  // ---- HTTP ------------------------------------------------------------------

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record = (status: number): void => {
        this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status });
      };
      const send = (status: number, body: unknown, contentType = 'application/json; charset=UTF-8'): void => {
        record(status);
        const payload = Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': contentType });
        res.end(payload);
      };
      const fail = (status: number, reason: string, message: string, domain = 'global'): void =>
        send(status, {
          error: { code: status, message, errors: [{ domain, reason, message }], status: statusName(status) },
        });

      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.isValidAccessToken(token)) {
        return fail(401, 'authError', 'Request had invalid authentication credentials.');
      }
      const fault = this.nextFault();
      if (fault === '429') return fail(429, 'rateLimitExceeded', 'Rate limit exceeded.', 'usageLimits');
      if (fault === 'rateLimitExceeded' || fault === 'userRateLimitExceeded')
        return fail(403, fault, 'Rate limit exceeded.', 'usageLimits');
      if (fault === '503') return fail(503, 'backendError', 'Backend Error');

      const path = url.pathname;
      const q = url.searchParams;
      if (req.method === 'GET' && path === '/drive/v3/changes/startPageToken') {
        return send(200, { kind: 'drive#startPageToken', startPageToken: String(this.seq) });
      }
      if (req.method === 'GET' && path === '/drive/v3/changes') return this.listChanges(q, send, fail);
      if (req.method === 'POST' && path === '/drive/v3/changes/watch') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
        if (!q.get('pageToken')) return fail(400, 'required', 'Required parameter: pageToken');
        const resourceId = `res-${randomBytes(6).toString('hex')}`;
        this.channels.set(body.id ?? '', { resourceId, address: body.address ?? '', token: body.token ?? '' });
        return send(200, {
          kind: 'api#channel',
          id: body.id,
          resourceId,
          resourceUri: `${this.url}/drive/v3/changes?pageToken=${q.get('pageToken')}`,
          expiration: body.expiration ?? String(Date.now() + 3_600_000),
        });
      }
      if (req.method === 'POST' && path === '/drive/v3/channels/stop') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
        const channel = this.channels.get(body.id ?? '');
        if (!channel || channel.resourceId !== body.resourceId) return fail(404, 'notFound', 'Channel not found.');
        this.channels.delete(body.id ?? '');
        record(204);
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'GET' && path === '/drive/v3/files') return this.listFiles(q, send, fail);
      const exportMatch = /^\/drive\/v3\/files\/([^/]+)\/export$/.exec(path);
      if (req.method === 'GET' && exportMatch)
        return this.exportFile(decodeURIComponent(exportMatch[1]!), q, send, fail);
      const getMatch = /^\/drive\/v3\/files\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && getMatch) {
        const file = this.files.get(decodeURIComponent(getMatch[1]!));
        if (!file || !file.visible) return fail(404, 'notFound', `File not found: ${getMatch[1]}.`);
        if (q.get('alt') === 'media') {
          if (GOOGLE_TYPES.has(file.mimeType) || file.mimeType === 'application/vnd.google-apps.folder') {
            return fail(
              403,
              'fileNotDownloadable',
              'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
            );
          }
          return send(200, file.content, file.mimeType);
        }
        return send(200, this.resource(file));
      }
      fail(404, 'notFound', 'Not Found');
    });
  }

  private nextFault(): DriveFault | undefined {
    if (this.faultQueue.length === 0) return undefined;
    this.stormCounter++;
    const head = this.faultQueue[0]!;
    return head.everyRequest || this.stormCounter % 2 === 1 ? this.faultQueue.shift()!.fault : undefined;
  }

  private listFiles(
    q: URLSearchParams,
    send: (s: number, b: unknown) => void,
    fail: (s: number, r: string, m: string) => void,
  ): void {
    const query = q.get('q') ?? '';
    const pageSize = Math.min(1000, Number(q.get('pageSize') ?? 100));
    const offset = Number(q.get('pageToken') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) return fail(400, 'invalid', 'Invalid Value');
    const parentMatch = /'([^']+)' in parents/.exec(query);
    const onlyUntrashed = /trashed\s*=\s*false/.test(query);
    const allDrives = q.get('includeItemsFromAllDrives') === 'true';
    const matching = [...this.files.values()]
      .filter((f) => f.visible && (allDrives || !f.driveId))
      .filter((f) => !onlyUntrashed || !f.trashed)
      .filter((f) => !parentMatch || f.parents.includes(parentMatch[1]!))
      .sort((a, b) => a.id.localeCompare(b.id));
    const page = matching.slice(offset, offset + pageSize);
    const next = offset + pageSize < matching.length ? String(offset + pageSize) : undefined;
    send(200, {
      kind: 'drive#fileList',
      incompleteSearch: false,
      nextPageToken: next,
      files: page.map((f) => this.resource(f)),
    });
  }

  private listChanges(
    q: URLSearchParams,
    send: (s: number, b: unknown) => void,
    fail: (s: number, r: string, m: string) => void,
  ): void {
    const from = Number(q.get('pageToken'));
    if (!Number.isInteger(from) || from < 1 || from > this.seq) return fail(400, 'invalid', 'Invalid Value: pageToken');
    const pageSize = Math.min(1000, Number(q.get('pageSize') ?? 100));
    const allDrives = q.get('includeItemsFromAllDrives') === 'true';
    // Drive reports the latest state of each file changed since the token.
    const latest = new Map<string, { seq: number; fileId: string; time: string }>();
    for (const entry of this.changeLog) if (entry.seq >= from) latest.set(entry.fileId, entry);
    const entries = [...latest.values()].sort((a, b) => a.seq - b.seq);
    const page = entries.slice(0, pageSize);
    const rest = entries.slice(pageSize);
    const changes = page
      .map((entry) => {
        const file = this.files.get(entry.fileId);
        if (file?.driveId && !allDrives) return undefined;
        const removed = !file || !file.visible;
        return {
          kind: 'drive#change',
          changeType: 'file',
          type: 'file',
          time: entry.time,
          removed,
          fileId: entry.fileId,
          ...(removed ? {} : { file: this.resource(file) }),
        };
      })
      .filter((c) => c !== undefined);
    const body: Record<string, unknown> = { kind: 'drive#changeList', changes };
    if (rest.length > 0) body.nextPageToken = String(rest[0]!.seq);
    else body.newStartPageToken = String(this.seq);
    send(200, body);
  }

  private exportFile(
    id: string,
    q: URLSearchParams,
    send: (s: number, b: unknown, type?: string) => void,
    fail: (s: number, r: string, m: string) => void,
  ): void {
    const file = this.files.get(id);
    if (!file || !file.visible) return fail(404, 'notFound', `File not found: ${id}.`);
    const wanted = q.get('mimeType') ?? '';
    const allowed: Record<string, string[]> = {
      'application/vnd.google-apps.document': ['text/markdown', 'text/plain', 'application/pdf'],
      'application/vnd.google-apps.spreadsheet': ['text/csv', 'application/pdf'],
      'application/vnd.google-apps.presentation': ['text/plain', 'application/pdf'],
    };
    if (!allowed[file.mimeType]) return fail(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
    if (!allowed[file.mimeType]!.includes(wanted) || this.refusedExportFormats.has(wanted))
      return fail(400, 'badRequest', 'The requested conversion is not supported.');
    if (file.exportTooLarge) return fail(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
    send(200, file.content, `${wanted}; charset=utf-8`);
  }

  private resource(file: FakeDriveFile): Record<string, unknown> {
    const isGoogle = file.mimeType.startsWith('application/vnd.google-apps.');
    return {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parents: file.parents,
      trashed: file.trashed,
      version: String(file.version),
      modifiedTime: file.modifiedTime,
      webViewLink: `https://drive.google.com/file/d/${file.id}/view`,
      ...(file.driveId ? { driveId: file.driveId } : {}),
      ...(isGoogle
        ? {}
        : { md5Checksum: createHash('md5').update(file.content).digest('hex'), size: String(file.content.length) }),
    };
  }
}

function statusName(status: number): string {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    503: 'UNAVAILABLE',
  };
  return names[status] ?? 'UNKNOWN';
}

/**
 * A Google Drive connector's settings pointing at these fakes: the OAuth
 * fake's client, token and consent endpoints and this Drive's API.
 */
export function fakeDriveSettings(
  oauth: { clientId: string; tokenUrl: string; authUrl: string },
  drive: FakeDriveServer,
): { clientId: string; apiBaseUrl: string; tokenUrl: string; oauthBaseUrl: string } {
  return { clientId: oauth.clientId, apiBaseUrl: drive.url, tokenUrl: oauth.tokenUrl, oauthBaseUrl: oauth.authUrl };
}
