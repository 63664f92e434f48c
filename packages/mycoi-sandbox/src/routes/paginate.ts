import { decodeCursor, encodeCursor, fingerprint } from '../cursor';

/**
 * Pages over an append-only table: the cursor holds the table index of the last row returned, so
 * rows created while a client pages show up at the end and nothing shifts.
 */
export function page<T>(
  rows: readonly T[],
  keep: (row: T) => boolean,
  q: { cursor?: string; limit: number },
  filters: Record<string, unknown>,
) {
  const f = fingerprint(filters);
  const after = q.cursor ? decodeCursor(q.cursor, f, (v): v is { f: string; a: number } => Number.isInteger(v.a)).a : -1;
  const data: T[] = [];
  let last = after;
  let more = false;
  for (let i = after + 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (!keep(row)) continue;
    if (data.length === q.limit) {
      more = true;
      break;
    }
    data.push(row);
    last = i;
  }
  return { data, next_cursor: more ? encodeCursor({ f, a: last }) : null };
}

export const contains = (hay: string | null | undefined, needle: string | undefined) =>
  needle === undefined || (hay ?? '').toLowerCase().includes(needle.toLowerCase());
export const normTaxId = (s: string) => s.replace(/[^0-9a-z]/gi, '').toLowerCase();
