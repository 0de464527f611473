import { AppError } from '../../../shared/errors';
import type { ConnectorType } from '../connectors/types';
import type { RawOperator } from './query-syntax';
import { mimeTypesForTypeName, TYPE_NAMES } from './type-names';
import type { SearchFilters, UnderstoodOperator } from './types';
import { ownEntry } from '../../../shared/own-entry';

/** A source `in:` can name. */
export interface SourceRef {
  id: string;
  name: string;
  type: ConnectorType;
}

/** Source kinds `in:` also accepts when no source has that name. */
const TYPE_ALIASES: Record<string, ConnectorType[]> = {
  drive: ['google_drive'],
  'google drive': ['google_drive'],
  gdrive: ['google_drive'],
  notion: ['notion'],
  local: ['local_folder', 'local_import'],
  folder: ['local_folder'],
  folders: ['local_folder'],
  imports: ['local_import'],
  imported: ['local_import'],
};

export interface ResolvedOperators {
  /** The request's filters narrowed by the query's `type:`, `in:`, `after:` and `before:`. */
  filters: SearchFilters | undefined;
  /** The operators and the request's filters exclude each other: nothing can match. */
  contradictory: boolean;
  operators: UnderstoodOperator[];
}

/**
 * Turns the query's operators into filters and the list the response shows.
 * Several `type:` (or `in:`) operators widen each other (any of them);
 * operators and the request's own filters narrow each other (both must hold).
 */
export function resolveOperators(
  raw: readonly RawOperator[],
  filters: SearchFilters | undefined,
  sources: readonly SourceRef[],
  now: Date = new Date(),
): ResolvedOperators {
  const operators: UnderstoodOperator[] = [];
  const mimeTypes = new Set<string>();
  const connectorIds = new Set<string>();
  let modifiedFrom: number | undefined;
  let modifiedTo: number | undefined;
  for (const op of raw) {
    switch (op.kind) {
      case 'phrase':
      case 'exclude':
      case 'title':
        operators.push({ kind: op.kind, text: op.text, value: op.value, negated: op.negated });
        break;
      case 'type': {
        const mimes = mimeTypesForTypeName(op.value);
        if (!mimes) {
          throw new AppError(
            'VALIDATION',
            `"${op.text}": Trove knows no file type "${op.value}". Use one of ${TYPE_NAMES.join(', ')}, a file extension (type:py) or a MIME type (type:application/pdf).`,
          );
        }
        mimes.forEach((m) => mimeTypes.add(m));
        operators.push({
          kind: 'type',
          text: op.text,
          value: op.value.toLowerCase(),
          negated: false,
          mimeTypes: mimes,
        });
        break;
      }
      case 'in': {
        const matched = sourcesNamed(op.value, sources);
        if (matched.length === 0) {
          const names = sources.map((s) => `"${s.name}"`).join(', ');
          throw new AppError(
            'VALIDATION',
            `"${op.text}": no source is named "${op.value}". ${names ? `Your sources: ${names}.` : 'Add a source first.'} Quote names with spaces: in:"My Drive".`,
          );
        }
        matched.forEach((s) => connectorIds.add(s.id));
        operators.push({
          kind: 'in',
          text: op.text,
          value: op.value,
          negated: false,
          connectorIds: matched.map((s) => s.id),
        });
        break;
      }
      case 'after':
      case 'before': {
        const date = parseDateValue(op.value, now);
        if (!date) {
          throw new AppError(
            'VALIDATION',
            `"${op.text}" is not a date Trove understands. Write ${op.kind}:2025-01-31, ${op.kind}:2025-01 or ${op.kind}:2025.`,
          );
        }
        // after: counts from the start of the day (month, year) given; before: stops just before it.
        if (op.kind === 'after') modifiedFrom = Math.max(modifiedFrom ?? -Infinity, date);
        else modifiedTo = Math.min(modifiedTo ?? Infinity, date - 1);
        operators.push({ kind: op.kind, text: op.text, value: op.value, negated: false, date });
        break;
      }
    }
  }
  const merged = mergeFilters(filters, { mimeTypes, connectorIds, modifiedFrom, modifiedTo });
  return { ...merged, operators };
}

function sourcesNamed(value: string, sources: readonly SourceRef[]): SourceRef[] {
  const wanted = value.trim().toLowerCase();
  const byName = sources.filter((s) => s.name.trim().toLowerCase() === wanted);
  if (byName.length > 0) return byName;
  const types: readonly string[] = ownEntry(TYPE_ALIASES, wanted) ?? [wanted.replace(/[\s-]/g, '_')];
  return sources.filter((s) => types.includes(s.type));
}

/**
 * Epoch ms of local midnight at the start of `YYYY`, `YYYY-MM` or
 * `YYYY-MM-DD` (`/` or `.` also separate), or null when it is not a real date.
 */
export function parseDateValue(value: string, now: Date = new Date()): number | null {
  const m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > now.getFullYear() + 100) return null;
  const date = new Date(year, month - 1, day);
  // new Date rolls 2025-02-30 over into March: such a date does not exist.
  if (date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date.getTime();
}

function mergeFilters(
  base: SearchFilters | undefined,
  fromQuery: { mimeTypes: Set<string>; connectorIds: Set<string>; modifiedFrom?: number; modifiedTo?: number },
): { filters: SearchFilters | undefined; contradictory: boolean } {
  const out: SearchFilters = { ...base };
  let contradictory = false;
  if (fromQuery.mimeTypes.size > 0) {
    out.mimeTypes = intersect(base?.mimeTypes, [...fromQuery.mimeTypes]);
    contradictory ||= out.mimeTypes.length === 0;
  }
  if (fromQuery.connectorIds.size > 0) {
    out.connectorIds = intersect(base?.connectorIds, [...fromQuery.connectorIds]);
    contradictory ||= out.connectorIds.length === 0;
  }
  if (fromQuery.modifiedFrom !== undefined) {
    out.modifiedFrom = Math.max(base?.modifiedFrom ?? -Infinity, fromQuery.modifiedFrom);
  }
  if (fromQuery.modifiedTo !== undefined) out.modifiedTo = Math.min(base?.modifiedTo ?? Infinity, fromQuery.modifiedTo);
  if (out.modifiedFrom !== undefined && out.modifiedTo !== undefined)
    contradictory ||= out.modifiedFrom > out.modifiedTo;
  return { filters: Object.keys(out).length > 0 ? out : undefined, contradictory };
}

/** The values both lists allow (the query's list alone when the request set none). */
function intersect(base: readonly string[] | undefined, fromQuery: string[]): string[] {
  if (!base || base.length === 0) return fromQuery;
  const allowed = new Set(base);
  return fromQuery.filter((v) => allowed.has(v));
}
