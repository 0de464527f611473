import type { DomDocument, DomElement } from '@mixmark-io/domino';

/**
 * Makes every element of a page one the DOM can clone.
 *
 * The HTML parser keeps any tag name a browser keeps: a mail header pasted
 * into a page, "Joe Bloggs <joe@example.com>", opens an element named
 * `joe@example.com`, and `<h1,h2>` in prose one named `h1,h2`. A browser
 * shows nothing of such a tag and all of its content. domino, though,
 * refuses to create an element whose name is not a valid XML name, and
 * turndown clones the page before it reads it: one such tag failed the
 * whole page. Each such element becomes a `<span>` holding its children, which keeps
 * the text a browser shows.
 */
export function withCloneableElements(doc: DomDocument): void {
  const cloneable = new Map<string, boolean>();
  const isCloneable = (element: DomElement): boolean => {
    const key = `${element.namespaceURI ?? ''} ${element.nodeName}`;
    let known = cloneable.get(key);
    if (known === undefined) {
      known = canCloneShallow(element);
      cloneable.set(key, known);
    }
    return known;
  };
  for (const element of Array.from(doc.documentElement.querySelectorAll('*'))) {
    if (isCloneable(element)) continue;
    const span = doc.createElement('span');
    while (element.firstChild) span.appendChild(element.firstChild);
    element.parentNode?.replaceChild(span, element);
  }
}

function canCloneShallow(element: DomElement): boolean {
  try {
    element.cloneNode(false);
    return true;
  } catch {
    return false;
  }
}
