/**
 * Signs that text whose format does not say its markup is AsciiDoc: a list
 * continuation (`+`) attaching a delimited block, a block's style line, a
 * preprocessor directive, or Git's `linkgit:` macro. Git's manuals are
 * AsciiDoc in `.txt` files. Read by the chunker for a whole document and by
 * snippets for one chunk (search/asciidoc-blocks.ts).
 */
const SIGNS =
  /^\+\n(?:-{4,}|\.{4,})$|^\[(?:source|listing|literal|verse|quote|NOTE|TIP|IMPORTANT|WARNING|CAUTION)(?:,[^\]\n]*)?\]$|^(?:ifn?def|ifeval|endif|include)::|\blinkgit:[\w-]+\[/m;

export function looksLikeAsciidoc(text: string): boolean {
  return SIGNS.test(text);
}
