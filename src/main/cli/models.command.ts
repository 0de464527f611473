import type { Command } from 'commander';
import { LOCAL_MODELS } from '../core/embeddings/manifests';
import { secretAccounts } from '../core/secrets/secret-store';
import { withCore, type GlobalOptions } from './context';
import { terminalSafe } from './terminal-text';

/** `trove models`: list, download and choose the embedding model. */
export function registerModelCommands(program: Command, globals: () => GlobalOptions): void {
  const models = program.command('models').description('embedding models: list, download, choose');

  models
    .command('list', { isDefault: true })
    .description('local models and their download state')
    .action(async () => {
      await withCore(globals(), { background: false }, async (core) => {
        const config = core.embeddings.config();
        const { listLocalModels } = await import('../core/services/embedding.service');
        const list = await listLocalModels(core.models, LOCAL_MODELS);
        for (const { manifest, status } of list) {
          const chosen = config.provider === 'local' && config.modelId === manifest.id ? '*' : ' ';
          console.log(`${chosen} ${manifest.id.padEnd(40)} ${status.padEnd(10)} ${manifest.displayName}`);
        }
        if (config.provider === 'gemini') console.log(`* gemini ${config.model} (${config.dimensions} dimensions)`);
      });
    });

  models
    .command('download <id>')
    .description('download a local model once (then search by meaning works offline)')
    .action(async (id: string) => {
      await withCore(globals(), { background: false }, async (core) => {
        let last = 0;
        await core.embeddings.download(id, (p) => {
          if (Date.now() - last < 200) return;
          last = Date.now();
          const total = p.totalBytes ? ` of ${(p.totalBytes / 1e6).toFixed(1)} MB` : '';
          process.stderr.write(`\r\x1b[2K${terminalSafe(p.file)}: ${(p.receivedBytes / 1e6).toFixed(1)} MB${total}`);
        });
        process.stderr.write('\n');
        console.log(`${terminalSafe(id)} is downloaded and verified.`);
      });
    });

  models
    .command('use <id>')
    .description('use a local model (by id) or "gemini" for embeddings; existing chunks are re-embedded')
    .option('--dimensions <n>', 'Gemini output dimensions (default: the size Trove recommends)', (v) => parseInt(v, 10))
    .action(async (id: string, opts: { dimensions?: number }) => {
      await withCore(globals(), {}, async (core) => {
        if (id === 'gemini') {
          const { DEFAULT_GEMINI } = await import('../core/services/embedding.service');
          if (!(await core.secrets.get(secretAccounts.geminiApiKey()))) {
            console.log('Store a Gemini API key first: `trove gemini-key` (it goes to the system keychain).');
          }
          await core.embeddings.configure({
            provider: 'gemini',
            model: DEFAULT_GEMINI.model,
            dimensions: opts.dimensions ?? DEFAULT_GEMINI.dimensions,
          });
        } else {
          await core.embeddings.configure({ provider: 'local', modelId: id });
        }
        const state = core.embeddings.state();
        console.log(
          terminalSafe(`Embeddings: ${id} (${state.status}${state.error ? `: ${state.error.message}` : ''}).`),
        );
        if (state.status === 'ready') await core.idle({ types: ['embed_backlog'] });
      });
    });
}
