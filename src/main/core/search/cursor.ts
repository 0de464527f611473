import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';

/**
 * Paging is keyset-based: a cursor holds the score and document id of the
 * last group shown, and the next page starts strictly after it in the
 * (score desc, document id asc) order. Unlike an offset, this never repeats
 * a document even if the library changes between pages. The fingerprint ties
 * a cursor to the search it came from.
 */
export interface CursorPosition {
  score: number;
  documentId: string;
}

interface CursorPayload {
  v: 1;
  f: string;
  s: number;
  d: string;
}

export function searchFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(fingerprint: string, position: CursorPosition): string {
  const payload: CursorPayload = { v: 1, f: fingerprint, s: position.score, d: position.documentId };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
  let payload: Partial<CursorPayload> | null = null;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    payload = null;
  }
  if (!payload || payload.v !== 1 || typeof payload.s !== 'number' || typeof payload.d !== 'string') {
    throw new AppError('VALIDATION', 'The search page cursor is not valid. Run the search again from the first page.');
  }
  if (payload.f !== fingerprint) {
    throw new AppError(
      'VALIDATION',
      'This page cursor belongs to a different search (the query, mode or filters changed). Run the search again from the first page.',
    );
  }
  return { score: payload.s, documentId: payload.d };
}

/** True when `a` comes after the cursor position in (score desc, id asc) order. */
export function isAfter(a: CursorPosition, position: CursorPosition): boolean {
  return a.score < position.score || (a.score === position.score && a.documentId > position.documentId);
}
