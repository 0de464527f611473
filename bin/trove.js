#!/usr/bin/env node
// The `trove` command. Runs the bundle built by scripts/build-cli.js
// (out/cli/trove.js, made at `npm install`) while it is up to date with the
// sources it was built from; otherwise (a checkout without the build, or a
// source file edited since) the TypeScript CLI through tsx, which is slower to
// start but always current.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}out/cli/trove.js`;

function bundleIsCurrent() {
  if (process.env.TROVE_CLI_FROM_SOURCE === '1') return false;
  try {
    const builtAt = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(`${root}out/cli/inputs.json`, 'utf8'));
    // A deleted or edited source makes the bundle stale (statSync throws / is newer).
    return inputs.every((file) => statSync(root + file).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

if (bundleIsCurrent()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main/cli.ts');
}
