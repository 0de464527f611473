import { parentPort, threadId } from 'node:worker_threads';
import type { PoolReply, PoolRequest } from '../../../src/main/core/ingest/parse-protocol';

// Speaks the parse worker protocol, but dies like a native crash when asked
// to parse text containing CRASH. Lets tests check that the pool survives.
// Runs out of V8 heap (a real ERR_WORKER_OUT_OF_MEMORY) on HEAVY ALWAYS, and
// on HEAVY UNLESS ALONE if the worker had any other job before it or gets
// one during its 100 ms, as a large file can beside the texts of the jobs
// queued behind it or what earlier jobs left. SLOW answers after 100 ms;
// WHO answers with the worker's thread id, so a test can tell workers apart.
let received = 0;
// Answered one at a time, in order, as the real worker does (the pool matches answers to its first job).
let chain = Promise.resolve();
parentPort?.on('message', (request: PoolRequest) => {
  received++;
  if (request.type !== 'parse') throw new Error('crash.worker only parses');
  const text = request.content.kind === 'text' ? request.content.text : '';
  const answer = text === 'WHO' ? `worker ${threadId}` : text.toUpperCase();
  const reply: PoolReply = { type: 'parsed', id: request.id, document: { text: answer, format: 'plain' } };
  const delay = text === 'SLOW' || text === 'HEAVY UNLESS ALONE' ? 100 : 0;
  chain = chain.then(
    () =>
      new Promise<void>((done) =>
        setTimeout(() => {
          if (text.includes('CRASH')) process.exit(7);
          if (text === 'HEAVY ALWAYS' || (text === 'HEAVY UNLESS ALONE' && received > 1)) exhaustHeap();
          parentPort?.postMessage(reply);
          done();
        }, delay),
      ),
  );
});

function exhaustHeap(): never {
  const kept: number[][] = [];
  for (;;) kept.push(Array.from({ length: 100_000 }, () => Math.random()));
}
parentPort?.postMessage({ type: 'ready' } satisfies PoolReply);
