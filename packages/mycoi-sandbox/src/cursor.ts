import { ApiError } from './errors';

// Cursors are opaque base64url JSON. They carry a fingerprint of the query's filters so a cursor
// replayed with other filters is rejected instead of silently paging the wrong list.

export function encodeCursor(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string,
  fingerprint: string,
  check: (v: Record<string, unknown>) => v is T,
): T {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not valid');
  }
  if (!v || typeof v !== 'object' || (v as { f?: unknown }).f !== fingerprint || !check(v as Record<string, unknown>)) {
    throw new ApiError(400, 'invalid_cursor', 'The cursor is not valid for this query');
  }
  return v as T;
}

export function fingerprint(parts: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k] ?? null]),
  );
}
