import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { newId } from '../ids';
import type { NewJob } from './job-store';
import { parsePayload } from './payload';
import type { EnqueueOptions, JobContext, JobDefinition } from './types';

const DEFAULT_MAX_ATTEMPTS = 3;

/** A registered type with its schema applied: `prepare` validates once and binds the payload. */
export interface RegisteredType {
  concurrency: number | undefined;
  maxAttempts: number | undefined;
  prepare(raw: unknown): { serialKey: string | null; execute: (ctx: JobContext) => Promise<unknown> };
}

export const unknownTypeError = (type: string): AppError =>
  new AppError(
    'VALIDATION',
    `No handler is registered for job type "${type}"; register it before enqueueing or starting the queue.`,
  );

/** The job types a queue knows, and the checks that turn an enqueue call into a row. */
export class JobTypeRegistry {
  private readonly types = new Map<string, RegisteredType>();

  register<S extends z.ZodType>(type: string, definition: JobDefinition<S>): void {
    if (this.types.has(type)) throw new AppError('CONFLICT', `Job type "${type}" is already registered.`);
    const { concurrency, maxAttempts } = definition;
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new AppError(
        'VALIDATION',
        `Concurrency for job type "${type}" must be a positive integer; got ${concurrency}.`,
      );
    }
    if (maxAttempts !== undefined) assertMaxAttempts(maxAttempts);
    this.types.set(type, {
      concurrency,
      maxAttempts,
      prepare: (raw) => {
        const payload = parsePayload(type, definition.schema, raw);
        return {
          serialKey: definition.serialKey?.(payload) ?? null,
          execute: (ctx) => definition.handler(payload, ctx),
        };
      },
    });
  }

  get(type: string): RegisteredType | undefined {
    return this.types.get(type);
  }

  /** Types with their own concurrency limit. */
  *limited(): Iterable<[type: string, limit: number]> {
    for (const [type, registered] of this.types) {
      if (registered.concurrency !== undefined) yield [type, registered.concurrency];
    }
  }

  /** Validates type, payload and options (AppError VALIDATION) and builds the row to insert. */
  toNewJob(type: string, payload: unknown, options: EnqueueOptions, now: number): NewJob {
    const registered = this.types.get(type);
    if (!registered) throw unknownTypeError(type);
    const { serialKey } = registered.prepare(payload);
    const maxAttempts = options.maxAttempts ?? registered.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    assertMaxAttempts(maxAttempts);
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority)) {
      throw new AppError('VALIDATION', `Job priority must be an integer; got ${priority}.`);
    }
    const runAt = options.runAt ?? now;
    if (!Number.isFinite(runAt)) throw new AppError('VALIDATION', 'Job runAt must be a time in epoch milliseconds.');
    return {
      id: newId(),
      type,
      payload: JSON.stringify(payload ?? null),
      priority,
      runAt: Math.trunc(runAt),
      maxAttempts,
      key: options.key ?? null,
      serialKey,
      now,
    };
  }
}

function assertMaxAttempts(value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('VALIDATION', `maxAttempts must be a whole number of at least 1; got ${value}.`);
  }
}
