import type { PageObjectResponse } from '@notionhq/client';
import { plainText } from './notion-markdown';

type PropertyValue = PageObjectResponse['properties'][string];

/** The page title (the one property of type `title`), or "Untitled". */
export function pageTitle(page: PageObjectResponse): string {
  for (const value of Object.values(page.properties)) {
    if (value.type === 'title') return plainText(value.title).trim() || 'Untitled';
  }
  return 'Untitled';
}

/**
 * Property values as short strings (title excluded), for metadata and for
 * the text of database rows, where properties often are the content
 * ("Status: Done", "Owner: Ada"). Empty values are left out.
 */
export function pagePropertiesAsText(page: PageObjectResponse): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(page.properties)) {
    if (value.type === 'title') continue;
    const text = propertyText(value);
    if (text !== '') entries.push([name, text]);
  }
  // fromEntries defines own properties: assigning `out[name]` would set the
  // prototype for a property a person named "__proto__" and lose it.
  return Object.fromEntries(entries);
}

function propertyText(value: PropertyValue): string {
  switch (value.type) {
    case 'rich_text':
      return plainText(value.rich_text);
    case 'number':
      return value.number === null ? '' : String(value.number);
    case 'select':
      return value.select?.name ?? '';
    case 'status':
      return value.status?.name ?? '';
    case 'multi_select':
      return value.multi_select.map((option) => option.name).join(', ');
    case 'date':
      return value.date ? [value.date.start, value.date.end].filter(Boolean).join(' → ') : '';
    case 'checkbox':
      return value.checkbox ? 'yes' : 'no';
    case 'url':
      return value.url ?? '';
    case 'email':
      return value.email ?? '';
    case 'phone_number':
      return value.phone_number ?? '';
    case 'people':
      return value.people.map((person) => ('name' in person && person.name ? person.name : person.id)).join(', ');
    case 'relation':
      return value.relation.length > 0 ? `${value.relation.length} linked page(s)` : '';
    case 'created_time':
      return value.created_time;
    case 'last_edited_time':
      return value.last_edited_time;
    case 'unique_id':
      return value.unique_id.number === null
        ? ''
        : `${value.unique_id.prefix ? `${value.unique_id.prefix}-` : ''}${value.unique_id.number}`;
    case 'formula': {
      const f = value.formula;
      if (f.type === 'string') return f.string ?? '';
      if (f.type === 'number') return f.number === null ? '' : String(f.number);
      if (f.type === 'boolean') return f.boolean === null ? '' : f.boolean ? 'yes' : 'no';
      if (f.type === 'date') return f.date?.start ?? '';
      return '';
    }
    default:
      // Files (signed, expiring URLs), rollups, buttons, verification: nothing stable to index.
      return '';
  }
}
