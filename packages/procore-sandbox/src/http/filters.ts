import type { Request } from 'express';
import { badRequest } from './errors';

/** Query values read from the raw URL, so `filters[id][]=1&filters[id][]=2` works whatever the parser. */
export function queryAll(req: Request, name: string): string[] {
  const params = new URL(req.originalUrl, 'http://x').searchParams;
  return params.getAll(name);
}
export function queryOne(req: Request, name: string): string | undefined {
  const all = queryAll(req, name);
  return all.length ? all[all.length - 1] : undefined;
}

/** `filters[id]` / `filters[id][]`, single, repeated or comma-separated → integers. */
export function idsFilter(req: Request, name: string): Set<number> | undefined {
  const raw = [...queryAll(req, `filters[${name}]`), ...queryAll(req, `filters[${name}][]`)].flatMap((v) => v.split(','));
  if (!raw.length) return undefined;
  const ids = raw.map((v) => Number(v.trim()));
  if (ids.some((n) => !Number.isInteger(n))) throw badRequest(`filters[${name}] must be integers`);
  return new Set(ids);
}

export interface Range {
  from: number;
  to: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseEnd(s: string, end: 'from' | 'to'): number {
  const v = s.trim().replace(/^"|"$/g, '');
  if (DATE_ONLY.test(v)) {
    // A bare date covers the whole day (inclusive end of day for the upper bound).
    const t = Date.parse(`${v}T00:00:00Z`);
    return end === 'from' ? t : t + 86_399_999;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return Number.NaN;
  return Date.parse(v);
}

/**
 * `filters[updated_at]=2016-09-23T16:30:00Z...2016-09-23T17:00:00Z` (also `YYYY-MM-DD...YYYY-MM-DD`,
 * offsets `+XX:00`, optional surrounding quotes). Both ends inclusive. A single value (no `...`)
 * is accepted as a one-value range.
 */
export function rangeFilter(req: Request, name: string): Range | undefined {
  const raw = queryOne(req, `filters[${name}]`);
  if (raw === undefined || raw === '') return undefined;
  const unquoted = raw.trim().replace(/^"|"$/g, '');
  const [a, b] = unquoted.includes('...') ? unquoted.split('...') : [unquoted, unquoted];
  const from = parseEnd(a ?? '', 'from');
  const to = parseEnd(b ?? '', 'to');
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw badRequest(`filters[${name}] must be an ISO 8601 range like 2026-01-01T00:00:00Z...2026-01-31T23:59:59Z`);
  }
  return { from, to };
}

export function inRange(iso: string | null, r: Range | undefined): boolean {
  if (!r) return true;
  if (!iso) return false;
  const t = Date.parse(iso);
  return t >= r.from && t <= r.to;
}

/** Enum filter: one value or several (`filters[status][]`). Unknown values → 400. */
export function enumFilter(req: Request, name: string, allowed: readonly string[]): Set<string> | undefined {
  const raw = [...queryAll(req, `filters[${name}]`), ...queryAll(req, `filters[${name}][]`)];
  if (!raw.length) return undefined;
  for (const v of raw) if (!allowed.includes(v)) throw badRequest(`filters[${name}] must be one of ${allowed.join(', ')}`);
  return new Set(raw);
}

export function intParam(raw: unknown, name: string, required = true): number | undefined {
  if (raw === undefined || raw === '') {
    if (required) throw badRequest(`${name} is required`);
    return undefined;
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw badRequest(`${name} must be a positive integer`);
  return n;
}
