import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { LOWEST_NICE_STEP, lowerThreadPriority } from '../workers/thread-priority';
import { MemoryReporter, threadMemoryBytes } from '../workers/thread-memory';
import { classifyAndChunk } from './chunk-job';
import { parseContent } from './parse';
import { ParseFailure, shortParserReason } from './parse-failure';
import { MEMORY_REPORT_INTERVAL_MS, type PoolReply, type PoolRequest } from './parse-protocol';
import { documentSketch } from './document-sketch';

/**
 * Worker thread entry: parses or chunks one document at a time for
 * ParserPool. Runs under resource limits; the pool terminates and replaces it
 * on timeout, crash or when its memory watchdog trips. While it has work it
 * reports its memory (heap and outside it) and, for PDFs, its progress.
 * Built as its own entry (`parse.worker.js`), see worker-entry.ts.
 */
const port = parentPort;
if (!port) throw new AppError('INTERNAL', 'parse.worker must run as a worker thread.');
// OCR threads yield the CPU to everything else (see startOcrWorker).
if ((workerData as { lowPriority?: boolean } | null)?.lowPriority) lowerThreadPriority(LOWEST_NICE_STEP);

const memory = new MemoryReporter(
  (bytes) => port.postMessage({ type: 'memory', bytes } satisfies PoolReply),
  MEMORY_REPORT_INTERVAL_MS,
);

// One request at a time, in the order they came: the pool may send a few
// ahead (see JOBS_PER_WORKER in parser-pool.ts), times only the first, and
// matches answers to requests by order.
let chain = Promise.resolve();
port.on('message', (request: PoolRequest) => {
  memory.begin();
  chain = chain.then(() =>
    handle(request).then((reply) => {
      port.postMessage(reply);
      memory.end();
    }),
  );
});
// Load the HTML converter (used for HTML and DOCX) before taking work, so a
// job's time limit measures parsing, not module loading. pdfjs loads on the
// first PDF: it is large, and many workers never see one.
await import('./parsers/html');
port.postMessage({ type: 'ready' } satisfies PoolReply);

async function handle(request: PoolRequest): Promise<PoolReply> {
  try {
    if (request.type === 'chunk') return { type: 'chunked', id: request.id, result: classifyAndChunk(request.job) };
    if (request.type === 'sketch') return { type: 'sketched', id: request.id, sketch: documentSketch(request.text) };
    if (request.type === 'ocr') {
      const { recognizePage } = await import('./ocr/recognize-page');
      return {
        type: 'recognized',
        id: request.id,
        result: await recognizePage(request.page, progressReporter(request.id)),
      };
    }
    const document = await parseContent(request.content, {
      maxBytes: request.maxBytes,
      limits: request.limits,
      onProgress: progressReporter(request.id),
    });
    return { type: 'parsed', id: request.id, document };
  } catch (error) {
    if (error instanceof ParseFailure)
      return { type: 'failed', id: request.id, reason: error.reason, message: error.message };
    // A parser bug or a malformed file that tripped one: the file is what a
    // person can act on, so report it as unreadable.
    return {
      type: 'failed',
      id: request.id,
      reason: 'corrupt',
      message: `${FAILED_ACTIVITY[request.type]}: ${shortParserReason(error)}`,
    };
  }
}

const FAILED_ACTIVITY: Record<PoolRequest['type'], string> = {
  parse: 'The file could not be read',
  chunk: 'The text could not be split into chunks',
  sketch: 'The text could not be sketched',
  ocr: 'The page could not be read with OCR',
};

/** Tells the pool the job is moving (at most every report interval), with the memory figure. */
function progressReporter(id: number): () => void {
  let sentAt = 0;
  return () => {
    const now = performance.now();
    if (now - sentAt < MEMORY_REPORT_INTERVAL_MS) return;
    sentAt = now;
    port!.postMessage({ type: 'progress', id, bytes: threadMemoryBytes() } satisfies PoolReply);
  };
}
