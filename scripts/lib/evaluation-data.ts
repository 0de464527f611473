import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the evaluation data sets live: the Cranfield collection with its
 * judgments, the man-page known-item questions and the BERT uncased WordPiece
 * vocabulary. They are public third-party data, too large and not ours to
 * commit, so they stay outside the repository: `TROVE_EVAL_DATA=<dir>` (a
 * folder holding `cranfield/`, `manpages/` and `wordpiece-uncased/`), else a
 * `data/` folder in the checkout's parent's `shared/` folder, where the team
 * keeps them. Benchmarks and tests that need a set say so and skip without it;
 * the one place that knows this layout is here.
 */
export function evaluationDataDir(set: 'cranfield' | 'manpages' | 'wordpiece-uncased'): string {
  const base = process.env.TROVE_EVAL_DATA ?? path.resolve(repositoryRoot(), '..', 'shared', 'data');
  return path.join(base, set);
}

function repositoryRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}
