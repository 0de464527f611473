import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/trove.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TroveRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `trove` process; `output` is what it printed on stdout so far. */
export interface TroveProcess {
  child: ChildProcessWithoutNullStreams;
  readonly output: string;
  /** Resolves with the first match of `pattern` on stdout; rejects if the process ends first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  done: Promise<TroveRun>;
}

/**
 * Starts the real `node bin/trove.js --data-dir <dataDir> ...args` as a child
 * process, in the repository root unless `cwd` is given. The environment is
 * the test's own (so a keyring session carries over) minus the TROVE_*
 * variables a developer may have set, plus `env`.
 */
export function startTrove(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
  cwd: string = ROOT,
): TroveProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TROVE_') || name === 'TROVE_IN_KEYRING_SESSION'),
  );
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
    cwd,
    env: { ...inherited, ...env },
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    listeners.forEach((l) => l());
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<TroveRun>((resolve) => {
    child.on('close', (code) => {
      exited = true;
      resolve({ code, stdout, stderr });
      listeners.forEach((l) => l());
    });
  });
  return {
    child,
    get output() {
      return stdout;
    },
    done,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)),
          timeoutMs,
        );
        const check = (): void => {
          const match = pattern.exec(stdout);
          if (match) finish(undefined, match);
          else if (exited)
            finish(new Error(`trove exited before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
        };
        const finish = (error?: Error, match?: RegExpExecArray): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs `trove` to completion. */
export function runTrove(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<TroveRun> {
  return startTrove(dataDir, args, env, cwd).done;
}

/** Runs `trove ... --json` and parses what it printed; fails with its stderr when it did not succeed. */
export async function runTroveJson<T>(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const run = await runTrove(dataDir, args, env);
  if (run.code !== 0) throw new Error(`trove ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A row of `trove connectors --json`. */
export interface ConnectorRow {
  id: string;
  type: string;
  name: string;
  status: string;
  settings: Record<string, unknown>;
  documentCounts: Record<string, number>;
}

/** Everything in the data folder's database files (with the WAL), as text, to prove no secret landed there. */
export function dataFolderText(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('trove.db'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('\n');
}
