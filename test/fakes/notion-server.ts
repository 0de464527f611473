import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackFake } from './loopback-server';

/** A block in the fake model; `data` is the type-specific object (`paragraph`, `code`, ...). */
export interface FakeBlock {
  id: string;
  type: string;
  data: Record<string, unknown>;
  children?: FakeBlock[];
}

export type FakeParent =
  | { type: 'workspace'; workspace: true }
  | { type: 'page_id'; page_id: string }
  | { type: 'data_source_id'; data_source_id: string; database_id: string };

export interface FakePage {
  id: string;
  title: string;
  parent: FakeParent;
  /** Extra property values in Notion's wire shape (title is added from `title`). */
  properties: Record<string, unknown>;
  blocks: FakeBlock[];
  createdMs: number;
  editedMs: number;
  inTrash: boolean;
  shared: boolean;
}

export interface FakeDataSource {
  id: string;
  databaseId: string;
  title: string;
  shared: boolean;
  editedMs: number;
}

export interface NotionRequest {
  method: string;
  path: string;
  status: number;
  /** Time on the injected clock when the request arrived. */
  at: number;
}

type Fault = { status: 429; retryAfterSeconds: number } | { status: 500 | 502 | 503 };

const SUPPORTED_VERSIONS = new Set(['2022-06-28', '2025-09-03']);

// ---- block builders ----------------------------------------------------------

export function text(
  content: string,
  annotations: Partial<Record<'bold' | 'italic' | 'code' | 'strikethrough', boolean>> = {},
  href: string | null = null,
): Record<string, unknown> {
  return {
    type: 'text',
    text: { content, link: href ? { url: href } : null },
    annotations: {
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: 'default',
      ...annotations,
    },
    plain_text: content,
    href,
  };
}

const rich = (content: string): Record<string, unknown> => ({ rich_text: [text(content)], color: 'default' });
const block = (type: string, data: Record<string, unknown>, children?: FakeBlock[]): FakeBlock => ({
  id: randomUUID(),
  type,
  data,
  children,
});

export const b = {
  paragraph: (content: string, children?: FakeBlock[]) => block('paragraph', rich(content), children),
  heading: (level: 1 | 2 | 3, content: string) => block(`heading_${level}`, { ...rich(content), is_toggleable: false }),
  bullet: (content: string, children?: FakeBlock[]) => block('bulleted_list_item', rich(content), children),
  numbered: (content: string, children?: FakeBlock[]) => block('numbered_list_item', rich(content), children),
  todo: (content: string, checked: boolean) => block('to_do', { ...rich(content), checked }),
  toggle: (content: string, children: FakeBlock[]) => block('toggle', rich(content), children),
  code: (content: string, language: string) => block('code', { rich_text: [text(content)], caption: [], language }),
  quote: (content: string) => block('quote', rich(content)),
  callout: (content: string, emoji: string) => block('callout', { ...rich(content), icon: { type: 'emoji', emoji } }),
  divider: () => block('divider', {}),
  table: (rows: string[][]) =>
    block(
      'table',
      { table_width: rows[0]?.length ?? 0, has_column_header: true, has_row_header: false },
      rows.map((cells) => block('table_row', { cells: cells.map((c) => [text(c)]) })),
    ),
  childPage: (id: string, title: string) => ({ id, type: 'child_page', data: { title } }),
  childDatabase: (id: string, title: string) => ({ id, type: 'child_database', data: { title } }),
};

/**
 * A local Notion API (version 2025-09-03 wire format) for the endpoints the
 * connector uses: POST /v1/search, POST /v1/data_sources/{id}/query,
 * GET /v1/blocks/{id}/children (100 per page), GET /v1/pages/{id},
 * GET /v1/users/me. Checks the bearer token and the Notion-Version header,
 * answers with Notion's error objects, and can be told to rate-limit (429 +
 * Retry-After) or fail (5xx). Timestamps are rounded down to the minute, as
 * Notion does.
 */
