import { z } from 'zod';
import { ERROR_CODES } from '../errors';

/** Epoch milliseconds; every timestamp in the contract uses it. */
export const Timestamp = z.number().int().nonnegative();
export const Id = z.string().min(1, 'must not be empty').max(200);
/** Commands without arguments take `{}` (a missing body is treated as `{}`). */
export const Empty = z.object({}).strict();
export const Count = z.number().int().nonnegative();

export const ErrorInfoSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export const ConnectorType = z.enum(['local_folder', 'local_import', 'google_drive', 'notion']);
export type ConnectorType = z.infer<typeof ConnectorType>;
export const ConnectorStatus = z.enum(['active', 'paused', 'error', 'disconnected']);
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;
export const DocumentStatus = z.enum(['pending', 'processing', 'completed', 'error', 'skipped', 'deleted']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;
export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * An absolute path on the machine running the core (a POSIX path, a Windows
 * drive path or a UNC path), or one starting at the home folder (`~`,
 * `~/Notes`), which the core expands. Other relative paths are rejected
 * because the core's working directory means nothing to the person typing them.
 */
export const AbsolutePath = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4096)
  .refine(
    (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\') || p === '~' || /^~[\\/]/.test(p),
    {
      message: 'must be a full path, for example /home/me/Notes, ~/Notes or C:\\Users\\me\\Notes',
    },
  );

/** A command's pair of schemas. `desktopOnly` commands exist only in the Electron shell. */
export interface CommandSpec<In extends z.ZodType = z.ZodType, Out extends z.ZodType = z.ZodType> {
  input: In;
  output: Out;
  /** One line for people reading the contract. */
  summary: string;
}

/** Keeps literal types while checking the shape. */
export function command<In extends z.ZodType, Out extends z.ZodType>(spec: CommandSpec<In, Out>): CommandSpec<In, Out> {
  return spec;
}
