import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/main/core/search/types';
import { runTrove, type ConnectorRow, type TroveRun } from './run-trove';

/**
 * What must never reach a terminal raw: C0 controls other than newline, DEL,
 * C1 controls and the bidi controls. Newlines are the CLI's own line breaks.
 */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// A file name that sets the window title, rings the bell and clears the screen.
const EVIL_NAME = 'report\u001b]0;pwned\u0007\u001b[2J.md';
// Content with a hidden OSC 8 hyperlink, colours, a C1 CSI and a right-to-left override. No title
// inside, so the file's name is the title shown.
const EVIL_TEXT =
  'The kwevilzq totals \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 ' +
  'are \u001b[31mred\u001b[0m, see \u202egnp.exe\u202c and \u009b2J too.\n';
// A folder whose name starts with '-' and sets the window title.
const EVIL_FOLDER = '-notes\u001b]0;owned\u0007';

describe('trove CLI output with control characters in names and text', () => {
  let dataDir: string;
  let root: string;
  let imported: TroveRun;
  let added: TroveRun;
  let search: TroveRun;
  let searchJson: TroveRun;
  let connectors: TroveRun;
  let connectorsJson: TroveRun;
  let missing: TroveRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-escapes-data-'));
    root = mkdtempSync(join(tmpdir(), 'trove-cli-escapes-'));
    mkdirSync(join(root, 'inbox'));
    writeFileSync(join(root, 'inbox', EVIL_NAME), EVIL_TEXT);
    mkdirSync(join(root, EVIL_FOLDER));
    writeFileSync(join(root, EVIL_FOLDER, 'plain.md'), '# Plain\n\nkwplainzq\n');

    imported = await runTrove(dataDir, ['import', join(root, 'inbox', EVIL_NAME)]);
    // Run from `root`, so the folder is named as typed: '-notes…'.
    added = await runTrove(dataDir, ['add-folder', EVIL_FOLDER], {}, root);
    [search, searchJson, connectors, connectorsJson, missing] = await Promise.all([
      runTrove(dataDir, ['search', 'kwevilzq']),
      runTrove(dataDir, ['search', 'kwevilzq', '--json']),
      runTrove(dataDir, ['connectors']),
      runTrove(dataDir, ['connectors', '--json']),
      runTrove(dataDir, ['sync', 'gone\u001b]0;owned\u0007']),
    ]);
  }, 90_000);

  afterAll(() => {
    for (const dir of [dataDir, root]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the file and the folder', () => {
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Done: 1 indexed/);
    expect(added.code, added.stderr).toBe(0);
  });

  it('search shows the name, path and snippet with every control made visible', () => {
    expect(search.code, search.stderr).toBe(0);
    for (const output of [search.stdout, search.stderr]) expect(output).not.toMatch(RAW_CONTROL);
    expect(search.stdout).toContain('1. report\\x1b]0;pwned\\x07\\x1b[2J.md  (Imported files)');
    // The path is a file URL, percent-encoded already.
    expect(search.stdout).toContain('/inbox/report%1B%5D0;pwned%07%1B%5B2J.md\n');
    expect(search.stdout).toContain('\\x1b]8;;https://evil.example/\\x07click\\x1b]8;;\\x07');
    expect(search.stdout).toContain('\\x1b[31mred\\x1b[0m');
    expect(search.stdout).toContain('see \\u202egnp.exe\\u202c and \\x9b2J too');
  });

  it('--json keeps the exact text, with no raw control character in what it prints', () => {
    expect(searchJson.code, searchJson.stderr).toBe(0);
    expect(searchJson.stdout).not.toMatch(RAW_CONTROL);
    const result = JSON.parse(searchJson.stdout) as SearchResponse;
    expect(result.groups[0]!.document.title).toBe(EVIL_NAME);
    const snippet = result.groups[0]!.chunks.map((c) => c.snippet.map((s) => s.text).join('')).join(' ');
    expect(snippet).toContain('\u001b]8;;https://evil.example/\u0007click');
    expect(snippet).toContain('\u202egnp.exe\u202c and \u009b2J');
    const rows = JSON.parse(connectorsJson.stdout) as ConnectorRow[];
    expect(rows.map((r) => r.name)).toContain(EVIL_FOLDER);
  });

  it('add-folder and connectors print the connector name made visible', () => {
    expect(added.stdout).toMatch(/^Added -notes\\x1b\]0;owned\\x07 \(.+\)\./m);
    expect(connectors.code, connectors.stderr).toBe(0);
    expect(connectors.stdout).toContain(' -notes\\x1b]0;owned\\x07  (last sync');
    for (const run of [imported, added, connectors]) {
      expect(run.stdout).not.toMatch(RAW_CONTROL);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
    }
  });

  it('status shows a data folder path made visible', async () => {
    const evilDataDir = join(root, 'data\u001b]0;owned\u0007');
    const status = await runTrove(evilDataDir, ['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Data folder      ${root}/data\\x1b]0;owned\\x07\n`);
    expect(status.stdout).not.toMatch(RAW_CONTROL);
  });

  it('an error message quoting a name shows it made visible', () => {
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('trove: No connector "gone\\x1b]0;owned\\x07".');
    expect(missing.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('trove CLI arguments that start with -', () => {
  let dataDir: string;
  let folder: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-dash-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-dash-'));
    writeFileSync(join(folder, '-weird-name.md'), 'Pass -control to kwflagzq, or --json, or -v.\n');
    const run = await runTrove(dataDir, ['import', '-weird-name.md'], {}, folder);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Done: 1 indexed/);
  }, 60_000);

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('import takes a file named -weird-name.md', async () => {
    const found = await runTrove(dataDir, ['search', 'kwflagzq', '--json']);
    const result = JSON.parse(found.stdout) as SearchResponse;
    expect(result.groups.map((g) => g.document.title)).toEqual(['-weird-name.md']);
  });

  it('search takes a query starting with -, with options before or after it', async () => {
    const [plain, withOptions, verboseLike, quoted] = await Promise.all([
      runTrove(dataDir, ['search', '-control']),
      runTrove(dataDir, ['search', '--mode', 'keyword', '-control', '--json']),
      // Commander alone would read this as -v plus an unknown -erbose.
      runTrove(dataDir, ['search', '-verbose']),
      runTrove(dataDir, ['search', '"-control"', '--json']),
    ]);
    // The text reaches search as the query, where a leading - leaves out documents holding the word.
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('Understood: -control');
    expect(plain.stdout).not.toMatch(/-weird-name\.md/);
    const result = JSON.parse(withOptions.stdout) as SearchResponse;
    expect(result.operators.map((o) => o.text)).toEqual(['-control']);
    expect(result.groups.map((g) => g.document.title)).not.toContain('-weird-name.md');
    expect(verboseLike.code, verboseLike.stderr).toBe(0);
    expect(verboseLike.stdout).toContain('Understood: -verbose');
    expect(verboseLike.stderr).not.toMatch(/"level":"debug"/);
    // In quotes the word is searched for.
    expect((JSON.parse(quoted.stdout) as SearchResponse).groups.map((g) => g.document.title)).toEqual([
      '-weird-name.md',
    ]);
  });

  it('after --, even an option name is the query', async () => {
    const run = await runTrove(dataDir, ['search', '--mode', 'keyword', '--', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1\. -weird-name\.md/m);
    expect(() => JSON.parse(run.stdout) as unknown).toThrow();
  });

  it('a mistyped option is still an error, and the help says how to pass such text', async () => {
    const typo = await runTrove(dataDir, ['search', 'kwflagzq', '--jsn']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("unknown option '--jsn'");
    const help = await runTrove(dataDir, ['search', '--help']);
    expect(help.stdout).toContain('Usage: trove search [options] [--] <query>');
    expect(help.stdout).toContain('After --, everything is text');
  });
});
