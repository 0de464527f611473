import { afterAll, describe, expect, it } from 'vitest';
import { ParseFailure, ParserPool } from '../../src/main/core/ingest';
import { mutantsOf, sampleFiles } from '../fixtures/mutated-files';

/**
 * A few damaged copies of a file of every format, through the parser pool
 * as a sync sends them (bench:mutated-files runs hundreds of each). Before
 * such a run, a raw `<joe@example.com>` failed a whole HTML page, nested
 * tables held a parser for minutes, and reasons read "1:230: unmatched
 * closing tag: " followed by the damaged bytes.
 */
const PER_FORMAT = 6;
const SEED = 20261206;
/** What a person should never read in a reason: a library's internals or the bytes it choked on. */
const JARGON = /TypeError|RangeError|Cannot read properties|undefined|\[object|xmldom|^\d+:\d+:|: \d+:\d+:|\bat \S+ \(/;

describe('damaged files of every format', () => {
  const pool = new ParserPool({ size: 2 });
  afterAll(() => pool.close());

  it('reads each damaged copy, or fails that file alone with a reason a person can read', async () => {
    const outcomes: string[] = [];
    for (const sample of await sampleFiles()) {
      for (const bytes of await mutantsOf(sample, PER_FORMAT, SEED)) {
        const content = { kind: 'bytes' as const, bytes, fileName: sample.fileName, mimeType: '' };
        const failure = await pool.parse(content).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (failure === undefined) {
          outcomes.push(`${sample.format} read`);
          continue;
        }
        expect(failure, `${sample.format}: ${String(failure)}`).toBeInstanceOf(ParseFailure);
        const { reason, message } = failure as ParseFailure;
        expect(message, `${sample.format} ${reason}`).not.toMatch(JARGON);
        outcomes.push(`${sample.format} ${reason}`);
      }
    }
    // Damage that leaves a file readable is read: most formats keep some copies.
    expect(outcomes.filter((outcome) => outcome.endsWith(' read')).length).toBeGreaterThan(outcomes.length / 3);
    // And the pool still reads a sound file after all of that.
    const [docx] = await sampleFiles();
    expect(
      (await pool.parse({ kind: 'bytes', bytes: docx!.bytes, fileName: docx!.fileName, mimeType: '' })).title,
    ).toBe('Field Guide');
  }, 120_000);
});
