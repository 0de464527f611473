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
