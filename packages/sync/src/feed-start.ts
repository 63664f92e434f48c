import { withTransaction } from '@mycoi/db';
import { getCheckpoint, setCheckpoint } from './checkpoints';
import type { RunContext } from './context';
import { contentHash } from './hash';
import { FEED_CHECKPOINT } from './ingest';
import { featuresOf } from './tenants';

const ROW_SETTINGS_CHECKPOINT = 'push.row_settings';

/**
 * Where a push reads the myCOI feed from. The feed only brings records that changed, so a change
 * of what the rows are built from (expiry-emails flag, per-commitment status, levels the gate
 * lets run) would otherwise reach Procore only for records that happen to change later. When that
 * input differs from the one the cursor was built with, the feed is read again from the start;
 * unchanged rows hash the same and cost no Procore write. Cursor and input are reset together.
 */
export async function feedStart(ctx: RunContext): Promise<string | null> {
  const t = ctx.tenant;
  const f = featuresOf(t);
  const input = contentHash({
    expiry: t.settings.procoreExpiryEmails,
    vendor: f.push_vendor.on,
    commitment: f.push_commitment.on,
    commitmentStatus: f.commitment_status.on,
  });
  const seen = await getCheckpoint<{ input: string }>(ctx.pool, t.id, ROW_SETTINGS_CHECKPOINT);
  if (seen?.input !== input) {
    await withTransaction(ctx.pool, async (db) => {
      await setCheckpoint(db, t.id, FEED_CHECKPOINT, { cursor: null });
      await setCheckpoint(db, t.id, ROW_SETTINGS_CHECKPOINT, { input });
    });
    return null;
  }
  return (await getCheckpoint<{ cursor: string | null }>(ctx.pool, t.id, FEED_CHECKPOINT))?.cursor ?? null;
}
