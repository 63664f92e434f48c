import { describeError, type RunContext } from './context';
import { isFatal } from './push';
import { ingestRecords } from './ingest';
import { forgetGoneOwners, readOwnerRecords } from './owner-reads';
import { duePending, resolvePending } from './pending';

/**
 * Re-read the due pending records from myCOI and ingest them again: those that can be placed now
 * get their ledger rows (pushed by the caller's pushDirty), the others stay pending with a later
 * retry time, records gone from myCOI are forgotten (with any rows we own for them). Returns the
 * owner keys that now have ledger rows to push.
 */
export async function retryPending(ctx: RunContext): Promise<string[]> {
  const keys = await duePending(ctx.pool, ctx.tenant.id);
  if (keys.length === 0) return [];
  const { records, gone } = await readOwnerRecords(ctx, keys, (key, err) => {
    // one unreadable record must not stop the push: it stays due for the next one
    if (isFatal(err)) throw err;
    ctx.error('pending_retry_failed', describeError(err), key);
  });
  ctx.add('pendingRetried', keys.length);
  const placed = records.length ? await ingestRecords(ctx, records) : [];
  if (gone.length) {
    await forgetGoneOwners(ctx, gone);
    await resolvePending(ctx.pool, ctx.tenant.id, gone);
  }
  if (placed.length) ctx.add('pendingPlaced', placed.length);
  return [...placed, ...gone];
}
