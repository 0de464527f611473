import { parentPort } from 'node:worker_threads';
import type { PoolReply, PoolRequest } from '../../../src/main/core/ingest/parse-protocol';

// Speaks the parse worker protocol, but dies like a native crash when asked
// to parse text containing CRASH. Lets tests check that the pool survives.
parentPort?.on('message', (request: PoolRequest) => {
  if (request.type !== 'parse') throw new Error('crash.worker only parses');
  const text = request.content.kind === 'text' ? request.content.text : '';
  if (text.includes('CRASH')) process.exit(7);
  const reply: PoolReply = { type: 'parsed', id: request.id, document: { text: text.toUpperCase(), format: 'plain' } };
  parentPort?.postMessage(reply);
});
parentPort?.postMessage({ type: 'ready' } satisfies PoolReply);
