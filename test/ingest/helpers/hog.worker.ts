import { parentPort } from 'node:worker_threads';
import {
  MEMORY_REPORT_INTERVAL_MS,
  type PoolReply,
  type PoolRequest,
} from '../../../src/main/core/ingest/parse-protocol';
import { MemoryReporter } from '../../../src/main/core/workers/thread-memory';

// Speaks the parse worker protocol and reports its memory like the real
// one, but does what the text says:
//   HOG-STEPS  allocates 16 MB Buffers (outside the V8 heap) every 20 ms, yielding in between
//   HOG-BLOCK  allocates the same without ever yielding, so no report can go out
//   SPIN <ms>  stays busy for <ms> without allocating or yielding
//   STEPS <ms>,<ms>,...  works one step per figure, that long each, reporting progress after each (like PDF pages)
//   anything else is answered at once, upper-cased.
// Allocation stops at 1.5 GB so a broken watchdog cannot take the machine down.
const port = parentPort!;
const memory = new MemoryReporter(
  (bytes) => port.postMessage({ type: 'memory', bytes } satisfies PoolReply),
  MEMORY_REPORT_INTERVAL_MS,
);
const held: Buffer[] = [];
const CHUNK = 16 * 1024 * 1024;
const CEILING = 96; // chunks

port.on('message', (request: PoolRequest) => {
  if (request.type !== 'parse') throw new Error('hog.worker only parses');
  const text = request.content.kind === 'text' ? request.content.text : '';
  memory.begin();
  void answer(request.id, text).then((reply) => {
    memory.end();
    port.postMessage(reply);
  });
});
port.postMessage({ type: 'ready' } satisfies PoolReply);

async function answer(id: number, text: string): Promise<PoolReply> {
  if (text === 'HOG-STEPS') {
    while (held.length < CEILING) {
      held.push(Buffer.alloc(CHUNK, 1));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } else if (text === 'HOG-BLOCK') {
    while (held.length < CEILING) {
      held.push(Buffer.alloc(CHUNK, 1));
      spin(20);
    }
    spin(60_000);
  } else if (text.startsWith('SPIN ')) {
    spin(Number(text.slice(5)));
  } else if (text.startsWith('STEPS ')) {
    for (const ms of text.slice(6).split(',').map(Number)) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      port.postMessage({ type: 'progress', id, bytes: 0 } satisfies PoolReply);
    }
  }
  return { type: 'parsed', id, document: { text: text.toUpperCase(), format: 'plain' } };
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy, on purpose
  }
}
