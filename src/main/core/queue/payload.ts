import type { z } from 'zod';
import { AppError } from '../../../shared/errors';

/**
 * Validates a payload against its type's schema. The error names each bad
 * field and what is wrong with it, but never echoes values: payloads may
 * carry paths or titles that do not belong in logs.
 */
export function parsePayload<S extends z.ZodType>(type: string, schema: S, payload: unknown): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
    return `${field}: ${issue.message}`;
  });
  throw new AppError('VALIDATION', `Invalid payload for job type "${type}": ${problems.join('; ')}.`, {
    details: { jobType: type, fields: parsed.error.issues.map((issue) => issue.path.map(String).join('.')) },
  });
}
