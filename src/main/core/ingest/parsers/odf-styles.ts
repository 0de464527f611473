import { CODE_PARAGRAPH_STYLES, CODE_RUN_STYLES, MONOSPACED_FONTS } from './fenced-code';
import type { XmlElement, XmlHandlers } from './xml-reader';
import { optionalPart, type ZipPackage } from './zip-package';

interface StyleFacts {
  family: string;
  parent: string | undefined;
  /** The display name, or the name with its `_20_` escapes read. */
  shownName: string;
  font: string | undefined;
}

/** Parents followed from a style before giving up (a loop of parents in a damaged file). */
const MAX_PARENTS = 20;

/**
 * Which of an OpenDocument's styles mean code: paragraphs in LibreOffice's
 * "Preformatted Text" (or a "Code" style people make) and spans in its
 * "Source Text", or anything set in a monospaced font, directly or through
 * the style it inherits from. Named styles live in styles.xml; the automatic
 * styles a paragraph actually names (P115, T3) in content.xml, before the
 * body, each with the named style it derives from.
 */
export class OdfStyles {
  private readonly styles = new Map<string, StyleFacts>();
  private current: StyleFacts | undefined;
  private readonly memo = new Map<string, boolean>();

  /** Reads the named styles of styles.xml, when the package has it; a damaged one gives the styles read before the damage. */
  static of(pkg: ZipPackage): OdfStyles {
    const styles = new OdfStyles();
    if (pkg.has('styles.xml')) optionalPart(() => pkg.xml('styles.xml', styles.handlers()));
    return styles;
  }

  /** Handlers that take in the style definitions of a part (for content.xml, called beside the text's). */
  handlers(): Required<Pick<XmlHandlers, 'open' | 'close'>> {
    return { open: (element) => this.open(element), close: (name) => this.close(name) };
  }

  open({ name, attributes }: XmlElement): void {
    if (name === 'style:style' && attributes['style:name']) {
      const styleName = attributes['style:name'];
      this.current = {
        family: attributes['style:family'] ?? '',
        parent: attributes['style:parent-style-name'],
        shownName: attributes['style:display-name'] ?? styleName.replace(/_20_/g, ' '),
        font: undefined,
      };
      this.styles.set(styleName, this.current);
    } else if (name === 'style:text-properties' && this.current) {
      this.current.font = attributes['style:font-name'];
    }
  }

  close(name: string): void {
    if (name === 'style:style') this.current = undefined;
  }

  /** Whether a paragraph in this style is a line of code. */
  isCodeParagraph(styleName: string | undefined): boolean {
    return this.isCode(styleName, CODE_PARAGRAPH_STYLES);
  }

  /** Whether a span in this style is code within a sentence. */
  isCodeSpan(styleName: string | undefined): boolean {
    return this.isCode(styleName, CODE_RUN_STYLES);
  }

  private isCode(styleName: string | undefined, names: RegExp): boolean {
    if (!styleName) return false;
    const key = `${names.source}\n${styleName}`;
    let known = this.memo.get(key);
    if (known === undefined) {
      known = false;
      let name: string | undefined = styleName;
      for (let i = 0; name && i < MAX_PARENTS; i++) {
        const style = this.styles.get(name);
        if (!style) break;
        // The nearest style that says anything decides: its name, else its font.
        if (names.test(style.shownName)) {
          known = true;
          break;
        }
        if (style.font !== undefined) {
          known = MONOSPACED_FONTS.test(style.font);
          break;
        }
        name = style.parent;
      }
      this.memo.set(key, known);
    }
    return known;
  }
}
