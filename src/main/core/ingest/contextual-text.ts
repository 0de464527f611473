import type { ChunkDraft } from './types';

/**
 * The text to embed for a chunk: the document title and heading path, then
 * the chunk's own text. A passage like "Run the installer" means little on
 * its own; under "Trove Guide > Install > Linux" it is findable. The stored
 * `chunk_text` stays the raw slice; only the embedding sees this.
 */
export function contextualText(title: string, chunk: Pick<ChunkDraft, 'headingPath' | 'text'>): string {
  const trail = [...chunk.headingPath];
  // Documents often repeat their title as the first heading.
  if (trail[0] !== undefined && trail[0].trim().toLowerCase() === title.trim().toLowerCase()) trail.shift();
  const header = [title.trim(), trail.join(' > ')].filter((part) => part !== '').join('\n');
  return header === '' ? chunk.text : `${header}\n\n${chunk.text}`;
}
