import type { BlockObjectResponse, RichTextItemResponse } from '@notionhq/client';

/** A block with its (already fetched) children, in page order. */
export interface BlockNode {
  block: BlockObjectResponse;
  children: BlockNode[];
}

/** Rich text to inline Markdown: bold, italic, strikethrough, code and links survive. */
export function richTextToMarkdown(items: RichTextItemResponse[]): string {
  return items
    .map((item) => {
      let text = item.type === 'equation' ? `$${item.equation.expression}$` : item.plain_text;
      if (text.trim() === '') return text;
      const a = item.annotations;
      if (a.code) text = `\`${text}\``;
      if (a.bold) text = `**${text}**`;
      if (a.italic) text = `_${text}_`;
      if (a.strikethrough) text = `~~${text}~~`;
      if (item.href) text = `[${text}](${item.href})`;
      return text;
    })
    .join('');
}

export function plainText(items: RichTextItemResponse[]): string {
  return items.map((item) => item.plain_text).join('');
}

/** The public URL of a page or database from its id. */
export function notionUrl(id: string): string {
  return `https://www.notion.so/${id.replace(/-/g, '')}`;
}

/**
 * Renders a block tree as Markdown. Lists nest by indentation, numbered
 * lists count within a run of siblings, tables become pipe tables, child
 * pages and databases become links (they are indexed as their own documents).
 */
export function blocksToMarkdown(nodes: BlockNode[]): string {
  return renderSiblings(nodes)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function renderSiblings(nodes: BlockNode[]): string[] {
  const lines: string[] = [];
  let number = 0;
  let previousType: string | undefined;
  for (const node of nodes) {
    const type = node.block.type;
    number = type === 'numbered_list_item' ? (previousType === 'numbered_list_item' ? number + 1 : 1) : 0;
    const isListItem = type === 'bulleted_list_item' || type === 'numbered_list_item' || type === 'to_do';
    const wasListItem =
      previousType === 'bulleted_list_item' || previousType === 'numbered_list_item' || previousType === 'to_do';
    // Blank line between blocks, but list items of one list stay together.
    if (lines.length > 0 && !(isListItem && wasListItem)) lines.push('');
    lines.push(...renderBlock(node, number));
    previousType = type;
  }
  return lines;
}

function indent(lines: string[], by: string): string[] {
  return lines.map((line) => (line === '' ? '' : by + line));
}

function renderBlock(node: BlockNode, number: number): string[] {
  const b = node.block;
  const children = (): string[] => renderSiblings(node.children);
  switch (b.type) {
    case 'paragraph':
      return [richTextToMarkdown(b.paragraph.rich_text), ...indent(children(), '  ')].filter(
        (l, i) => i > 0 || l !== '',
      );
    case 'heading_1':
      return [`# ${richTextToMarkdown(b.heading_1.rich_text)}`, '', ...children()];
    case 'heading_2':
      return [`## ${richTextToMarkdown(b.heading_2.rich_text)}`, '', ...children()];
    case 'heading_3':
      return [`### ${richTextToMarkdown(b.heading_3.rich_text)}`, '', ...children()];
    case 'heading_4':
      return [`#### ${richTextToMarkdown(b.heading_4.rich_text)}`, '', ...children()];
    case 'bulleted_list_item':
      return [`- ${richTextToMarkdown(b.bulleted_list_item.rich_text)}`, ...indent(children(), '  ')];
    case 'numbered_list_item':
      return [`${number}. ${richTextToMarkdown(b.numbered_list_item.rich_text)}`, ...indent(children(), '   ')];
    case 'to_do':
      return [
        `- [${b.to_do.checked ? 'x' : ' '}] ${richTextToMarkdown(b.to_do.rich_text)}`,
        ...indent(children(), '  '),
      ];
    case 'toggle':
      return [`- ${richTextToMarkdown(b.toggle.rich_text)}`, ...indent(children(), '  ')];
    case 'quote':
      return [richTextToMarkdown(b.quote.rich_text), ...children()]
        .join('\n')
        .split('\n')
        .map((l) => `> ${l}`.trimEnd());
    case 'callout': {
      const icon = b.callout.icon?.type === 'emoji' ? `${b.callout.icon.emoji} ` : '';
      return [`${icon}${richTextToMarkdown(b.callout.rich_text)}`, ...children()]
        .join('\n')
        .split('\n')
        .map((l) => `> ${l}`.trimEnd());
    }
    case 'code': {
      const language = b.code.language === 'plain text' ? '' : b.code.language.replace(/\s+/g, '');
      const caption = plainText(b.code.caption);
      return ['```' + language, plainText(b.code.rich_text), '```', ...(caption ? [`_${caption}_`] : [])];
    }
    case 'equation':
      return ['$$', b.equation.expression, '$$'];
    case 'divider':
      return ['---'];
    case 'table':
      return renderTable(node);
    case 'child_page':
      return [`[${b.child_page.title || 'Untitled'}](${notionUrl(b.id)})`];
    case 'child_database':
      return [`[Database: ${b.child_database.title || 'Untitled'}](${notionUrl(b.id)})`];
    case 'link_to_page': {
      const target = b.link_to_page;
      const id =
        target.type === 'page_id' ? target.page_id : target.type === 'database_id' ? target.database_id : undefined;
      return id ? [`[Linked page](${notionUrl(id)})`] : [];
    }
    case 'bookmark':
      return [`[${plainText(b.bookmark.caption) || b.bookmark.url}](${b.bookmark.url})`];
    case 'embed':
      return [`[${plainText(b.embed.caption) || b.embed.url}](${b.embed.url})`];
    case 'link_preview':
      return [`[${b.link_preview.url}](${b.link_preview.url})`];
    case 'image':
    case 'video':
    case 'pdf':
    case 'file':
    case 'audio': {
      const media = mediaOf(b);
      const caption = plainText(media.caption);
      // Notion-hosted file URLs are signed and expire within an hour; keep only stable links.
      if (media.type === 'external') return [`[${caption || b.type}](${media.external.url})`];
      return caption ? [`[${b.type}: ${caption}]`] : [];
    }
    case 'column_list':
    case 'column':
    case 'synced_block':
    case 'tab':
      return children();
    default:
      // table_of_contents, breadcrumb, template, meeting notes, unsupported: nothing to index.
      return [];
  }
}

type MediaBlock = Extract<BlockObjectResponse, { type: 'image' | 'video' | 'pdf' | 'file' | 'audio' }>;
type Media = MediaBlock extends infer B ? (B extends { type: infer T extends string } ? B[T & keyof B] : never) : never;

function mediaOf(block: MediaBlock): Extract<Media, { caption: RichTextItemResponse[] }> {
  switch (block.type) {
    case 'image':
      return block.image;
    case 'video':
      return block.video;
    case 'pdf':
      return block.pdf;
    case 'file':
      return block.file;
    case 'audio':
      return block.audio;
  }
}

function renderTable(node: BlockNode): string[] {
  const rows = node.children
    .map((child) => child.block)
    .filter((block): block is Extract<BlockObjectResponse, { type: 'table_row' }> => block.type === 'table_row')
    .map((row) =>
      row.table_row.cells.map((cell) => richTextToMarkdown(cell).replace(/\|/g, '\\|').replace(/\n/g, ' ')),
    );
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header!), `| ${Array.from({ length: width }, () => '---').join(' | ')} |`, ...body.map(line)];
}
