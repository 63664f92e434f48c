// Parses a page of upstream records one by one: a bad record is reported with its id and
// issues, the rest of the page is kept.

import type { z } from 'zod';

export interface InvalidRecord {
  id: string | number | null;
  issues: string[];
}

export interface ParsedList<T> {
  items: T[];
  invalid: InvalidRecord[];
}

function idOf(raw: unknown): string | number | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export function parseList<S extends z.ZodType>(schema: S, raw: unknown): ParsedList<z.output<S>> {
  if (!Array.isArray(raw)) {
    return { items: [], invalid: [{ id: null, issues: [`(root): expected an array, got ${raw === null ? 'null' : typeof raw}`] }] };
  }
  const items: z.output<S>[] = [];
  const invalid: InvalidRecord[] = [];
  for (const rec of raw) {
    const r = schema.safeParse(rec);
    if (r.success) items.push(r.data);
    else invalid.push({ id: idOf(rec), issues: formatIssues(r.error) });
  }
  return { items, invalid };
}
