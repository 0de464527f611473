import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
