/**
 * npm run bench:relay [-- --events 10000 --channels 50 --concurrency 32]
 *
 * Sustained ingest and delivery through the webhook relay: a relay runs in a
 * child process (so its memory can be measured) on 127.0.0.1; this process
 * plays Notion (posting signed events across all channels) and the desktop
 * (a RelayClient long-polling every channel into a desktop database).
 * Prints events/s, p50/p95 delivery latency from provider POST to the row
 * committed in webhook_events, and the relay's peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/main/core/clock';
import { openDatabase } from '../src/main/core/db/open';
import { silentLogger } from '../src/main/core/logger';
import { RelayClient } from '../src/main/core/relay-client/relay-client';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store';
import { ConnectorsRepo } from '../src/main/core/store/connectors.repo';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    channels: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '32' },
  },
});
const EVENTS = Number(values.events);
const CHANNELS = Number(values.channels);
const CONCURRENCY = Number(values.concurrency);

async function startRelayProcess(dataFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/relay.js', '--port', '0', '--data', dataFile], {
    env: {
      ...process.env,
      // The bench measures throughput, not the per-channel limiter.
      RELAY_RATE_PER_SECOND: '1000000',
      RELAY_RATE_BURST: '1000000',
      RELAY_CREATE_BURST: '1000',
      RELAY_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('relay did not start within 30 s')), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('relay listening')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { origin: string }).origin);
      }
    });
    child.once('exit', (code) => reject(new Error(`relay exited early (${code})`)));
  });
  return { child, url };
}

function readKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trove-relay-bench-'));
  const { child, url } = await startRelayProcess(join(dir, 'relay.sqlite'));
  const pid = child.pid!;
  const idleRssKb = readKb(pid, 'VmRSS') ?? 0;
  let peakSampledKb = 0;
  const sampler = setInterval(() => (peakSampledKb = Math.max(peakSampledKb, readKb(pid, 'VmRSS') ?? 0)), 50);

  const db = openDatabase(join(dir, 'desktop.sqlite'));
  const connectors = new ConnectorsRepo(db, systemClock);
  const eventIdOf = db.prepare('SELECT event_id FROM webhook_events WHERE id = ?').pluck();
  const postedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastStoredAt = 0;
  let allStored: () => void = () => {};
  const done = new Promise<void>((resolve) => (allStored = resolve));

  const client = new RelayClient({
    db,
    secrets: new MemorySecretStore(),
    fetch,
    clock: systemClock,
    logger: silentLogger,
    relayUrl: () => url,
    pageSize: 500,
    enqueueWebhook: (webhookEventId) => {
      const now = performance.now();
      const eventId = eventIdOf.get(webhookEventId) as string;
      const started = postedAt.get(eventId);
      if (started !== undefined) latencies.push(now - started);
      lastStoredAt = now;
      if (latencies.length === EVENTS) allStored();
    },
  });

  const channels: Array<{ webhookUrl: string; token: string }> = [];
  for (let i = 0; i < CHANNELS; i++) {
    const connector = connectors.create({ type: 'notion', name: `Workspace ${i}`, settings: {} });
    const channel = await client.ensureChannel(connector.id);
    const token = `secret_bench_${i}`;
    const response = await fetch(channel.webhookUrl, {
      method: 'POST',
      body: JSON.stringify({ verification_token: token }),
    });
    if (!response.ok) throw new Error(`verification failed: ${response.status}`);
    channels.push({ webhookUrl: channel.webhookUrl, token });
  }
  client.start();

  let next = 0;
  let rejected = 0;
  const firstPostAt = performance.now();
  const poster = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      if (n >= EVENTS) return;
      const channel = channels[n % CHANNELS]!;
      const id = `bench-evt-${n}`;
      const body = JSON.stringify({
        id,
        timestamp: new Date().toISOString(),
        workspace_id: 'ws',
        type: 'page.content_updated',
        entity: { id: `page-${n % 997}`, type: 'page' },
        data: {},
      });
      const signature = 'sha256=' + createHmac('sha256', channel.token).update(body).digest('hex');
      postedAt.set(id, performance.now());
      const response = await fetch(channel.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-notion-signature': signature },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) rejected++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, poster));
  const lastPostAt = performance.now();
  const timeout = setTimeout(() => allStored(), 120_000);
  await done;
  clearTimeout(timeout);
  clearInterval(sampler);
  const peakKb = Math.max(readKb(pid, 'VmHWM') ?? 0, peakSampledKb);
  const relayCpuSeconds = cpuSeconds(pid);
  const benchCpu = process.cpuUsage();

  await client.stop();
  const stored = (db.prepare('SELECT COUNT(*) FROM webhook_events').pluck().get() as number) ?? 0;
  db.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const postSeconds = (lastPostAt - firstPostAt) / 1000;
  const endToEndSeconds = (lastStoredAt - firstPostAt) / 1000;
  const result = {
    events: EVENTS,
    channels: CHANNELS,
    posterConcurrency: CONCURRENCY,
    rejectedPosts: rejected,
    storedOnDesktop: stored,
    ingestEventsPerSecond: Math.round(EVENTS / postSeconds),
    deliveredEventsPerSecond: Math.round(stored / endToEndSeconds),
    latencyMs: {
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      max: Math.round(latencies.at(-1) ?? 0),
    },
    relayPeakRssMb: Math.round((peakKb / 1024) * 10) / 10,
    relayIdleRssMb: Math.round((idleRssKb / 1024) * 10) / 10,
    relayCpuSeconds,
    benchProcessCpuSeconds: Math.round((benchCpu.user + benchCpu.system) / 1e4) / 100,
  };
  console.log(`relay bench: ${stored}/${EVENTS} events over ${CHANNELS} channels`);
  console.log(`  ingest (provider POSTs accepted): ${result.ingestEventsPerSecond} events/s`);
  console.log(`  delivered to the desktop DB:      ${result.deliveredEventsPerSecond} events/s`);
  console.log(
    `  delivery latency POST -> stored:  p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms`,
  );
  console.log(`  relay peak RSS:                   ${result.relayPeakRssMb} MB (${result.relayIdleRssMb} MB idle)`);
  console.log(
    `  CPU: relay ${result.relayCpuSeconds ?? '?'} s, desktop client + provider simulator ${result.benchProcessCpuSeconds} s`,
  );
  console.log(JSON.stringify(result));
  if (stored !== EVENTS || rejected > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
