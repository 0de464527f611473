import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMailbox } from '../fixtures/formats';
import { runInChild, type RunReport } from '../helpers/sync-runner';

/**
 * Issue 17: a large mailbox is streamed, never held. The same real sync (a
 * core in a child process: parser threads, SQLite, everything) runs over a
 * mailbox of 16 messages and one of 160 (about 220 MB); the peak RSS of the
 * second may exceed the first's by far less than the 200 MB between them.
 * Each message carries a 1 MB attachment, so the bytes are real mail bytes
 * that are read, outlined, loaded and parsed (the attachments are .bin files,
 * and end skipped as a type Trove does not read).
 */
describe('a large mailbox', () => {
  let work: string;
  const runs: Record<'small' | 'large', { report: RunReport; bytes: number }> = {} as never;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'trove-mbox-'));
    for (const [label, messages] of [
      ['small', 16],
      ['large', 160],
    ] as const) {
      const folder = join(work, label);
      const dataDir = join(work, `${label}-data`);
      mkdirSync(folder);
      mkdirSync(dataDir);
      await writeMailbox(join(folder, 'archive.mbox'), messages);
      const report = await runInChild({ dataDir, steps: [{ addFolder: folder }, { report: 'after' }] });
      runs[label] = { report, bytes: statSync(join(folder, 'archive.mbox')).size };
    }
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('indexes every message and records every attachment', () => {
    const docs = runs.large.report.reports.after!;
    const messages = docs.filter((d) => /^archive\.mbox#log-\d+@example\.org$/.test(d.externalId));
    const attachments = docs.filter((d) => d.externalId.endsWith('#attachment:2'));
    expect(messages).toHaveLength(160);
    expect(messages.every((d) => d.status === 'completed' && d.chunks > 0)).toBe(true);
    expect(attachments).toHaveLength(160);
    expect(attachments.every((d) => d.status === 'skipped' && d.error === 'Trove cannot read .bin files yet.')).toBe(
      true,
    );
  });

  it('holds far less than the mailbox: peak RSS grows by under a quarter of the added size', () => {
    const added = runs.large.bytes - runs.small.bytes;
    const growth = runs.large.report.maxRssBytes - runs.small.report.maxRssBytes;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `mbox memory: ${mb(runs.small.bytes)} mailbox -> peak RSS ${mb(runs.small.report.maxRssBytes)} (${(runs.small.report.wallMs / 1000).toFixed(1)} s); ` +
        `${mb(runs.large.bytes)} -> ${mb(runs.large.report.maxRssBytes)} (${(runs.large.report.wallMs / 1000).toFixed(1)} s); growth ${mb(growth)} for ${mb(added)} more mail`,
    );
    expect(runs.large.bytes).toBeGreaterThan(200 * 1024 * 1024);
    expect(growth).toBeLessThan(added / 4);
  });
});
