/**
 * Runs one bench:embed contender (bench/lib/embed-contenders.ts) in a child
 * process of its own: onnxruntime-node 1.21 must not run sessions on two
 * threads of one process and cannot be loaded again in a new thread (see the
 * embeddings README), and a fresh process gives each contender the same
 * start. This file is both the parent's helper and the child's entry point.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args';
import type { ContenderResult, EmbedJob } from './embed-contenders';

export const CONTENDERS = ['trove', 'ceiling', 'pipeline'] as const;
export type Contender = (typeof CONTENDERS)[number];

const SCRIPT = fileURLToPath(import.meta.url);
const resultFile = (jobFile: string, contender: Contender): string =>
  path.join(path.dirname(jobFile), `${contender}-result.json`);

/** Writes `job` into `workDir` and runs `contender` on it in a child process. */
export async function runContenderInChild(
  contender: Contender,
  job: EmbedJob,
  workDir: string,
): Promise<ContenderResult> {
  const jobFile = path.join(workDir, `${contender}-job.json`);
  await writeFile(jobFile, JSON.stringify(job));
  const child = spawn(process.execPath, [...process.execArgv, SCRIPT, `--contender=${contender}`, `--job=${jobFile}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`the ${contender} run exited with ${code}`)),
    );
  });
  return JSON.parse(await readFile(resultFile(jobFile, contender), 'utf8')) as ContenderResult;
}

async function runAsChild(contender: Contender, jobFile: string): Promise<void> {
  const job = JSON.parse(await readFile(jobFile, 'utf8')) as EmbedJob;
  const contenders = await import('./embed-contenders');
  const run = { trove: contenders.runTrove, ceiling: contenders.runCeiling, pipeline: contenders.runPipeline }[
    contender
  ];
  // A file, not stdout: the vectors are large, and stdout to a pipe is cut short by exit().
  await writeFile(resultFile(jobFile, contender), JSON.stringify(await run(job)));
  // The embedding worker and the runtime's threads would keep the process alive: the measurement is done.
  process.exit(0);
}

if (process.argv[1] === SCRIPT) {
  const args = benchArgs();
  await runAsChild(args.get('contender') as Contender, args.get('job')!);
}
