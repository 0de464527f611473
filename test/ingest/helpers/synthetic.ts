/** Deterministic synthetic documents for chunker tests and throughput checks. */

const TOPICS = [
  'install',
  'network',
  'storage',
  'billing',
  'search',
  'backup',
  'security',
  'logging',
  'sync',
  'import',
];
const VERBS = ['configures', 'checks', 'retries', 'records', 'compresses', 'validates', 'schedules', 'streams'];
const NOUNS = [
  'the cache',
  'each request',
  'the index',
  'old snapshots',
  'user settings',
  'the queue',
  'large files',
  'the token',
];

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length] as T;
}

/** A prose paragraph about `topic`, around `sentences` sentences long. */
export function paragraph(topic: string, sentences: number, seed = 0): string {
  return Array.from(
    { length: sentences },
    (_, i) =>
      `The ${topic} module ${pick(VERBS, seed + i)} ${pick(NOUNS, seed * 3 + i)} before step ${i + 1} finishes.`,
  ).join(' ');
}

/** A ~`targetChars` Markdown document with headings, paragraphs, a list, a table and a code fence. */
export function syntheticMarkdown(seed: number, targetChars = 5000): string {
  const parts: string[] = [`# Document ${seed}`, paragraph(pick(TOPICS, seed), 3, seed)];
  let section = 0;
  while (parts.join('\n\n').length < targetChars) {
    const topic = pick(TOPICS, seed + section);
    parts.push(
      `## ${topic} notes ${section}`,
      paragraph(topic, 5, seed + section),
      paragraph(topic, 4, seed + section + 1),
    );
    if (section % 3 === 1) parts.push(['- first item', '- second item', '- third item'].join('\n'));
    if (section % 4 === 2) parts.push(['| key | value |', '| --- | --- |', `| ${topic} | ${seed} |`].join('\n'));
    if (section % 5 === 3) parts.push(['```ts', `export const ${topic}Limit = ${seed};`, '```'].join('\n'));
    section++;
  }
  return parts.join('\n\n') + '\n';
}
