import { frontMatterOf, unquoted } from '../ingest/front-matter';

/**
 * A Markdown file's front matter (ingest/front-matter.ts) as a result reads
 * it. Notes and pages written for Obsidian, Jekyll, Hugo or Docusaurus open
 * with a block of properties; the chunker keeps it as the first chunk's
 * opening paragraph, so its words are searchable. Shown as written, its
 * lines ran together into "title: Workspaces section: 7 description:
 * Working with workspaces". Shown here, it is one line of properties,
 * "section: 7 · description: Working with workspaces", whether written in
 * YAML or in Hugo's TOML (`date = 2024-05-01`): a list's items joined
 * ("tags: garden, tomatoes"), quotes gone, TOML's table headers not shown,
 * and the `title` left out when the result shows that title already, as a
 * note app shows properties under the note's name.
 */

/** A YAML property: `key: value`, or `key:` opening a list or a nested block. */
const YAML_PROPERTY = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/;
/** A TOML property: `key = value`. */
const TOML_PROPERTY = /^([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(.*)$/;
/** A TOML table's header, `[params]`: it groups the properties under it and shows as nothing. */
const TOML_TABLE = /^\[\[?[\w. "'-]+\]\]?[ \t]*$/;
/** A block list's item under its key, `  - garden`, or at the left edge as some writers put it. */
const LIST_ITEM = /^[ \t]*-[ \t]+(.*)$/;
/** A line indented under its key: a folded or literal text's line, or a nested property. */
const CONTINUATION = /^[ \t]+(\S.*)$/;

interface Property {
  key: string;
  values: string[];
}

/**
 * `text` with the front matter it opens with shown as one line of
 * properties (see the module comment); other text is returned as it is,
 * and so is a block whose lines are not all properties (a rule, a few
 * lines of prose and another rule).
 */
export function withFrontMatterShown(text: string, shownTitles: readonly string[]): string {
  const block = frontMatterOf(text);
  if (!block || block.body.length === 0) return text;
  const properties = propertiesOf(block.body, block.syntax === 'toml' ? TOML_PROPERTY : YAML_PROPERTY);
  if (!properties) return text;
  const known = new Set(shownTitles.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
  const shown = properties
    .filter((p) => p.values.length > 0)
    .filter((p) => !(p.key.toLowerCase() === 'title' && known.has(p.values.join(', ').toLowerCase())))
    .map((p) => `${p.key}: ${p.values.join(', ')}`);
  const rest = text.slice(block.length).replace(/^\n/, '');
  return shown.length > 0 ? `${shown.join(' · ')}\n${rest}` : rest;
}

/** The block's properties in order, or null when a line is neither a property nor nested under one. */
function propertiesOf(lines: readonly string[], propertyLine: RegExp): Property[] | null {
  const properties: Property[] = [];
  for (const line of lines) {
    if (line.trim() === '' || /^\s*#/.test(line) || TOML_TABLE.test(line)) continue;
    const last = properties[properties.length - 1];
    const property = propertyLine.exec(line);
    const item = property ? null : LIST_ITEM.exec(line);
    const continued = property || item ? null : CONTINUATION.exec(line);
    if (property) properties.push({ key: property[1]!, values: valuesOf(property[2] ?? '') });
    else if (item && last) last.values.push(...valuesOf(item[1]!));
    else if (continued && last) {
      // One text over several lines reads as one line.
      const text = unquoted(continued[1]!);
      if (last.values.length === 0) last.values.push(text);
      else last.values[last.values.length - 1] += ` ${text}`;
    } else return null;
  }
  return properties.length > 0 ? properties : null;
}

/** A YAML value as text: quotes gone, a flow list's items apart, a block scalar's marker (`|`, `>-`) dropped. */
function valuesOf(raw: string): string[] {
  const value = raw.replace(/\s+#\s.*$/, '').trim();
  if (value === '' || /^[|>][+-]?$/.test(value)) return [];
  const flow = /^\[(.*)\]$/.exec(value);
  const items = flow ? flow[1]!.split(',') : [value];
  return items.map(unquoted).filter((item) => item !== '');
}
