import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { parseContent } from './parse';
import { ParseFailure, shortParserReason } from './parse-failure';
import type { ParseReply, ParseRequest } from './parse-protocol';

/**
 * Worker thread entry: parses one document at a time for ParserPool. Runs
 * under resource limits; the pool terminates and replaces it on timeout or
 * crash. Built as its own entry (`parse.worker.js`), see worker-entry.ts.
 */
const port = parentPort;
if (!port) throw new AppError('INTERNAL', 'parse.worker must run as a worker thread.');

port.on('message', (request: ParseRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});
// Load the HTML converter (used for HTML and DOCX) before taking work, so a
// job's time limit measures parsing, not module loading. pdfjs loads on the
// first PDF: it is large, and many workers never see one.
await import('./parsers/html');
port.postMessage({ type: 'ready' } satisfies ParseReply);

async function handle(request: ParseRequest): Promise<ParseReply> {
  try {
    const document = await parseContent(request.content, { maxBytes: request.maxBytes });
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
      message: `The file could not be read: ${shortParserReason(error)}`,
    };
  }
}
