// The package's own types declare a module named 'domino' and lean on the
// DOM lib, which the core does not load; these are the members html-content.ts uses.
declare module '@mixmark-io/domino' {
  export interface DomElement {
    readonly nodeName: string;
    readonly textContent: string | null;
    readonly lastElementChild: DomElement | null;
    readonly previousElementSibling: DomElement | null;
    readonly parentElement: DomElement | null;
    getAttribute(name: string): string | null;
    hasAttribute(name: string): boolean;
    setAttribute(name: string, value: string): void;
    querySelector(selectors: string): DomElement | null;
    querySelectorAll(selectors: string): ArrayLike<DomElement>;
  }
  export interface DomDocument {
    readonly head: DomElement;
    readonly body: DomElement;
  }
  export function createDocument(html?: string): DomDocument;
}
