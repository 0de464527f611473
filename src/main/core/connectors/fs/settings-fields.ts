import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { assertValidGlob } from './path-filter';

/** An absolute path, normalised (`/a/b/../c/` becomes `/a/c`). */
export function absolutePathSchema(what: string) {
  return z
    .string({ error: `Choose the ${what}.` })
    .trim()
    .min(1, { error: `Choose the ${what}.` })
    .refine((value) => isAbsolute(value), {
      error: (issue) => `The ${what} must be an absolute path, such as /home/you/Notes (got "${String(issue.input)}").`,
    })
    .transform((value) => resolve(value));
}

/** A list of globs, each checked to compile. */
export const globListSchema = z.array(
  z
    .string()
    .trim()
    .min(1, { error: 'A pattern cannot be empty.' })
    .refine(
      (pattern) => {
        try {
          assertValidGlob(pattern);
          return true;
        } catch {
          return false;
        }
      },
      { error: (issue) => `"${String(issue.input)}" is not a valid pattern.` },
    ),
);

export const maxFileSizeSchema = z
  .number({ error: 'The size limit must be a number of bytes.' })
  .int({ error: 'The size limit must be a whole number of bytes.' })
  .positive({ error: 'The size limit must be greater than zero.' });
