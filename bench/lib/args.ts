/** `--name=value` and bare `--flag` (value 'true') command-line options of a benchmark. */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  return new Map(
    argv.map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k!, v ?? 'true'] as const;
    }),
  );
}

/** The library sizes of a speed benchmark: `--sizes=100000,1000000` (the default). */
export function sizesArg(args: Map<string, string>): number[] {
  return (args.get('sizes') ?? '100000,1000000').split(',').map((s) => Number.parseInt(s, 10));
}

/** The embedding models a benchmark can run without a download (bench/lib/bench-model.ts). */
export const BENCH_MODELS = ['tiny', 'standin', 'standin-12'] as const;
export type BenchModelChoice = (typeof BENCH_MODELS)[number];

/** `--model=tiny|standin|standin-12`, or `fallback`; exits with a message on anything else. */
export function modelArg(args: Map<string, string>, fallback: BenchModelChoice): BenchModelChoice {
  const value = args.get('model') ?? fallback;
  if ((BENCH_MODELS as readonly string[]).includes(value)) return value as BenchModelChoice;
  console.error(`Unknown --model=${value}: use ${BENCH_MODELS.join(', ')}.`);
  process.exit(2);
}
