/**
 * `table[key]` for a key that comes from outside (a file's name or
 * extension, a namespace, a directive's name): only the table's own
 * entries. A plain object also answers "constructor" and "__proto__" from
 * its prototype, so a file named `constructor` was read as a lock file
 * "written by function Object()".
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
