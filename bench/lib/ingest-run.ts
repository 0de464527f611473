import { readFileSync } from 'node:fs';
import { addFolder } from '../../src/main/cli/connectors.command';
import { createCore } from '../../src/main/core/app';
import { StageTimer, type StageTotals } from '../../src/main/core/metrics/stage-timer';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { mainThreadCpuMs, sampleRss } from './ingest-memory';

/** What one measured ingest produced; printed by the child as one JSON line. */
/** How the measured child marks its result line on stdout. */
export const INGEST_RESULT_PREFIX = 'INGEST_RESULT ';

export interface IngestRunResult {
  corpus: string;
  documents: Record<string, number>;
  chunks: number;
  vectors: number;
  /** From the `add-folder` call to the queue being idle, ms. */
  wallMs: number;
  /** The sync_connector job (walk, hash, parse, store), from start to finish, ms. */
  syncMs: number;
  /** CPU time of the whole process (all threads) during the run, ms: less sensitive to other load than wall time. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** CPU time of the main thread alone during the run, ms (null without /proc). */
  mainThreadCpuMs: number | null;
  stages: Record<string, StageTotals>;
  rssBeforeBytes: number;
  sampledPeakRssBytes: number;
  maxRssBytes: number;
  loadAvgStart: string;
  loadAvgEnd: string;
}

export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * Measures one corpus in this process: a core on `dataDir` with the local
 * model `modelId` downloaded from `hubUrl` and active (set up before the
 * clock starts, as it would be on a person's machine), then `add-folder` of
 * `folder` timed until every job has finished.
 */
export async function runIngest(
  corpus: string,
  folder: string,
  dataDir: string,
  hubUrl: string,
  modelId: string,
): Promise<IngestRunResult> {
  const metrics = new StageTimer();
  const core = await createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    modelHubUrl: hubUrl,
    watch: false,
    relay: false,
    metrics,
  });
  try {
    await core.embeddings.download(modelId);
    await core.embeddings.configure({ provider: 'local', modelId });
    if (!core.embeddings.current())
      throw new Error(`the model ${modelId} did not load: ${JSON.stringify(core.embeddings.state().error)}`);
    await core.idle();
    metrics.reset();

    let syncStarted = 0;
    let syncMs = 0;
    core.queue.on('started', (e) => {
      if (e.type === 'sync_connector') syncStarted = performance.now();
    });
    core.queue.on('succeeded', (e) => {
      if (e.type === 'sync_connector') syncMs = performance.now() - syncStarted;
    });

    const loadAvgStart = loadAverage();
    const rssBeforeBytes = process.memoryUsage.rss();
    const memory = sampleRss(50);
    const cpuBefore = process.cpuUsage();
    const mainBefore = mainThreadCpuMs();
    const started = performance.now();
    await addFolder(core, folder, { name: corpus });
    await core.idle();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = mainThreadCpuMs();
    const peak = memory.stop();
    const loadAvgEnd = loadAverage();

    const active = core.embeddings.current();
    const chunks = (core.db.prepare('SELECT COUNT(*) AS n FROM imported_doc_chunks').get() as { n: number }).n;
    return {
      corpus,
      documents: Object.fromEntries(Object.entries(core.repos.documents.countsByStatus()).filter(([, n]) => n > 0)),
      chunks,
      vectors: active ? core.repos.vectors.count(active.space) : 0,
      wallMs,
      syncMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      mainThreadCpuMs: mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore,
      stages: metrics.snapshot(),
      rssBeforeBytes,
      sampledPeakRssBytes: peak.sampledPeakRss,
      maxRssBytes: peak.maxRss,
      loadAvgStart,
      loadAvgEnd,
    };
  } finally {
    await core.close();
  }
}
