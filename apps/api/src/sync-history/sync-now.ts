import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import type { SyncNowResponse, TenantView } from '@mycoi/contracts';
import { audit, type Actor } from '../tenants/audit';
import { syncBlock, type SyncBlock, type SyncControl } from './control';

type Queryable = Pick<pg.Pool, 'query'>;

/** Who asked, and the audit action recorded with the answer (admin console or ops console). */
export interface SyncNowRequester {
  actor: Actor;
  action: 'admin.sync_now' | 'ops.sync_now';
}

/**
 * "Sync now" for customer admins and ops, bounded and truthful: at most one push and one upkeep
 * queued or running per tenant (the runs table's partial unique index), and the answer says what
 * really happened — queued, already queued, or blocked (with why and until when). The worker loop
 * of any instance picks a queued run up within its poll interval.
 *
 * Issue 16: everything it writes (runs brought forward or queued, the sync_requests row, the
 * tenant's sync_requested_at) and its audit entry commit in ONE transaction, or none of it does.
 * The block check reads before the transaction (it may read credentials through the pool, which
 * must not wait on the transaction's own connection: PGlite has one); the worker is woken only
 * after the commit, so it never polls for runs it cannot see yet.
 */
export async function requestSyncNow(
  pool: pg.Pool,
  t: TenantView,
  control: SyncControl | undefined,
  by: SyncNowRequester,
): Promise<SyncNowResponse> {
  const requestedAt = new Date();
  const block = await syncBlock(pool, t, control);
  const out = await withTransaction(pool, async (client) => {
    // syncBlock answers 'scheduler_off' when there is no control, so it is set when not blocked
    const answer = block ? blocked(block, requestedAt) : await queueRuns(client, t, control!, by.actor.id, requestedAt);
    await audit(client, t.id, by.actor, by.action, { outcome: answer.outcome, reason: answer.reason, runIds: answer.runIds });
    return answer;
  });
  if (out.outcome === 'queued') control?.wake?.();
  return out;
}

function blocked(block: SyncBlock, requestedAt: Date): SyncNowResponse {
  return {
    outcome: 'blocked',
    message: block.message,
    reason: block.reason,
    blockedUntil: block.until?.toISOString() ?? null,
    runIds: [],
    requestedAt: requestedAt.toISOString(),
  };
}

/** The writes of an unblocked request, all through `db` (the request's transaction). */
async function queueRuns(
  db: Queryable,
  t: TenantView,
  control: SyncControl,
  requestedBy: string,
  requestedAt: Date,
): Promise<SyncNowResponse> {
  // a scheduled run already waiting for its slot later on is brought forward instead of blocking the request
  const pulled = await db.query<{ id: string }>(
    `update runs set run_after = now() where tenant_id = $1 and status = 'queued' and kind in ('push', 'upkeep')
       and trigger = 'schedule' and run_after > now() returning id`,
    [t.id],
  );
  const queued = [...pulled.rows.map((r) => Number(r.id)), ...(await control.syncNow(t.id, db))];
  if (queued.length > 0) {
    await db.query('insert into sync_requests (tenant_id, requested_by) values ($1, $2)', [t.id, requestedBy]);
    await db.query('update tenants set sync_requested_at = $2 where id = $1', [t.id, requestedAt]);
    // runs of other tenants due before ours: the workers take them first
    const { rows: ahead } = await db.query<{ n: number }>(
      "select count(*)::int as n from runs where status = 'queued' and run_after <= now() and tenant_id <> $1",
      [t.id],
    );
    const wait = ahead[0]!.n > 0 ? `after ${ahead[0]!.n} run(s) of other companies already waiting` : 'within a few seconds';
    return {
      outcome: 'queued',
      message: `Queued: the run starts ${wait}${queued.length < 2 ? ' (the other part of the sync was already waiting)' : ''}. This page updates while it runs.`,
      reason: null,
      blockedUntil: null,
      runIds: queued,
      requestedAt: requestedAt.toISOString(),
    };
  }
  const { rows } = await db.query<{ id: string; status: string; run_after: Date; trigger: string }>(
    "select id, status, run_after, trigger from runs where tenant_id = $1 and status in ('queued', 'running') and kind in ('push', 'upkeep') order by run_after, id",
    [t.id],
  );
  const running = rows.some((r) => r.status === 'running');
  const first = rows[0];
  const later = first && first.status === 'queued' && first.run_after.getTime() > Date.now() + 10_000;
  return {
    outcome: 'already_queued',
    message: running
      ? 'A run is already in progress; nothing more was queued. This page updates while it runs.'
      : later
        ? `A run is already queued for ${first.run_after.toISOString()}${first.trigger === 'resume' ? ', when Procore’s rate limit resets' : ''}; nothing more was queued.`
        : 'A run is already queued and starts within a few seconds; nothing more was queued.',
    reason: null,
    blockedUntil: null,
    runIds: rows.map((r) => Number(r.id)),
    requestedAt: requestedAt.toISOString(),
  };
}
