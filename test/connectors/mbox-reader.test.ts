import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMbox, type MboxMessage } from '../../src/main/core/connectors/fs/mail/mbox-reader';

const PIECE = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'trove-mbox-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(
  content: Buffer,
  options: { from?: number; maxMessageBytes?: number } = {},
): Promise<MboxMessage[]> {
  const path = join(dir, `m-${Math.random().toString(36).slice(2)}.mbox`);
  writeFileSync(path, content);
  const found: MboxMessage[] = [];
  for await (const message of readMbox(path, {
    from: options.from ?? 0,
    to: content.length,
    maxMessageBytes: options.maxMessageBytes ?? 64 * PIECE,
  }))
    found.push(message);
  return found;
}

/** A message record of exactly `size` bytes: From line, headers, a body of filler. */
function record(n: number, size: number): Buffer {
  const head = `From a@b Mon Jan  5 10:00:00 2026\nSubject: ${n}\n\n`;
  return Buffer.from(head + 'y'.repeat(size - head.length - 1) + '\n');
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('readMbox', () => {
  it('splits at every From line, whatever piece boundary a separator straddles', async () => {
    // Place the "\nFrom " between message 1 and 2 across the first 1 MB piece boundary at every offset.
    for (let cut = 0; cut <= 6; cut++) {
      const first = record(1, PIECE - 1 - 5 + cut + 1);
      const records = [first, record(2, 5000), record(3, 300)];
      const found = await read(Buffer.concat(records));
      expect(found.map((m) => [m.offset, m.length, m.hash])).toEqual([
        [0, records[0]!.length, sha(records[0]!)],
        [records[0]!.length, records[1]!.length, sha(records[1]!)],
        [records[0]!.length + records[1]!.length, records[2]!.length, sha(records[2]!)],
      ]);
      expect(found[1]!.message!.toString().startsWith('Subject: 2\n')).toBe(true);
    }
  });

  it('keeps quoted >From lines inside a body and starts from a given offset', async () => {
    const body = Buffer.from('From x Mon\nSubject: one\n\nline\n>From the sea\nend\n');
    const second = Buffer.from('From y Tue\nSubject: two\n\nhello\n');
    const all = await read(Buffer.concat([body, second]));
    expect(all.map((m) => m.message!.toString())).toEqual([
      'Subject: one\n\nline\n>From the sea\nend\n',
      'Subject: two\n\nhello\n',
    ]);
    const tail = await read(Buffer.concat([body, second]), { from: body.length });
    expect(tail).toEqual([{ offset: body.length, length: second.length, hash: sha(second), message: all[1]!.message }]);
  });

  it('measures and hashes a message over the limit without holding it', async () => {
    const big = record(1, 3 * PIECE);
    const small = record(2, 100);
    const found = await read(Buffer.concat([big, small]), { maxMessageBytes: PIECE });
    expect(found[0]).toEqual({ offset: 0, length: big.length, hash: sha(big) });
    expect(found[1]!.message).toBeDefined();
  });

  it('takes text before the first From line as a message of its own (an .eml named .mbox)', async () => {
    const found = await read(Buffer.from('Subject: lone\n\nbody\n'));
    expect(found.map((m) => m.message!.toString())).toEqual(['Subject: lone\n\nbody\n']);
  });
});
