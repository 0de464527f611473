/**
 * The embedding worker thread: runs local models (worker-session.ts) off the
 * main thread, because tokenising and inference are CPU-bound and would
 * freeze the UI and the queue. One worker hosts every loaded model:
 * onnxruntime-node 1.21 (the version transformers.js 3.8 pins) aborts the
 * whole process when sessions run in two worker threads at once
 * (microsoft/onnxruntime#24486), so there must only ever be one, and it is
 * never restarted (see local-embedder-host.ts).
 *
 * A model run blocks this thread (onnxruntime-node's `run` is synchronous
 * once it starts), so messages are only seen between runs. Embedding
 * requests are therefore not run one after the other: their texts go to the
 * model's RunScheduler, and the pump below runs one short run at a time,
 * yielding to the event loop before choosing each next run. A query that
 * arrives behind thousands of queued document texts is chosen next (its lane
 * comes first), so it waits for at most the run in progress.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './local-embedder.protocol';
import { toUnitVector } from './normalise';
import { LANES, RunScheduler, type PlannedRun, type ScheduledRequest } from './run-scheduler';
import { loadModel, runModel, tokenize, type LoadedModel } from './worker-session';
import { lowerThreadPriority } from '../workers/thread-priority';

function requirePort(): MessagePort {
  if (!parentPort) throw new Error('local-embedder.worker must run in a worker thread');
  return parentPort;
}
const port = requirePort();
// Indexing runs here: a search on the main thread must not have to share a core with it.
lowerThreadPriority();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** An embed request in progress: its vectors fill `out` as runs finish. */
interface EmbedRequest extends ScheduledRequest {
  id: number;
  model: Model;
  out: Float32Array;
  /** Texts whose vectors are not written yet. */
  remaining: number;
  /** Answered, failed or cancelled: later run results are dropped. */
  settled: boolean;
  /** Gets the vectors too, the moment they are all written (a search thread waiting for a query's). */
  copyTo?: MessagePort;
}

interface Model {
  loaded: LoadedModel;
  scheduler: RunScheduler<EmbedRequest>;
}

/** Models by key, with how many embedders use each (two embedders may share one). */
const models = new Map<string, { loading: Promise<Model>; users: number }>();
/** Embed requests not yet answered, by id. */
const live = new Map<number, EmbedRequest>();
/** Unloads waiting for a model's requests to finish. */
const drainWaiters = new Map<Model, Array<() => void>>();

function forget(request: EmbedRequest): void {
  request.settled = true;
  // Closed without the vectors when the request failed or was cancelled: whoever waits on it stops waiting.
  request.copyTo?.close();
  request.model.scheduler.remove(request);
  live.delete(request.id);
  if ([...live.values()].some((r) => r.model === request.model)) return;
  for (const wake of drainWaiters.get(request.model) ?? []) wake();
  drainWaiters.delete(request.model);
}

function drained(model: Model): Promise<void> {
  if (![...live.values()].some((r) => r.model === model)) return Promise.resolve();
  return new Promise((resolve) => drainWaiters.set(model, [...(drainWaiters.get(model) ?? []), resolve]));
}

function fail(request: EmbedRequest, err: unknown): void {
  if (request.settled) return;
  forget(request);
  post({ type: 'error', id: request.id, message: err instanceof Error ? err.message : String(err) });
}

async function accept(message: Extract<ToWorker, { type: 'embed' }>): Promise<void> {
  const entry = models.get(message.key);
  if (!entry) throw new Error('the model is not loaded');
  const model = await entry.loading;
  const { dimensions } = model.loaded;
  const out = new Float32Array(message.texts.length * dimensions);
  if (message.texts.length === 0) {
    message.copyTo?.close();
    post({ type: 'embedded', id: message.id, vectors: out }, [out.buffer as ArrayBuffer]);
    return;
  }
  const request: EmbedRequest = {
    id: message.id,
    lane: message.lane,
    priority: message.priority,
    // Compact while they wait for their runs: a backlog holds thousands.
    encoded: message.texts.map((text) => Int32Array.from(tokenize(model.loaded, text))),
    model,
    out,
    remaining: message.texts.length,
    settled: false,
    copyTo: message.copyTo,
  };
  live.set(request.id, request);
  model.scheduler.add(request);
  void pump();
}

/** The next run over all loaded models: the most urgent lane first. */
function nextRun(): { model: Model; run: PlannedRun<EmbedRequest> } | null {
  const loaded = new Set([...live.values()].map((r) => r.model));
  for (const lane of LANES) {
    for (const model of loaded) {
      const run = model.scheduler.next(lane);
      if (run) return { model, run };
    }
  }
  return null;
}

async function execute(model: Model, run: PlannedRun<EmbedRequest>): Promise<void> {
  const { dimensions } = model.loaded;
  let pooled;
  try {
    pooled = await runModel(
      model.loaded,
      run.items.map(({ request, index }) => request.encoded[index]!),
    );
  } catch (err) {
    for (const { request } of run.items) fail(request, err);
    return;
  }
  const data = pooled.data as Float32Array;
  run.items.forEach(({ request, index }, b) => {
    if (request.settled) return;
    request.out.set(toUnitVector(data.subarray(b * dimensions, (b + 1) * dimensions)), index * dimensions);
    if (--request.remaining > 0) return;
    request.copyTo?.postMessage(request.out.slice());
    forget(request);
    post({ type: 'embedded', id: request.id, vectors: request.out }, [request.out.buffer as ArrayBuffer]);
  });
  pooled.dispose();
}

let pumping = false;

/** Runs waiting texts, one run at a time, until none wait. */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      // Let the messages that arrived during the last run in first, so a new
      // query is the next run rather than the one after.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const next = nextRun();
      if (!next) return;
      await execute(next.model, next.run);
    }
  } finally {
    pumping = false;
  }
}

async function handle(message: Exclude<ToWorker, { type: 'embed' | 'cancel' }>): Promise<void> {
  switch (message.type) {
    case 'load': {
      let entry = models.get(message.key);
      if (!entry) {
        const { batchSize } = message.options;
        entry = {
          loading: loadModel(message.options).then((loaded) => ({ loaded, scheduler: new RunScheduler(batchSize) })),
          users: 0,
        };
        models.set(message.key, entry);
      }
      let model: Model;
      try {
        model = await entry.loading;
      } catch (err) {
        models.delete(message.key);
        throw err;
      }
      entry.users++;
      post({ type: 'loaded', id: message.id, dimensions: model.loaded.dimensions });
      return;
    }
    case 'unload': {
      const entry = models.get(message.key);
      if (entry && --entry.users <= 0) {
        models.delete(message.key);
        const model = await entry.loading;
        // Requests already accepted are answered before the session goes.
        await drained(model);
        await model.loaded.session.release();
      }
      post({ type: 'unloaded', id: message.id });
      return;
    }
  }
}

const reportError = (id: number) => (err: unknown) =>
  post({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });

// Loads and unloads run one at a time, in order; embed requests join the
// scheduler as they arrive (they wait for their model if it is still loading).
let chain = Promise.resolve();
port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'embed':
      void accept(message).catch((err: unknown) => {
        message.copyTo?.close();
        reportError(message.id)(err);
      });
      return;
    case 'cancel': {
      const request = live.get(message.id);
      if (request) forget(request);
      return;
    }
    default:
      chain = chain.then(() => handle(message).catch(reportError(message.id)));
  }
});
