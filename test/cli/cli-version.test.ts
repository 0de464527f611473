import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { databaseFile } from '../../src/main/core/data-dir';
import { runTrove } from './run-trove';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** `trove --version` and `--help` answer without touching the library. */
describe('trove --version', () => {
  const parent = mkdtempSync(join(tmpdir(), 'trove-cli-version-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('prints the package version and creates no data folder', async () => {
    const dataDir = join(parent, 'never-created');
    const run = await runTrove(dataDir, ['--version'], { TROVE_DATA_DIR: join(parent, 'nor-this') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(join(parent, 'nor-this'))).toBe(false);
  });

  it('lists the mcp command in the help, also without a data folder', async () => {
    const dataDir = join(parent, 'not-for-help');
    const run = await runTrove(dataDir, ['--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\s+mcp( \[options\])?\s+Model Context Protocol server/m);
    expect(existsSync(dataDir)).toBe(false);
  });
});

/** A library a newer Trove wrote: the message for a person, and with -v where it was met. */
describe('trove on a library written by a newer Trove', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-newer-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says to update, and shows the stack only with --verbose', async () => {
    const created = await runTrove(dataDir, ['sync']);
    expect(created.code, created.stderr).toBe(0);
    const db = new BetterSqlite3(databaseFile(dataDir));
    db.pragma('user_version = 100000');
    db.close();

    const plain = await runTrove(dataDir, ['sync']);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/^trove: This database was written by a newer Trove .* Update Trove to open it\.$/m);
    expect(plain.stderr).not.toMatch(/^\s+at /m);

    const verbose = await runTrove(dataDir, ['--verbose', 'sync']);
    expect(verbose.code).not.toBe(0);
    expect(verbose.stderr).toMatch(/^trove: This database was written by a newer Trove/m);
    expect(verbose.stderr).toMatch(/^\s+at migrate \(/m);
  });
});