export class FakeNotionServer extends LoopbackFake {
  readonly pages = new Map<string, FakePage>();
  readonly dataSources = new Map<string, FakeDataSource>();
  readonly requests: NotionRequest[] = [];
  token = 'ntn_test_token_0123456789';
  /** Model time (ms); edits move it forward. */
  modelNow = Date.parse('2026-01-01T10:00:00Z');
  private faults: { fault: Fault; everyRequest: boolean }[] = [];
  private faultCounter = 0;

  /** `now` stamps each request (tests pass their virtual clock). */
  constructor(private readonly now: () => number = Date.now) {
    super('notion');
  }

  /** Queues faults, served to every other request unless `everyRequest`. */
  fail(fault: Fault, count: number, options: { everyRequest?: boolean } = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ fault, everyRequest: options.everyRequest ?? false });
  }

  count(pathPattern: RegExp, okOnly = true): number {
    return this.requests.filter((r) => pathPattern.test(r.path) && (!okOnly || r.status < 400)).length;
  }

  // ---- model editing -----------------------------------------------------------

  /** Moves model time; Notion timestamps only change when the minute does. */
  advance(ms: number): void {
    this.modelNow += ms;
  }

  addPage(init: {
    id?: string;
    title: string;
    parent?: FakeParent;
    blocks?: FakeBlock[];
    properties?: Record<string, unknown>;
  }): FakePage {
    const page: FakePage = {
      id: init.id ?? randomUUID(),
      title: init.title,
      parent: init.parent ?? { type: 'workspace', workspace: true },
      properties: init.properties ?? {},
      blocks: init.blocks ?? [],
      createdMs: this.modelNow,
      editedMs: this.modelNow,
      inTrash: false,
      shared: true,
    };
    this.pages.set(page.id, page);
    return page;
  }

  addDataSource(init: { id?: string; title: string }): FakeDataSource {
    const source: FakeDataSource = {
      id: init.id ?? randomUUID(),
      databaseId: randomUUID(),
      title: init.title,
      shared: true,
      editedMs: this.modelNow,
    };
    this.dataSources.set(source.id, source);
    return source;
  }

  edit(id: string, change: (page: FakePage) => void): void {
    const page = this.mustGet(id);
    change(page);
    page.editedMs = this.modelNow;
  }

  trash(id: string): void {
    this.edit(id, (page) => (page.inTrash = true));
  }

  /** Removes the integration's access to the page and its sub-pages. */
  unshare(id: string): void {
    const page = this.mustGet(id);
    page.shared = false;
    for (const other of this.pages.values()) {
      if (other.parent.type === 'page_id' && other.parent.page_id === id) this.unshare(other.id);
    }
  }

  private mustGet(id: string): FakePage {
    const page = this.pages.get(id);
    if (!page) throw new Error(`no fake page ${id}`);
    return page;
  }

  private visible(page: FakePage): boolean {
    if (!page.shared) return false;
    if (page.parent.type === 'data_source_id') return this.dataSources.get(page.parent.data_source_id)?.shared ?? false;
    return true;
  }

  // ---- HTTP --------------------------------------------------------------------

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = this.now();
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        this.requests.push({ method: req.method ?? 'GET', path: url.pathname, status, at });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): void =>
        send(status, { object: 'error', status, code, message, request_id: randomUUID() }, headers);

      const version = req.headers['notion-version'];
      if (typeof version !== 'string' || !SUPPORTED_VERSIONS.has(version)) {
        return error(
          400,
          'missing_version',
          'Notion-Version header failed validation: should be a supported API version.',
        );
      }
      if (req.headers.authorization !== `Bearer ${this.token}`)
        return error(401, 'unauthorized', 'API token is invalid.');
      const fault = this.nextFault();
      if (fault?.status === 429) {
        return error(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
          'retry-after': String(fault.retryAfterSeconds),
        });
      }
      if (fault)
        return error(
          fault.status,
          fault.status === 500 ? 'internal_server_error' : 'service_unavailable',
          'Notion is unavailable, please try again later.',
        );

      let body: Record<string, unknown> = {};
      try {
        body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return error(400, 'invalid_json', 'Error parsing JSON body.');
      }
      const path = url.pathname;
      if (req.method === 'GET' && path === '/v1/users/me') {
        return send(200, {
          object: 'user',
          id: 'bot-user',
          type: 'bot',
          name: 'Trove (test)',
          avatar_url: null,
          bot: {},
        });
      }
      if (req.method === 'POST' && path === '/v1/search') return this.search(body, send, error);
      const query = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(path);
      if (req.method === 'POST' && query) return this.query(query[1]!, body, send, error);
      const children = /^\/v1\/blocks\/([^/]+)\/children$/.exec(path);
      if (req.method === 'GET' && children) return this.children(children[1]!, url.searchParams, send, error);
      const page = /^\/v1\/pages\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && page) {
        const found = this.pages.get(page[1]!);
        if (!found || !this.visible(found)) {
          return error(
            404,
            'object_not_found',
            `Could not find page with ID: ${page[1]}. Make sure the relevant pages and databases are shared with your integration.`,
          );
        }
        return send(200, this.pageJson(found));
      }
      error(400, 'invalid_request_url', 'Invalid request URL.');
    });
  }

  private nextFault(): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    this.faultCounter++;
    const head = this.faults[0]!;
    return head.everyRequest || this.faultCounter % 2 === 1 ? this.faults.shift()!.fault : undefined;
  }

  private search(
    body: Record<string, unknown>,
    send: (s: number, b: unknown) => void,
    error: (s: number, c: string, m: string) => void,
  ): void {
    const filter = body.filter as { value?: string } | undefined;
    const sort = body.sort as { direction?: string } | undefined;
    type Item = { id: string; editedMs: number; json: () => unknown };
    const items: Item[] = [];
    if (filter?.value !== 'data_source') {
      for (const page of this.pages.values()) {
        if (this.visible(page) && !page.inTrash)
          items.push({ id: page.id, editedMs: page.editedMs, json: () => this.pageJson(page) });
      }
    }
    if (filter?.value !== 'page') {
      for (const source of this.dataSources.values()) {
        if (source.shared)
          items.push({ id: source.id, editedMs: source.editedMs, json: () => this.dataSourceJson(source) });
      }
    }
    const direction = sort?.direction === 'ascending' ? 1 : -1;
    items.sort((x, y) => direction * (minute(x.editedMs) - minute(y.editedMs)) || x.id.localeCompare(y.id));
    this.paginate(items, body.start_cursor, body.page_size, send, error);
  }

  private query(
    id: string,
    body: Record<string, unknown>,
    send: (s: number, b: unknown) => void,
    error: (s: number, c: string, m: string) => void,
  ): void {
    const source = this.dataSources.get(id);
    if (!source || !source.shared) return error(404, 'object_not_found', `Could not find data_source with ID: ${id}.`);
    const rows = [...this.pages.values()]
      .filter((p) => p.parent.type === 'data_source_id' && p.parent.data_source_id === id && p.shared && !p.inTrash)
      .sort((x, y) => x.createdMs - y.createdMs || x.id.localeCompare(y.id))
      .map((p) => ({ id: p.id, json: () => this.pageJson(p) }));
    this.paginate(rows, body.start_cursor, body.page_size, send, error);
  }

  private children(
    id: string,
    params: URLSearchParams,
    send: (s: number, b: unknown) => void,
    error: (s: number, c: string, m: string) => void,
  ): void {
    const page = this.pages.get(id);
    let list: FakeBlock[] | undefined;
    let parent: Record<string, unknown> = { type: 'page_id', page_id: id };
    if (page) {
      if (!this.visible(page)) return error(404, 'object_not_found', `Could not find block with ID: ${id}.`);
      list = page.blocks;
    } else {
      for (const candidate of this.pages.values()) {
        const found = this.visible(candidate) ? findBlock(candidate.blocks, id) : undefined;
        if (found) {
          list = found.children ?? [];
          parent = { type: 'block_id', block_id: id };
          break;
        }
      }
    }
    if (!list) return error(404, 'object_not_found', `Could not find block with ID: ${id}.`);
    const items = list.map((child) => ({ id: child.id, json: () => this.blockJson(child, parent) }));
    this.paginate(items, params.get('start_cursor') ?? undefined, params.get('page_size') ?? undefined, send, error);
  }

  private paginate(
    items: { id: string; json: () => unknown }[],
    startCursor: unknown,
    pageSizeParam: unknown,
    send: (s: number, b: unknown) => void,
    error: (s: number, c: string, m: string) => void,
  ): void {
    const pageSize = pageSizeParam === undefined ? 100 : Number(pageSizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return error(400, 'validation_error', 'body failed validation: body.page_size should be ≤ `100`.');
    }
    let start = 0;
    if (typeof startCursor === 'string') {
      start = items.findIndex((item) => item.id === startCursor);
      if (start < 0) return error(400, 'validation_error', 'The start_cursor provided is invalid.');
    }
    const slice = items.slice(start, start + pageSize);
    const next = items[start + pageSize];
    send(200, {
      object: 'list',
      results: slice.map((item) => item.json()),
      next_cursor: next?.id ?? null,
      has_more: next !== undefined,
      type: 'block',
    });
  }

  private pageJson(page: FakePage): Record<string, unknown> {
    const user = { object: 'user', id: 'user-1' };
    return {
      object: 'page',
      id: page.id,
      created_time: iso(page.createdMs),
      last_edited_time: iso(page.editedMs),
      created_by: user,
      last_edited_by: user,
      cover: null,
      icon: null,
      parent: page.parent,
      in_trash: page.inTrash,
      archived: page.inTrash,
      is_archived: false,
      is_locked: false,
      properties: { title: { id: 'title', type: 'title', title: [text(page.title)] }, ...page.properties },
      url: `https://www.notion.so/${page.title.replace(/\W+/g, '-')}-${page.id.replace(/-/g, '')}`,
      public_url: null,
    };
  }

  private dataSourceJson(source: FakeDataSource): Record<string, unknown> {
    return {
      object: 'data_source',
      id: source.id,
      title: [text(source.title)],
      parent: { type: 'database_id', database_id: source.databaseId },
      created_time: iso(source.editedMs),
      last_edited_time: iso(source.editedMs),
      properties: {},
      in_trash: false,
      archived: false,
    };
  }

  private blockJson(fake: FakeBlock, parent: Record<string, unknown>): Record<string, unknown> {
    const user = { object: 'user', id: 'user-1' };
    const hasChildren =
      fake.type === 'child_page' || fake.type === 'child_database' ? true : (fake.children?.length ?? 0) > 0;
    return {
      object: 'block',
      id: fake.id,
      parent,
      created_time: iso(this.modelNow),
      last_edited_time: iso(this.modelNow),
      created_by: user,
      last_edited_by: user,
      has_children: hasChildren,
      in_trash: false,
      archived: false,
      type: fake.type,
      [fake.type]: fake.data,
    };
  }
}

function findBlock(blocks: FakeBlock[], id: string): FakeBlock | undefined {
  for (const candidate of blocks) {
    if (candidate.id === id) return candidate;
    const inner = candidate.children ? findBlock(candidate.children, id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

function minute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/** Notion's timestamps: ISO 8601, rounded down to the minute. */
function iso(ms: number): string {
  return new Date(minute(ms)).toISOString().replace(/:\d\d\.\d{3}Z$/, ':00.000Z');
}
