/**
 * Makes XML that was cut off mid-way well-formed again, keeping everything
 * before the cut: the part of a document a download or copy got through
 * (a Word document's body, a chapter of an e-book) reads up to where it
 * stops instead of failing as malformed.
 *
 * A tag, comment, entity or processing instruction the cut went through is
 * dropped, a CDATA section is closed, and the elements still open are closed
 * in reverse order. Input that was not cut comes back unchanged.
 */
export function closeCutXml(text: string): string {
  const open: string[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('<', at);
    if (start < 0) break;
    if (text.startsWith('<!--', start)) {
      const end = text.indexOf('-->', start + 4);
      if (end < 0) return closeAll(text.slice(0, start), open);
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', start)) {
      const end = text.indexOf(']]>', start + 9);
      if (end < 0) return closeAll(`${text}]]>`, open);
      at = end + 3;
    } else if (text.startsWith('<?', start) || text.startsWith('<!', start)) {
      const end = text.indexOf('>', start);
      if (end < 0) return closeAll(text.slice(0, start), open);
      at = end + 1;
    } else {
      const tag = TAG.exec(text.slice(start, start + MAX_TAG));
      if (!tag) return closeAll(text.slice(0, start), open); // not a whole tag: the cut went through it
      const [whole, closing, name, selfClosing] = tag;
      if (closing) {
        const index = open.lastIndexOf(name!);
        if (index >= 0) open.length = index;
      } else if (!selfClosing) {
        open.push(name!);
      }
      at = start + whole.length;
    }
  }
  return closeAll(text.replace(/&[#\w]*$/, ''), open); // and an entity the cut went through
}

/** A start, end or empty-element tag; attribute values may hold `>`. */
const TAG = /^<(\/?)([^\s/>!?]+)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/;
/** Longer than any tag a document holds (a run's properties, an image's attributes). */
const MAX_TAG = 64 * 1024;

function closeAll(text: string, open: string[]): string {
  return (
    text +
    open
      .reverse()
      .map((name) => `</${name}>`)
      .join('')
  );
}
