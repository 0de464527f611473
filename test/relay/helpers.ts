import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../src/main/core/logger';
import { DEFAULT_RELAY_CONFIG, type RelayConfig } from '../../src/relay-server/config';
import type { CreatedChannel, RelayEvent } from '../../src/shared/relay-protocol';
import { createRelayServer, type RelayServer } from '../../src/relay-server/server';

export interface RunningRelay {
  relay: RelayServer;
  url: string;
  config: RelayConfig;
  logLines: string[];
  close(): Promise<void>;
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real relay on 127.0.0.1 with test-sized timings; log lines are captured, not printed. */
export async function startRelay(
  overrides: Partial<RelayConfig> & { dataFile: string },
  now?: () => number,
): Promise<RunningRelay> {
  const config: RelayConfig = {
    ...DEFAULT_RELAY_CONFIG,
    port: 0,
    host: '127.0.0.1',
    longPollMs: 400,
    shutdownGraceMs: 2000,
    ...overrides,
  };
  const logLines: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', scope: 'relay', write: (line) => logLines.push(line) });
  const relay = createRelayServer({ config, logger, now });
  const url = await relay.listen();
  return { relay, url, config, logLines, close: () => relay.close() };
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

export async function createChannel(
  url: string,
  provider: 'notion' | 'drive',
  adminToken?: string,
): Promise<CreatedChannel> {
  const response = await fetch(`${url}/channels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}) },
    body: JSON.stringify({ provider }),
  });
  if (response.status !== 201) throw new Error(`create channel failed: ${response.status}`);
  return (await response.json()) as CreatedChannel;
}

export function notionSignature(token: string, body: string): string {
  return 'sha256=' + createHmac('sha256', token).update(body).digest('hex');
}

/** Posts like Notion does: raw JSON, signed when a token is given. */
export function postNotion(webhookUrl: string, body: string, signature?: string): Promise<Response> {
  return fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-notion-signature': signature } : {}) },
    body,
  });
}

/** Sends Notion's one-time verification request; returns the token. */
export async function verifyNotion(
  webhookUrl: string,
  token = 'secret_verify_' + Math.random().toString(36).slice(2),
): Promise<string> {
  const response = await postNotion(webhookUrl, JSON.stringify({ verification_token: token }));
  if (response.status !== 200) throw new Error(`verification failed: ${response.status}`);
  return token;
}

let notionCounter = 0;
/** A Notion page event as Notion's webhooks deliver it. */
export function notionEvent(overrides: { id?: string; type?: string; pageId?: string } = {}): string {
  notionCounter++;
  return JSON.stringify({
    id: overrides.id ?? `evt-${notionCounter}-${Math.random().toString(36).slice(2, 8)}`,
    timestamp: new Date().toISOString(),
    workspace_id: 'ws-1',
    subscription_id: 'sub-1',
    integration_id: 'int-1',
    type: overrides.type ?? 'page.content_updated',
    authors: [{ id: 'user-1', type: 'person' }],
    entity: { id: overrides.pageId ?? 'page-1', type: 'page' },
    data: { parent: { id: 'ws-1', type: 'space' } },
    attempt_number: 1,
  });
}

export async function postSignedNotion(webhookUrl: string, token: string, body = notionEvent()): Promise<Response> {
  return postNotion(webhookUrl, body, notionSignature(token, body));
}

/** Posts like Google Drive push notifications: empty body, facts in headers. */
export function postDrive(
  webhookUrl: string,
  headers: { token?: string; state: string; messageNumber?: number; channelId?: string; resourceId?: string },
): Promise<Response> {
  return fetch(webhookUrl, {
    method: 'POST',
    headers: {
      ...(headers.token !== undefined ? { 'x-goog-channel-token': headers.token } : {}),
      'x-goog-resource-state': headers.state,
      'x-goog-channel-id': headers.channelId ?? 'watch-1',
      'x-goog-resource-id': headers.resourceId ?? 'res-1',
      'x-goog-resource-uri': 'https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=42',
      'x-goog-channel-expiration': 'Tue, 01 Dec 2026 10:00:00 GMT',
      ...(headers.messageNumber !== undefined ? { 'x-goog-message-number': String(headers.messageNumber) } : {}),
    },
  });
}

export async function poll(
  url: string,
  channelId: string,
  secret: string,
  query = 'after=0&wait=0',
): Promise<{ status: number; events: RelayEvent[] }> {
  const response = await fetch(`${url}/channels/${channelId}/events?${query}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  const body = (await response.json()) as { events?: RelayEvent[] };
  return { status: response.status, events: body.events ?? [] };
}

/** Waits until `check` returns true (polling every 10 ms), or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface RelayProcess {
  child: ChildProcess;
  origin: string;
  /** Everything the process wrote to stderr so far (its JSON log lines). */
  logs(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL, if still running. */
  kill(): void;
}

/**
 * Starts the relay the way it is deployed (`node <entry> …`) in a child
 * process, so a crash shows up as an exit. Resolves once it logs "relay listening".
 */
export async function spawnRelay(
  args: string[],
  options: { entry?: string[]; env?: NodeJS.ProcessEnv; startTimeoutMs?: number } = {},
): Promise<RelayProcess> {
  const child = spawn(process.execPath, [...(options.entry ?? ['bin/relay.js']), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let logs = '';
  child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${logs}`)), options.startTimeoutMs ?? 20_000);
    const onData = (): void => {
      const line = logs.split('\n').find((l) => l.includes('relay listening'));
      if (!line) return;
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      resolve((JSON.parse(line) as { origin: string }).origin);
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} before listening: ${logs}`));
    });
  });
  return {
    child,
    origin,
    logs: () => logs,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
