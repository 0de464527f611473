import { Option } from 'commander';
import { DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES } from '../shared/file-size-limit';
import { AppError, toAppError } from '../shared/errors';
import { causeChain, isStorageFault } from '../shared/storage-errors';
import { DataArgumentsCommand } from './cli/arguments';
import { commandSummary } from './cli/command-summary';
import { createCliLogger, printJson, resolveDataDir, withCore, type GlobalOptions } from './cli/context';
import { appVersion } from './cli/package-info';
import type { followUntilIdle } from './cli/progress';
import { registerProviderCommands } from './cli/providers.command';
import { formatSearch, formatSimilar } from './cli/search.command';
import { registerModelCommands } from './cli/models.command';
import { terminalSafe, terminalSafeLines } from './cli/terminal-text';

// Only what every command needs is imported above. The core (SQLite, the
// connectors, the models, the parsers) loads when a command's action runs
// (withCore imports it), so `trove --version` and `trove --help` start in a
// few tens of milliseconds.
const connectorsCommand = () => import('./cli/connectors.command');

// `Done:` counts what was indexed from here on (commandSummary): one command per process.
const commandStartedAt = Date.now();

// Walking and hashing thousands of files is bound by libuv's thread pool.
process.env.UV_THREADPOOL_SIZE ??= '8';

const program = new DataArgumentsCommand();
program
  .name('trove')
  .description('Trove: index your documents into one local SQLite file and search them offline.')
  .option('--data-dir <dir>', 'data folder (default: TROVE_DATA_DIR or the desktop app folder)')
  .version(appVersion(), '-V, --version', 'print the version')
  .option('-v, --verbose', 'log debug details, and where an error came from, to stderr')
  // A usage error quotes what was typed, which may be a file name.
  .configureOutput({ outputError: (text, write) => write(terminalSafeLines(text)) })
  .addHelpText(
    'afterAll',
    `
Queries, paths and names are text even when they start with '-':
  trove search "-draft"    trove import -notes.md
Only -v, -h and words starting with '--' are read as options.
After --, everything is text: trove search -- --json`,
  )
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

program
  .command('status')
  .description('data folder, database size, schema version, document and chunk counts, queue state')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    const { collectStatus, formatStatus } = await import('./cli/status.command');
    await withCore(globals(), { background: false }, async (core) => {
      const report = await collectStatus(core);
      if (opts.json) printJson(report);
      else console.log(formatStatus(report));
    });
  });

program
  .command('connectors')
  .description('list connectors with their status and document counts')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    await withCore(globals(), { background: false }, async (core) => {
      const list = core.connectors.list();
      if (opts.json) return printJson(list);
      if (list.length === 0) return console.log('No connectors yet. Add one with `trove add-folder <dir>`.');
      for (const c of list) {
        const docs = Object.entries(c.documentCounts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        const last = c.lastSyncAt ? new Date(c.lastSyncAt).toISOString() : 'never';
        console.log(
          `${c.id}  ${c.type.padEnd(12)} ${c.status.padEnd(12)} ${terminalSafe(c.name)}  (last sync ${last}; ${docs || 'no documents'})`,
        );
        if (c.status === 'error' && c.lastError) console.log(`  ${terminalSafe(c.lastError)}`);
      }
    });
  });

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

