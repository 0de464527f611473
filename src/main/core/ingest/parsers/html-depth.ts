/**
 * Whether an HTML page nests its elements deeper than `limit`, told from its
 * tags before anything parses it. The DOM parser and turndown both walk the
 * tree recursively or re-scan the open elements at every tag: a 500 KB page
 * of 50,000 nested divs held a parser thread for 20 to 190 seconds and then
 * overflowed the stack, while real pages nest a few dozen levels at most
 * (13 across the Node.js, Rust and Debian manuals on this machine).
 *
 * An estimate that errs shallow: void elements, elements whose end tag may
 * be left out (`<p>`, `<li>`, `<td>`...) and self-closed ones open no level,
 * and the text of `<script>`, `<style>` and the like is not read for tags
 * (a `<` inside an attribute value, which pages rarely write, may be).
 * Linear in the page's length, whatever it holds.
 */
export function nestsDeeperThan(html: string, limit: number): boolean {
  // [^<>]: an attribute scan stops at the next "<", so "<a <a <a..." with no ">" stays linear.
  const tag = /<(\/?)([a-zA-Z][\w:-]*)\b[^<>]*?(\/?)>/g;
  let depth = 0;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    const name = (match[2] as string).toLowerCase();
    if (match[1]) {
      if (!OPENS_NO_LEVEL.has(name) && depth > 0) depth--;
      continue;
    }
    const rawEnd = RAW_TEXT_ENDS.get(name);
    if (rawEnd) {
      rawEnd.lastIndex = tag.lastIndex;
      if (!rawEnd.test(html)) return false;
      tag.lastIndex = rawEnd.lastIndex;
      continue;
    }
    if (OPENS_NO_LEVEL.has(name) || match[3]) continue;
    if (++depth > limit) return true;
  }
  return false;
}

// prettier-ignore
const OPENS_NO_LEVEL = new Set([
  // void elements
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'param', 'keygen', 'basefont', 'bgsound', 'frame',
  // end tag optional: closed by the next of their kind
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'colgroup',
  'rt', 'rp', 'caption', 'html', 'head', 'body',
]);

/** Elements whose content is text, not tags, each with the search for its end tag. */
const RAW_TEXT_ENDS = new Map(
  ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'].map((name) => [
    name,
    new RegExp(`</${name}\\b[^>]*>`, 'gi'),
  ]),
);
