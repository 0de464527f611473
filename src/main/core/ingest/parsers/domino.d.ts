// The package's own types declare a module named 'domino' and lean on the
// DOM lib, which the core does not load; these are the members html-content.ts uses.
declare module '@mixmark-io/domino' {
  export interface DomElement {
    readonly textContent: string | null;
    getAttribute(name: string): string | null;
    setAttribute(name: string, value: string): void;
    querySelector(selectors: string): DomElement | null;
    querySelectorAll(selectors: string): ArrayLike<DomElement>;
    closest(selectors: string): DomElement | null;
  }
  export interface DomDocument {
    readonly head: DomElement;
    readonly body: DomElement;
    querySelectorAll(selectors: string): ArrayLike<DomElement>;
  }
  export function createDocument(html?: string): DomDocument;
}
