import mammoth from 'mammoth';
import { ParseFailure, shortParserReason } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { htmlToMarkdown } from './html';

/**
 * DOCX through mammoth to semantic HTML (Heading 1..6 styles become h1..h6,
 * lists and tables survive), then to Markdown like any HTML page.
 */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Pictures would arrive as base64 data URIs: drop them, keep alt text.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    throw new ParseFailure('corrupt', `The file could not be read as a Word document: ${shortParserReason(error)}`, {
      cause: error,
    });
  }
  const text = htmlToMarkdown(html);
  const title = /^#\s+(.+)$/m.exec(text.slice(0, 4000))?.[1]?.trim();
  return title ? { text, format: 'markdown', title } : { text, format: 'markdown' };
}
