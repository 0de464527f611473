import type { JudgedQuery } from './quality';

/**
 * Long options typed alone (`--one-file-system`) as known-item questions:
 * the answer is the one page whose list of options documents the option.
 *
 * Which page documents an option is read from the layout man(1) renders,
 * not from the rule the search uses (search/option-entries.ts): a section's
 * list of options puts each entry at the section's text indent, seven
 * spaces, with the spellings of the option before any description. Kept:
 * options documented so by exactly one page and named by at least one other
 * page as well, so that a page mentioning the option, or using its words,
 * competes with the one documenting it. Pages rendered at another indent
 * (node's is five) document nothing here, so a few questions have a second
 * right answer that counts as wrong: the figure is a floor.
 */
export function optionQuestions(pages: ReadonlyArray<{ key: string; text: string }>): JudgedQuery[] {
  const documentedBy = new Map<string, Set<string>>();
  const namedBy = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, option: string, key: string): void => {
    map.set(option, (map.get(option) ?? new Set()).add(key));
  };
  for (const page of pages) {
    for (const [, line] of page.text.matchAll(/^ {7}(-[^\n]*)$/gm)) {
      // The spellings end where the description starts, after a gap of two spaces or more.
      const spellings = line!.split(/ {2,}/)[0]!;
      for (const [, name] of spellings.matchAll(LONG_OPTION)) note(documentedBy, name!, page.key);
    }
    for (const [, name] of page.text.matchAll(LONG_OPTION)) note(namedBy, name!, page.key);
  }
  return [...documentedBy]
    .filter(([name, keys]) => keys.size === 1 && (namedBy.get(name)?.size ?? 0) >= 2)
    .map(([name, keys]) => ({ text: `--${name}`, gains: new Map([[[...keys][0]!, 1]]) }));
}

/** `--name` or `--[no-]name`, captured without the dashes and the negation. */
const LONG_OPTION = /(?<![\w-])--(?:\[no-\])?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g;