program
  .command('add-folder <dir>')
  .usage('[options] [--] <dir>')
  .description('connect a local folder, sync it now and keep it indexed')
  .option('--name <name>', 'display name (default: the folder name)')
  .option('--include <glob>', 'only files matching this glob (repeatable)', collect)
  .option('--exclude <glob>', 'skip files matching this glob (repeatable; replaces the defaults)', collect)
  .addOption(
    new Option(
      '--max-size <MB>',
      `skip files larger than this (default: ${DEFAULT_LOCAL_MAX_FILE_SIZE_BYTES / 1024 / 1024})`,
    ).argParser(parseFloat),
  )
  .option('--no-gitignore', 'also index what the folder’s .gitignore files leave out')
  .option('--no-wait', 'queue the sync and return at once')
  .action(
    async (
      dir: string,
      opts: {
        name?: string;
        include?: string[];
        exclude?: string[];
        maxSize?: number;
        gitignore: boolean;
        wait: boolean;
      },
    ) => {
      const { addFolder } = await connectorsCommand();
      await withCore(globals(), {}, async (core) => {
        const { connector } = await addFolder(core, dir, { ...opts, maxSizeMb: opts.maxSize });
        console.log(`Added ${terminalSafe(connector.name)} (${connector.id}).`);
        if (opts.wait) await finish(core, 'Indexing');
      });
    },
  );

program
  .command('import <paths...>')
  .usage('[options] [--] <paths...>')
  .description('import files and folders once (identical content is stored once)')
  .option('--no-wait', 'queue the import and return at once')
  .action(async (paths: string[], opts: { wait: boolean }) => {
    const { importPaths } = await connectorsCommand();
    await withCore(globals(), {}, async (core) => {
      await importPaths(core, paths);
      if (opts.wait) await finish(core, 'Importing');
    });
  });

program
  .command('sync [connector]')
  .description('sync one connector (id or name), or every active one, and index what changed')
  .option('--full', 'list everything again instead of only changes')
  .action(async (idOrName: string | undefined, opts: { full?: boolean }) => {
    const { findConnector, syncConnector } = await connectorsCommand();
    await withCore(globals(), {}, async (core) => {
      const mode = opts.full ? 'full' : 'incremental';
      const targets = idOrName
        ? [findConnector(core, idOrName)]
        : core.repos.connectors.list().filter((c) => c.status !== 'paused');
      if (targets.length === 0) return console.log('Nothing to sync. Add a folder with `trove add-folder <dir>`.');
      for (const c of targets) await syncConnector(core, c.id, mode);
      await finish(core, 'Syncing');
    });
  });

program
  .command('search [query]')
  .usage('[options] [--] <query>  |  --like <documentId>')
  .description(
    'search by meaning and by keyword; the query understands "exact phrase", -word, title:, type:, in:<source>, after:/before:<date>',
  )
  .addOption(new Option('--mode <mode>', 'search mode').choices(['hybrid', 'keyword', 'semantic']).default('hybrid'))
  .addOption(new Option('--limit <n>', 'documents to show').argParser((v) => parseInt(v, 10)).default(10))
  .option('--like <documentId>', 'more like this: documents similar to this one (ids are in --json output)')
  .option('--json', 'machine-readable output')
  .action(
    async (
      query: string | undefined,
      opts: { mode: 'hybrid' | 'keyword' | 'semantic'; limit: number; like?: string; json?: boolean },
    ) => {
      if (opts.like === undefined && (query === undefined || query.trim() === '')) {
        throw new AppError(
          'VALIDATION',
          'Say what to search for, e.g. trove search "budget type:pdf", or use --like <documentId>.',
        );
      }
      if (opts.like !== undefined && query !== undefined) {
        throw new AppError('VALIDATION', 'Give either a query or --like <documentId>, not both.');
      }
      if (opts.mode === 'keyword' && opts.like === undefined) {
        // Keyword search needs neither the model nor the background machinery: the fast path.
        const { keywordSearchReadOnly } = await import('./cli/keyword-search');
        const request = { query: query!, limit: opts.limit };
        const found = await keywordSearchReadOnly(resolveDataDir(globals()), request, globals().verbose ?? false);
        if (found) return opts.json ? printJson(found) : console.log(formatSearch(found));
      }
      await withCore(globals(), { background: false }, async (core) => {
        await core.embeddings.reload();
        if (opts.like !== undefined) {
          const similar = await core.search.similar({ documentId: opts.like, limit: opts.limit });
          if (opts.json) printJson(similar);
          else console.log(formatSimilar(similar));
          return;
        }
        const result = await core.search.search({ query: query!, mode: opts.mode, limit: opts.limit });
        if (opts.json) printJson(result);
        else console.log(formatSearch(result));
      });
    },
  );

