import { AppError } from '../../../shared/errors';
import { formatSize } from './limits';
import { ParseFailure } from './parse-failure';
import type { PoolReply } from './parse-protocol';

/**
 * The failures ParserPool reports for a job it had to stop, worded for the
 * person who owns the file. `doing` is what the job was doing, as the start
 * of a sentence ("Reading this file").
 */

export function timeoutFailure(doing: string, limitMs: number, kind: 'total' | 'stalled'): ParseFailure {
  const limit = formatDuration(limitMs);
  return new ParseFailure(
    'timeout',
    kind === 'stalled'
      ? `${doing} made no progress for ${limit}, so Trove stopped; it may be malformed.`
      : `${doing} took longer than ${limit}, so Trove stopped; it may be very large or malformed.`,
  );
}

export function memoryFailure(doing: string, limitBytes: number): ParseFailure {
  return new ParseFailure(
    'out_of_memory',
    `${doing} used more than ${formatSize(limitBytes)} of memory, so Trove stopped it; the file may expand far beyond its size on disk (a decompression bomb) or be damaged.`,
  );
}

export function crashFailure(
  doing: string,
  crash: (Error & { code?: string }) | undefined,
  exitCode: number,
): ParseFailure {
  if (crash?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ParseFailure(
      'out_of_memory',
      `${doing} needed more memory than the parser is allowed, so Trove stopped; it may be very large.`,
      { cause: crash },
    );
  }
  return new ParseFailure(
    'corrupt',
    `The parser stopped unexpectedly while ${doing[0]!.toLowerCase()}${doing.slice(1)} (${crash?.message ?? `exit code ${exitCode}`}).`,
    { cause: crash },
  );
}

export function unexpectedReply(reply: PoolReply): AppError {
  return new AppError('INTERNAL', `The parser worker answered with an unexpected "${reply.type}" message.`);
}

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'Parsing was cancelled.');
}

export function closedError(): AppError {
  return new AppError('CANCELLED', 'Parsing stopped because the parser pool was closed.');
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Math.round(ms / 60_000)} min`;
}
