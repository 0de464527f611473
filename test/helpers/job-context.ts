import type { HandlerContext } from '../../src/main/core/handlers/ports';
import { silentLogger } from '../../src/main/core/logger';

/** The context the queue hands a handler, for calling a handler directly. */
export function jobContext(
  job: { id?: string; attempt?: number; maxAttempts?: number; type?: string } = {},
): HandlerContext {
  return {
    job: {
      id: job.id ?? 'job-1',
      type: job.type ?? 'test',
      attempt: job.attempt ?? 1,
      maxAttempts: job.maxAttempts ?? 3,
      createdAt: 0,
    },
    signal: new AbortController().signal,
    progress: () => {},
    logger: silentLogger,
  };
}
