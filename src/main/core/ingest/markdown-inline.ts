/**
 * Inline Markdown read as text, shared by what shows a document's words:
 * headings (heading-text.ts) and result snippets (search/snippet-text.ts).
 * Each step works on one line or one heading; code spans are the caller's
 * business (a snippet keeps them as code, a heading keeps only their text).
 */

/** A link's or image's address in parentheses, with one level of parentheses inside it. */
const LINK_TARGET = String.raw`\((?:[^()]|\([^)]*\))*\)`;
/** Where a link or image points: an address in parentheses, or a reference (`[travis-url]`). */
const TARGET = String.raw`(?:${LINK_TARGET}|\[[^\]]*\])`;
/** `![alt](src)` or `![alt][ref]`; the alt text is the first group. */
export const MARKDOWN_IMAGE = new RegExp(String.raw`!\[([^\]]*)\]${TARGET}`, 'g');
/**
 * An image that is a link, `[![alt](src)](href)`, `[![alt][img]][url]` or
 * `[<img …>](href)`: in READMEs, a badge.
 */
export const LINKED_IMAGE = new RegExp(String.raw`\[\s*(?:!\[[^\]]*\]${TARGET}|<img\b[^<>]*>)\s*\]${TARGET}`, 'gi');

/** `[[Page]]`, `[[Page|shown]]`; with a `!` before it, the same embedded. */
const WIKI_LINK = /(!?)\[\[([^[\]|]+)(?:\|([^[\]]+))?\]\]/g;
/** A file embedded as itself: a picture, a recording, a PDF. */
const EMBEDDED_MEDIA = /\.(?:png|jpe?g|gif|svg|webp|bmp|avif|tiff?|pdf|mp3|wav|ogg|m4a|flac|mp4|webm|mov|mkv)$/i;

/** A wiki link's target as Obsidian shows it: "Page#Section" as "Page › Section", a block id (`^ab12`) dropped. */
function wikiTarget(target: string): string {
  return target
    .replace(/#\^[\w-]+$/, '')
    .split('#')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' › ');
}

const INLINE_LINK = new RegExp(String.raw`\[([^\]]+)\]${LINK_TARGET}`, 'g');
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * Inline links, reference links and autolinks as the words a reader sees;
 * also the links of wikis and AsciiDoc, which Markdown shows as they are
 * written: `[[Page]]` and `[[Page|shown]]` (Obsidian, wikis; an AsciiDoc
 * anchor `[[id]]` reads as its id; `[[Page#Section]]` as "Page › Section",
 * as Obsidian shows it), Obsidian's embeds `![[Page]]` as the page's name and
 * `![[diagram.png]]` as nothing (a picture, not words), `linkgit:git-log[1]`
 * (Git's manuals) as `git-log(1)`, `link:page.html[text]` and
 * `https://x.org[text]` as their text, `<<id,text>>` as its text.
 */
export function linksAsText(text: string): string {
  return text
    .replace(WIKI_LINK, (_, embed: string, target: string, shown?: string) =>
      embed && EMBEDDED_MEDIA.test(target.trim()) ? ' ' : (shown ?? wikiTarget(target)),
    )
    .replace(/\blinkgit:([\w.-]+)\[(\w+)\]/g, '$1($2)')
    .replace(/\b(?:link:|(?=(?:https?|ftp|mailto):))([^\s[\]<>]+)\[([^\]]*)\]/g, (_, target: string, shown: string) =>
      shown.trim() === '' ? target : shown,
    )
    .replace(/<<([\w:.-]+)(?:,\s*([^<>]+))?>>/g, (_, id: string, shown?: string) => shown ?? id)
    .replace(INLINE_LINK, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|ftp|mailto):[^>\s]+)>/gi, '$1');
}

/**
 * Emphasis, strike and highlight (`==text==`, Obsidian's and other editors') marks removed; underscores only at
 * word edges (CommonMark), so snake_case and a__b__c stay; escaped marks inside (`_capture\_output_`, as turndown
 * writes a Sphinx parameter) are part of the text.
 */
export function withoutEmphasis(text: string): string {
  return text
    .replace(/(^|[^=\w])==(?=[^\s=])([^=\n]+?)(?<=[^\s=])==(?![=\w])/g, '$1$2')
    .replace(/(\*\*\*|\*\*|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)/g, '$1$2')
    .replace(/(^|[^\w*\\])\*(?=\S)((?:\\\*|[^*\n])+?)(?<=[^\s\\])\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w\\])_(?=\S)((?:\\_|[^_\n])+?)(?<=[^\s\\])_(?!\w)/g, '$1$2');
}

/** The HTML entities people write in Markdown, as characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/**
 * Backslash escapes of ASCII punctuation (CommonMark allows any), as the
 * characters they escape: turndown escapes each HTML text node on its own,
 * so Sphinx's `<span class="o">=</span>` came out as `stdin\=None`.
 */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/**
 * reStructuredText's interpreted text, as Sphinx shows it: a role that names
 * code (`:func:`, `:class:`, `:mod:`, `:py:meth:`...) as a code span, one that
 * names prose (`:ref:`, `:doc:`, `:term:`, `:pep:`...) as its words. A target
 * in angle brackets gives way to its title (`:ref:`Sorting <sortinghowto>``),
 * `~a.b.c` shows `c`, a leading `!` goes, `:pep:`8`` reads "PEP 8". MyST, the
 * Markdown that Sphinx and Jupyter Book read, writes the same roles in braces
 * (`{ref}`the tutorial <tut>``, `{py:func}`run``).
 */
const ROLE = /(?::((?:[\w.+-]+:)*[\w.+-]+):|\{((?:[\w.+-]+:)*[\w.+-]+)\})`([^`]+)`/g;
const PROSE_ROLES =
  /(^|:)(ref|doc|term|pep|rfc|abbr|dfn|emphasis|strong|title-reference|menuselection|guilabel|index|numref|download)$/;
/** `` `Python <https://python.org>`_ `` and `` `section title`_ ``: a hyperlink reads as its text. */
const RST_LINK_WITH_TARGET = /`([^`<]+?)\s*<[^<>`]+>`__?(?!\w)/g;
const RST_LINK = /`([^`]+)`__?(?!\w)/g;

/** reStructuredText roles and hyperlinks as the text a reader sees (see ROLE). */
export function rstRolesAsText(text: string): string {
  if (!text.includes('`')) return text;
  return text
    .replace(ROLE, (_, rstRole: string | undefined, mystRole: string | undefined, body: string) => {
      const role = (rstRole ?? mystRole)!;
      const shown = roleText(body);
      // `:pep:`405`` reads "PEP 405", as Sphinx writes it; a titled one (`:pep:`the PEP <405>``) its title.
      const numbered = /(^|:)(pep|rfc)$/.exec(role);
      if (numbered && /^\d+(#.*)?$/.test(shown)) return `${numbered[2]!.toUpperCase()} ${shown.replace(/#.*/, '')}`;
      return PROSE_ROLES.test(role) ? shown : `\`${shown}\``;
    })
    .replace(RST_LINK_WITH_TARGET, '$1')
    .replace(RST_LINK, '$1');
}

function roleText(body: string): string {
  const titled = /^([\s\S]*?)\s*<[^<>]+>$/.exec(body);
  if (titled?.[1]) return titled[1];
  const name = body.replace(/^!/, '');
  return name.startsWith('~') ? (name.slice(1).split('.').pop() ?? name) : name;
}
