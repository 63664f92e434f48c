// Batched sync calls (PATCH …/sync). Procore accepts at most 1000 items per call and answers 200
// with `entities` (applied) and `errors` (each the submitted attributes plus an `errors` map).
// Items that carry `id` or `origin_id` are idempotent, so a batch made only of those may be
// retried after an ambiguous failure; a batch with a bare create (neither) may not.
import { parseList, RateBudgetExhaustedError, UpstreamError, type InvalidRecord } from '@mycoi/http';
import type { z } from 'zod';
import type { Core } from './core';
import { SyncResult } from './schemas/oauth';

export const SYNC_BATCH_LIMIT = 1000;

export interface SyncItemError<I> {
  /** The submitted attributes as Procore echoed them (falls back to what we sent). */
  item: Partial<I> & Record<string, unknown>;
  id?: number;
  origin_id?: string;
  /** field → messages, e.g. { id: ['Entity with this ID not found'] } */
  errors: Record<string, string[]>;
}

export interface SyncOutcome<T, I> {
  entities: T[];
  errors: SyncItemError<I>[];
  /** Applied entities that failed our schema (applied in Procore all the same). */
  invalid: InvalidRecord[];
  /** Batches that failed as a whole (nothing known about their items). */
  failed: Array<{ items: I[]; error: Error }>;
  calls: number;
}

function normaliseErrors(raw: unknown): Record<string, string[]> {
  if (!raw || typeof raw !== 'object') return { base: [String(raw ?? 'unknown error')] };
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return out;
}

export function chunk<T>(items: readonly T[], size = SYNC_BATCH_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function runSync<S extends z.ZodType, I extends { id?: number; origin_id?: string | null }>(
  core: Core,
  companyId: number,
  schema: S,
  path: string,
  updates: readonly I[],
  extraBody: Record<string, unknown> = {},
  batchSize = SYNC_BATCH_LIMIT,
): Promise<SyncOutcome<z.output<S>, I>> {
  const out: SyncOutcome<z.output<S>, I> = { entities: [], errors: [], invalid: [], failed: [], calls: 0 };
  const batches = chunk(updates, Math.min(batchSize, SYNC_BATCH_LIMIT));
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    const idempotent = batch.every((i) => i.id !== undefined || (i.origin_id !== undefined && i.origin_id !== null));
    try {
      out.calls += 1;
      const res = await core.request(companyId, { method: 'PATCH', url: path, data: { ...extraBody, updates: batch }, idempotent });
      const parsed = SyncResult.safeParse(res.data);
      if (!parsed.success)
        throw new UpstreamError({ service: 'procore', method: 'PATCH', path, status: res.status, code: 'INVALID_SYNC_RESPONSE' });
      const list = parseList(schema, parsed.data.entities);
      out.entities.push(...list.items);
      out.invalid.push(...list.invalid);
      for (const e of parsed.data.errors) {
        const rec = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
        const { errors, ...item } = rec;
        out.errors.push({
          item: item as SyncItemError<I>['item'],
          id: typeof item.id === 'number' ? item.id : undefined,
          origin_id: typeof item.origin_id === 'string' ? item.origin_id : undefined,
          errors: normaliseErrors(errors),
        });
      }
    } catch (err) {
      if (!(err instanceof UpstreamError) && !(err instanceof RateBudgetExhaustedError)) throw err;
      out.failed.push({ items: batch, error: err });
      // Auth failures and an empty budget will fail every remaining batch the same way: stop here.
      const fatal = err instanceof RateBudgetExhaustedError || err.isAuth || err.isRateLimited;
      if (fatal) {
        for (const rest of batches.slice(b + 1)) out.failed.push({ items: rest, error: err });
        break;
      }
    }
  }
  return out;
}
