/**
 * Counts as people read them, one formatter for the UI, the CLI and the
 * core's progress messages: "1 file", "2 files", "4,613 documents". One
 * locale everywhere, so tests and screenshots read the same.
 */

/** 4613 → "4,613". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** (1, 'file') → "1 file"; (2, 'file') → "2 files"; irregular plurals are given. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : pluralWord}`;
}
