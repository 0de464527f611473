// The package's own types declare a module named 'domino' and lean on the
// DOM lib, which the core does not load; these are the members html-content.ts and cloneable-elements.ts use.
declare module '@mixmark-io/domino' {
  export interface DomNode {
    readonly parentNode: DomNode | null;
    readonly firstChild: DomNode | null;
    appendChild(child: DomNode): DomNode;
    replaceChild(replacement: DomNode, child: DomNode): DomNode;
  }
  export interface DomElement extends DomNode {
    readonly nodeName: string;
    readonly namespaceURI: string | null;
    readonly textContent: string | null;
    readonly lastElementChild: DomElement | null;
    readonly previousElementSibling: DomElement | null;
    readonly parentElement: DomElement | null;
    getAttribute(name: string): string | null;
    hasAttribute(name: string): boolean;
    setAttribute(name: string, value: string): void;
    querySelector(selectors: string): DomElement | null;
    querySelectorAll(selectors: string): ArrayLike<DomElement>;
    cloneNode(deep: boolean): DomElement;
  }
  export interface DomDocument {
    readonly documentElement: DomElement;
    readonly head: DomElement;
    readonly body: DomElement;
    createElement(name: string): DomElement;
  }
  export function createDocument(html?: string): DomDocument;
}
