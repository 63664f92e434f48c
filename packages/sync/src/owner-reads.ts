import type { RunContext } from './context';
import { ledgerByOwners, markUnwanted } from './ledger';
import type { MycoiComplianceRecord } from './ports';

const MYCOI_CONCURRENCY = 8;

/**
 * Reads the current myCOI compliance of owner keys (`a:<assignment>` / `v:<vendor>`), a few at a
 * time. Records myCOI no longer has come back as `gone`. Without `onError` a failed read fails the
 * whole call; with it, the caller decides per key (e.g. keep it for the next run).
 */
export async function readOwnerRecords(
  ctx: RunContext,
  keys: string[],
  onError?: (key: string, err: unknown) => void,
): Promise<{ records: MycoiComplianceRecord[]; gone: string[] }> {
  const { mycoi } = ctx.clients;
  const records: MycoiComplianceRecord[] = [];
  const gone: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const id = key.slice(2);
      try {
        const rec = key.startsWith('a:') ? await mycoi.assignmentCompliance(id) : await mycoi.vendorCompliance(id);
        if (rec) records.push(rec);
        else gone.push(key);
      } catch (err) {
        if (!onError) throw err;
        onError(key, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MYCOI_CONCURRENCY, keys.length) }, worker));
  return { records, gone };
}

/** Owners gone from myCOI: the rows we own for them are no longer wanted (the push deletes them). */
export async function forgetGoneOwners(ctx: RunContext, gone: string[]): Promise<void> {
  if (gone.length === 0) return;
  const rows = await ledgerByOwners(ctx.pool, ctx.tenant.id, gone);
  await markUnwanted(
    ctx.pool,
    ctx.tenant.id,
    rows.map((r) => r.origin_id),
  );
}
