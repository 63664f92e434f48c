import type { Request, Response } from 'express';
import type { ResolvedConfig } from '../options';
import { badRequest } from './errors';

function positiveInt(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${name} must be a positive integer`);
  return n;
}

/**
 * v1 pagination as documented: `page` (1-based) and `per_page`; headers `Total`, `Per-Page` and
 * `Link`. Link rules from Procore's pagination guide: page 1 → next,last; page 2 → first,next,last;
 * page ≥ 3 → first,prev,next,last; the last page omits next. Links keep every other query
 * parameter of the request (Procore's example shows only page/per_page; keeping the filters makes
 * "follow rel=next" correct, which is what clients are told to do).
 */
export function paginate<T>(
  req: Request,
  res: Response,
  items: T[],
  cfg: ResolvedConfig,
  limits: { defaultPerPage?: number; maxPerPage?: number } = {},
): T[] {
  const maxPer = limits.maxPerPage ?? cfg.maxPerPage;
  const perPage = Math.min(positiveInt(req.query.per_page, 'per_page') ?? limits.defaultPerPage ?? cfg.defaultPerPage, maxPer);
  const page = positiveInt(req.query.page, 'page') ?? 1;
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  res.setHeader('Total', String(total));
  res.setHeader('Per-Page', String(perPage));

  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const link = (p: number, rel: string) => {
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page >= 2) parts.push(link(1, 'first'));
  if (page >= 3) parts.push(link(Math.min(page - 1, lastPage), 'prev'));
  parts.push(link(lastPage, 'last'));
  if (page < lastPage) parts.push(link(page + 1, 'next'));
  res.setHeader('Link', parts.join(', '));

  const start = (page - 1) * perPage;
  return items.slice(start, start + perPage);
}
