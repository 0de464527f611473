/**
 * Module-resolution hooks for running the built main bundle under plain
 * Node: `electron` resolves to the stand-in next to this file, and every
 * package the bundle itself imports (from out/main, worker threads included)
 * is appended to TROVE_STANDIN_RESOLVE_LOG, so the test can check that each
 * one ships with the packaged app.
 */
import { appendFileSync } from 'node:fs';

const STAND_IN = new URL('./electron.mjs', import.meta.url).href;
const LOG = process.env.TROVE_STANDIN_RESOLVE_LOG;

const isPackageSpecifier = (specifier) => !/^(node:|file:|data:|\.{0,2}\/)/.test(specifier);

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: STAND_IN, shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  if (LOG && isPackageSpecifier(specifier) && context.parentURL?.includes('/out/main/')) {
    appendFileSync(LOG, `${JSON.stringify({ specifier, parent: context.parentURL, url: resolved.url })}\n`);
  }
  return resolved;
}
