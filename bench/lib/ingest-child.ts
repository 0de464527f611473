/**
 * The measured child of bench:ingest: ingests one folder with a core whose
 * model comes from the parent's fake hub, and prints the result as one JSON
 * line. Bundled by the parent (bundle-app-run.ts), so it runs as the app
 * does, under plain Node; it imports no model generator (the parent serves
 * the model).
 */
import { benchArgs } from './args';
import { INGEST_RESULT_PREFIX, runIngest } from './ingest-run';

const args = benchArgs();
const need = (name: string): string => {
  const value = args.get(name);
  if (!value) throw new Error(`ingest-child: --${name}=... is required`);
  return value;
};
const result = await runIngest(need('corpus'), need('folder'), need('data-dir'), need('hub'), need('model-id'));
process.stdout.write(`${INGEST_RESULT_PREFIX}${JSON.stringify(result)}\n`);
// The embedding worker is unref'd, but be explicit: the measurement is done.
process.exit(0);
