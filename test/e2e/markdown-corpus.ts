/** A folder of realistic Markdown notes for end-to-end runs: varied length, headings, lists, code and tables. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const TOPICS = ['garden', 'kitchen', 'travel', 'finance', 'reading', 'health', 'projects', 'meetings', 'music', 'code'];
const WORDS =
  'the of and to a in is it you that he was for on are with as his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father'.split(
    ' ',
  );

/** Deterministic: file i always has the same text, so runs compare. */
function note(i: number): string {
  let seed = i * 2654435761;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  const sentence = () => {
    const n = 8 + (next() % 14);
    const words = Array.from({ length: n }, () => WORDS[next() % WORDS.length]);
    return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
  const paragraph = () => Array.from({ length: 2 + (next() % 5) }, sentence).join(' ');
  const topic = TOPICS[i % TOPICS.length]!;
  const parts = [`# ${topic[0]!.toUpperCase()}${topic.slice(1)} note ${i}`, '', paragraph(), ''];
  const sections = 1 + (next() % 4);
  for (let s = 0; s < sections; s++) {
    parts.push(`## Section ${s + 1}`, '', paragraph(), '');
    if (next() % 3 === 0) parts.push(...Array.from({ length: 3 + (next() % 4) }, () => `- ${sentence()}`), '');
    if (next() % 5 === 0) parts.push('```ts', `const total${s} = items.reduce((a, b) => a + b, ${s});`, '```', '');
    if (next() % 7 === 0) parts.push('| item | amount |', '| --- | --- |', `| ${topic} | ${next() % 100} |`, '');
  }
  return parts.join('\n');
}

/** Writes `count` notes under `dir`, ten topic folders deep enough to look like a real notes folder. */
export async function writeMarkdownCorpus(dir: string, count: number): Promise<void> {
  for (const topic of TOPICS) await mkdir(path.join(dir, topic), { recursive: true });
  const writes: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    writes.push(writeFile(path.join(dir, topic, `note-${String(i).padStart(5, '0')}.md`), note(i)));
    if (writes.length >= 200) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}
