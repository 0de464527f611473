import { classifyAndChunk, contextualText, parseContent } from '../../src/main/core/ingest';
import { markdownFiles } from './ingest-corpus';

/**
 * `count` texts exactly as Trove embeds them during an ingest: Markdown notes
 * from the ingest benchmark's generator (same average size, 5 KB), parsed,
 * classified and chunked by Trove's own code, each chunk prefixed with its
 * document title and heading path (contextualText). Deterministic. Lengths
 * vary as real chunks do: a short last chunk per section, full ones between.
 */
export async function markdownChunkTexts(count: number): Promise<string[]> {
  const texts: string[] = [];
  // Far more files than needed; the generator stops being read once there are enough chunks.
  for (const file of markdownFiles(count, count * 5_000, 11)) {
    const parsed = await parseContent({ kind: 'text', text: file.text, mimeType: 'text/markdown' });
    const { chunks } = classifyAndChunk({ parsed, hints: { fileName: file.name } });
    const title = parsed.title ?? file.name;
    for (const chunk of chunks) {
      texts.push(contextualText(title, chunk));
      if (texts.length === count) return texts;
    }
  }
  return texts;
}
