import { describeError, type RunContext } from './context';
import { isFatal } from './push';
import { ingestRecords } from './ingest';
import { ledgerByOwners, markUnwanted } from './ledger';
import { duePending, resolvePending } from './pending';
import type { MycoiComplianceRecord } from './ports';

const MYCOI_CONCURRENCY = 8;

/**
 * Re-read the due pending records from myCOI and ingest them again: those that can be placed now
 * get their ledger rows (pushed by the caller's pushDirty), the others stay pending with a later
 * retry time, records gone from myCOI are forgotten (with any rows we own for them). Returns the
 * owner keys that now have ledger rows to push.
 */
export async function retryPending(ctx: RunContext): Promise<string[]> {
  const keys = await duePending(ctx.pool, ctx.tenant.id);
  if (keys.length === 0) return [];
  const records: MycoiComplianceRecord[] = [];
  const gone: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const id = key.slice(2);
      try {
        const rec = key.startsWith('a:') ? await ctx.clients.mycoi.assignmentCompliance(id) : await ctx.clients.mycoi.vendorCompliance(id);
        if (rec) records.push(rec);
        else gone.push(key);
      } catch (err) {
        // one unreadable record must not stop the push: it stays due for the next one
        if (isFatal(err)) throw err;
        ctx.error('pending_retry_failed', describeError(err), key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MYCOI_CONCURRENCY, keys.length) }, worker));
  ctx.add('pendingRetried', keys.length);
  const placed = records.length ? await ingestRecords(ctx, records) : [];
  if (gone.length) {
    const rows = await ledgerByOwners(ctx.pool, ctx.tenant.id, gone);
    await markUnwanted(
      ctx.pool,
      ctx.tenant.id,
      rows.map((r) => r.origin_id),
    );
    await resolvePending(ctx.pool, ctx.tenant.id, gone);
  }
  if (placed.length) ctx.add('pendingPlaced', placed.length);
  return [...placed, ...gone];
}