registerProviderCommands(program, globals);
registerModelCommands(program, globals);

program
  .command('serve')
  .description('browser mode: the desktop UI served on 127.0.0.1 with an access token')
  .addOption(new Option('--port <n>', 'port (default: a free one)').argParser((v) => parseInt(v, 10)))
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .action(async (opts: { port?: number; host: string }) => {
    const { runServe } = await import('./cli/serve.command');
    await runServe({ dataDir: resolveDataDir(globals()), verbose: globals().verbose, ...opts });
  });

program
  .command('mcp')
  .description(
    'Model Context Protocol server on stdio, for AI assistants: read-only search and documents (see docs/mcp.md)',
  )
  .addHelpText(
    'after',
    `
Tools: search, get_document, more_like_this, list_sources; documents as trove://document/<id> resources.
Read-only; runs beside the desktop app on the same data folder. --http prints its URL and token
(TROVE_MCP_TOKEN fixes the token). Add it to an assistant, e.g.:
  claude mcp add --scope user trove -- node <trove folder>/bin/trove.js mcp
  Claude Desktop, Cursor: "trove": { "command": "node", "args": ["<trove folder>/bin/trove.js", "mcp"] }`,
  )
  .option('--http', 'serve streamable HTTP on 127.0.0.1 (with an access token) instead of stdio')
  .addOption(new Option('--port <n>', 'port for --http (default: a free one)').argParser((v) => parseInt(v, 10)))
  .action(async (opts: { http?: boolean; port?: number }) => {
    const server = await import('./mcp/server');
    const settings = {
      dataDir: resolveDataDir(globals()),
      version: appVersion(),
      logger: createCliLogger(globals().verbose ? 'debug' : 'warn'),
    };
    if (opts.http) await server.runMcpHttp({ ...settings, port: opts.port, write: (line) => console.log(line) });
    else await server.runMcpStdio(settings);
  });

async function finish(core: Parameters<typeof followUntilIdle>[0], label: string): Promise<void> {
  const { followUntilIdle } = await import('./cli/progress');
  await core.embeddings.reload();
  const { failures } = await followUntilIdle(core, label);
  const documents = core.repos.documents;
  const summary = commandSummary({
    run: documents.outcomesSince(commandStartedAt),
    library: { counts: documents.countsByStatus(), chunks: documents.chunkCount() },
  });
  for (const line of summary) console.log(line);
  for (const reason of failures) console.log(`Failed: ${reason}`);
  // Files cut short are indexed, but only in part: say which, and what they lost, while a fresh copy can be
  // fetched. Those this command indexed, as Done counts them (earlier ones are in the app's problem list).
  const partial = documents.list({
    problems: true,
    statuses: ['completed'],
    indexedSince: commandStartedAt,
    sort: 'title',
    limit: 10,
  });
  for (const doc of partial.items) console.log(terminalSafe(`In part: ${doc.title}: ${String(doc.metadata.damage)}`));
  if (partial.total > partial.items.length)
    console.log(`And ${partial.total - partial.items.length} more read in part.`);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  const err = toAppError(error);
  // Messages quote paths and names, which may carry terminal escapes.
  console.error(`trove: ${terminalSafe(err.message)}`);
  if (isStorageFault(err)) {
    console.error('Nothing already indexed is lost: once writes work again, run `trove sync` to finish.');
  }
  // With -v, where it came from: the stack of the error underneath (an AppError wraps SQLite's, Node's).
  const underneath = deepestCause(error);
  if (globals().verbose && underneath.stack) console.error(terminalSafeLines(underneath.stack));
  process.exitCode = 1;
});

/** The innermost Error in `error`'s cause chain (itself when it wraps none). */
function deepestCause(error: unknown): { stack?: string } {
  return causeChain(error).findLast((e) => e instanceof Error) ?? {};
}
