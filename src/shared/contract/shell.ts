import { z } from 'zod';
import { AbsolutePath, command } from './common';

/**
 * Commands only the Electron shell can answer (native dialogs, the system
 * browser). In browser mode they return UNAVAILABLE and the UI offers the
 * browser equivalent (typed paths, a link).
 */
export const shellCommands = {
  pickPaths: command({
    summary: 'Native file/folder picker. An empty list means the person cancelled.',
    input: z.object({
      kind: z.enum(['files', 'folder', 'files-and-folders']),
      multiple: z.boolean().default(false),
      title: z.string().max(200).optional(),
    }),
    output: z.object({ paths: z.array(z.string()) }),
  }),
  openExternal: command({
    summary:
      "Open an http(s) link in the system browser: a document's original or a provider's page at once, any other host only after the person confirms (opened: false if they decline).",
    input: z.object({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) }),
    output: z.object({ opened: z.boolean() }),
  }),
  openPath: command({
    // Only documents the index holds, and never a program: a compromised
    // renderer must not be able to run anything on disk through this.
    summary:
      "Open a local file Trove has indexed in the system's default app (NOT_FOUND for any other path). A file that would run as a program is shown in its folder instead (opened: false).",
    input: z.object({ path: AbsolutePath }),
    output: z.object({ opened: z.boolean() }),
  }),
  revealPath: command({
    // Reveal, not open: opening would let a compromised renderer run any
    // executable on disk; showing it in the file manager cannot.
    summary: 'Show a local file Trove has indexed in the system file manager (NOT_FOUND for any other path).',
    input: z.object({ path: AbsolutePath }),
    output: z.object({ revealed: z.boolean() }),
  }),
  quickSearchShortcutStatus: command({
    summary:
      'The quick-search shortcut the settings ask for, and whether the system gave it to Trove (false: another app holds it, or it is off).',
    input: z.object({}).strict(),
    output: z.object({ shortcut: z.string().nullable(), registered: z.boolean() }),
  }),
  hideQuickSearch: command({
    summary: 'Hide the quick-search window (its Esc, or after opening a result); false when it was not shown.',
    input: z.object({}).strict(),
    output: z.object({ hidden: z.boolean() }),
  }),
};
