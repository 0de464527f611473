import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FsPath } from '../file-names';

/** One message of an mbox, as found in the file. */
export interface MboxMessage {
  /** Byte offset of its `From ` line (or of the scan's start, for text before any). */
  offset: number;
  /** Bytes from there to the next `From ` line or the end of what was read. */
  length: number;
  /** sha256 hex of those bytes: changes whenever the message does. */
  hash: string;
  /** The message without its `From ` line, when it is at most `maxMessageBytes`; larger ones are only measured. */
  message?: Buffer;
}

export interface ReadMboxOptions {
  /** Where to start, at a message's `From ` line (0 for the whole file). */
  from: number;
  /** Where to stop (exclusive): the size the file had when it was listed. */
  to: number;
  /** Messages up to this size are handed over whole; larger ones are hashed and measured as they stream by, never held. */
  maxMessageBytes: number;
  signal?: AbortSignal;
}

const SEPARATOR = Buffer.from('\nFrom ');
const FROM_LINE = Buffer.from('From ');

/**
 * Splits an mbox file into its messages while streaming it in 1 MB pieces,
 * so a mailbox of any size costs one piece plus the message being collected
 * (at most `maxMessageBytes`). A message starts at every line that begins
 * with `From ` (mboxo/mboxrd: writers quote such lines in bodies as `>From `).
 * Boundaries are found with Buffer.indexOf, not line by line, so the cost is
 * close to reading the file.
 */
export async function* readMbox(path: FsPath, options: ReadMboxOptions): AsyncGenerator<MboxMessage, void, void> {
  const { from, to, maxMessageBytes, signal } = options;
  if (to <= from) return;
  const stream = createReadStream(path, { start: from, end: to - 1, highWaterMark: 1024 * 1024, signal });
  let current = new Collector(from, maxMessageBytes);
  /** Bytes not fed yet: the end of the last piece, when it could be the start of a separator. */
  let held: Buffer = Buffer.alloc(0);
  let heldAt = from;
  for await (const piece of stream as AsyncIterable<Buffer>) {
    const data = held.length > 0 ? Buffer.concat([held, piece]) : piece;
    const base = heldAt;
    let fed = 0;
    for (let at = data.indexOf(SEPARATOR); at >= 0; at = data.indexOf(SEPARATOR, at + 1)) {
      const boundary = at + 1;
      current.feed(data.subarray(fed, boundary));
      fed = boundary;
      if (current.length > 0) yield current.finish();
      current = new Collector(base + boundary, maxMessageBytes);
    }
    const keep = partialSeparatorAtEnd(data, fed);
    current.feed(data.subarray(fed, data.length - keep));
    held = Buffer.from(data.subarray(data.length - keep));
    heldAt = base + data.length - keep;
  }
  current.feed(held);
  if (current.length > 0) yield current.finish();
}

/** How many bytes at the end of `data` (after `from`) could be the first bytes of a separator cut by the piece's end. */
function partialSeparatorAtEnd(data: Buffer, from: number): number {
  for (let length = Math.min(SEPARATOR.length - 1, data.length - from); length > 0; length--) {
    if (data.subarray(data.length - length).equals(SEPARATOR.subarray(0, length))) return length;
  }
  return 0;
}

/** One message being read: hashed as it comes, held only while within the size limit. */
class Collector {
  length = 0;
  private readonly hash: Hash = createHash('sha256');
  private parts: Buffer[] | undefined = [];

  constructor(
    readonly offset: number,
    private readonly maxBytes: number,
  ) {}

  feed(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.length += bytes.length;
    if (this.parts && this.length <= this.maxBytes) this.parts.push(bytes);
    else this.parts = undefined;
  }

  finish(): MboxMessage {
    const found: MboxMessage = { offset: this.offset, length: this.length, hash: this.hash.digest('hex') };
    if (this.parts) found.message = withoutFromLine(Buffer.concat(this.parts));
    this.parts = undefined;
    return found;
  }
}

/** The message proper: its bytes after the mbox `From ` line, if it has one. */
export function withoutFromLine(record: Buffer): Buffer {
  if (!record.subarray(0, FROM_LINE.length).equals(FROM_LINE)) return record;
  const end = record.indexOf(10);
  return end < 0 ? Buffer.alloc(0) : record.subarray(end + 1);
}
