// Module hooks: `better-sqlite3` resolves to the capped wrapper, except from the wrapper itself.
const WRAPPER = new URL('./capped-database.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3' && context.parentURL !== WRAPPER) return { url: WRAPPER, shortCircuit: true };
  return next(specifier, context);
}
