/**
 * A fake Hugging Face hub on 127.0.0.1 that serves files at the hub's URL
 * layout, `/{owner}/{name}/resolve/{revision}/{path}`, with Content-Length,
 * Accept-Ranges and Range support (206 + Content-Range), so the real download
 * code runs unchanged. Faults can be injected per file: a 404, a response cut
 * short after N bytes (Content-Length still announces the full size), or
 * different bytes than the real file.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { listenOnLoopback } from './loopback-server';

export type HubFault =
  | { kind: 'not-found' }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'replace'; body: Buffer }
  | { kind: 'status'; status: number };

export interface HubRequest {
  path: string;
  range: string | null;
}

export interface FakeModelHub {
  baseUrl: string;
  /** Every file request, in order. */
  requests: HubRequest[];
  /** Serve `repo@revision` from the files in `dir` (paths relative to it). */
  addRepo(repo: string, revision: string, dir: string, files: readonly string[]): Promise<void>;
  /** The next `times` requests for `file` (any repo) misbehave as described. Default once. */
  injectFault(file: string, fault: HubFault, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeModelHub(): Promise<FakeModelHub> {
  const files = new Map<string, Buffer>();
  const faults = new Map<string, { fault: HubFault; remaining: number }>();
  const requests: HubRequest[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const range = req.headers.range ?? null;
    requests.push({ path: decodeURIComponent(url.pathname), range });
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    const key = match ? `${match[1]}@${match[2]}/${match[3]}` : '';
    let body = files.get(key);
    if (req.method !== 'GET' || !match || !body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const file = match[3]!;
    const injected = faults.get(file);
    let fault: HubFault | null = null;
    if (injected && injected.remaining > 0) {
      injected.remaining--;
      fault = injected.fault;
    }
    if (fault?.kind === 'not-found') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('fault');
      return;
    }
    if (fault?.kind === 'replace') body = fault.body;

    let start = 0;
    let status = 200;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
      etag: `"${key}"`,
    };
    const rangeMatch = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (rangeMatch) {
      start = Number(rangeMatch[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const slice = body.subarray(start);
    headers['content-length'] = String(slice.length);
    res.writeHead(status, headers);
    if (fault?.kind === 'truncate') {
      // Announce everything, send only part, then drop the connection.
      res.write(slice.subarray(0, fault.afterBytes), () => res.destroy());
      return;
    }
    res.end(slice);
  };

  const server = await listenOnLoopback(handle);

  return {
    baseUrl: server.url,
    requests,
    async addRepo(repo, revision, dir, list) {
      for (const file of list) files.set(`${repo}@${revision}/${file}`, await readFile(path.join(dir, file)));
    },
    injectFault(file, fault, times = 1) {
      faults.set(file, { fault, remaining: times });
    },
    close: () => server.close(),
  };
}
