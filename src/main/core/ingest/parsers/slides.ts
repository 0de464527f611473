import type { ParsedDocument } from '../types';
import { MarkdownWriter } from './markdown-writer';

/** One slide as PPTX and ODP readers find it. */
export interface Slide {
  /** The title placeholder's text, or '' when the slide has none. */
  title: string;
  /** Writes the slide's other text (text boxes, tables) in order. */
  write(out: MarkdownWriter): void;
  /** Speaker notes, or ''. */
  notes: string;
}

/**
 * A presentation as Markdown: one section per slide, headed by its title
 * (or "Slide N"), with its speaker notes last; each slide starts a page
 * numbered like the slide, so a chunk says which slide it came from.
 */
export function slidesDocument(slides: Slide[], what: string, maxChars: number): ParsedDocument {
  const out = new MarkdownWriter(what, maxChars);
  slides.forEach((slide, i) => {
    out.startPage(i + 1);
    out.heading(1, slide.title || `Slide ${i + 1}`);
    slide.write(out);
    const notes = slide.notes.trim();
    if (notes !== '') out.paragraph(`Speaker notes: ${notes}`);
  });
  return { ...out.result(), pageUnit: 'slide' };
}

/** The presentation's title: the one its properties declare, else its first slide's. */
export function presentationTitle(declared: string | undefined, slides: Slide[]): string | undefined {
  return declared || slides.find((slide) => slide.title !== '')?.title || undefined;
}
