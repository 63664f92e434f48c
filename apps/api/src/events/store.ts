import type pg from 'pg';
import type { EventSource } from './metrics';

type Queryable = Pick<pg.Pool, 'query'>;

export interface NewEvent {
  source: EventSource;
  eventId: string;
  tenantId: string;
  occurredAt: Date | null;
  payload: unknown;
  signatureDigest?: string | null;
  /** 'ignored' for events we store only for the record (our own changes) */
  status?: 'pending' | 'ignored';
  outcome?: string | null;
  coalesceMs: number;
}

/**
 * Remembers a verified signature (its sha256) and tells whether it is new. Called for every
 * delivery whose signature verified, stored or dropped alike, so a replay of a delivery we dropped
 * (tenant suspended at the time) is refused after a resume just like a replay of a stored one.
 */
export async function rememberSignature(db: Queryable, source: EventSource, digest: string): Promise<boolean> {
  const res = await db.query('insert into webhook_signatures (digest, source) values ($1, $2) on conflict (digest) do nothing', [
    digest,
    source,
  ]);
  return (res.rowCount ?? 0) === 1;
}

export interface ClaimedEvent {
  id: string;
  source: EventSource;
  event_id: string;
  tenant_id: string;
  occurred_at: Date | null;
  received_at: Date;
  payload: unknown;
  attempts: number;
}

/**
 * Claims one tenant's pending events: picks the tenant of the oldest due event, then takes ALL of
 * that tenant's pending events, due or not. That is the coalescing: the first event of a burst
 * opens the window, everything that arrives within it joins the same batch. A lease (not a held
 * transaction) marks the claim, so a crashed worker's batch is taken again once the lease lapses.
 */
export async function claimTenantBatch(db: Queryable, owner: string, leaseMs: number, limit = 5000): Promise<ClaimedEvent[]> {
  const { rows } = await db.query<ClaimedEvent>(
    `with pick as (
       select tenant_id from webhook_events
        where status = 'pending' and handle_after <= now() and (lease_expires_at is null or lease_expires_at < now())
        order by handle_after limit 1
     ), batch as (
       select id from webhook_events
        where status = 'pending' and tenant_id = (select tenant_id from pick)
          and (lease_expires_at is null or lease_expires_at < now())
        order by id limit $3
        for update skip locked
     )
     update webhook_events w
        set lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2::double precision / 1000), attempts = w.attempts + 1
       from batch where w.id = batch.id
     returning w.id::text, w.source, w.event_id, w.tenant_id, w.occurred_at, w.received_at, w.payload, w.attempts`,
    [owner, leaseMs, limit],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export interface Finished {
  id: string;
  status: 'handled' | 'ignored' | 'failed' | 'pending';
  outcome: string;
  latencyMs?: number | null;
  error?: string | null;
  /** for 'pending' (retry later): when to try again */
  retryInMs?: number;
}

export async function finishEvents(db: Queryable, owner: string, done: Finished[]): Promise<void> {
  if (done.length === 0) return;
  await db.query(
    `update webhook_events w
        set status = d.status,
            outcome = d.outcome,
            latency_ms = d.latency_ms,
            last_error = d.error,
            handled_at = case when d.status = 'pending' then null else now() end,
            handle_after = case when d.status = 'pending' then now() + make_interval(secs => d.retry_ms / 1000) else w.handle_after end,
            lease_owner = null, lease_expires_at = null
       from jsonb_to_recordset($2::jsonb) as d(id bigint, status text, outcome text, latency_ms integer, error text, retry_ms double precision)
      where w.id = d.id and w.lease_owner = $1`,
    [
      owner,
      JSON.stringify(
        done.map((d) => ({
          id: Number(d.id),
          status: d.status,
          outcome: d.outcome,
          latency_ms: d.latencyMs ?? null,
          error: d.error ?? null,
          retry_ms: d.retryInMs ?? 0,
        })),
      ),
    ],
  );
}

/** When the next pending event becomes due (for the worker's sleep), or null when none is pending. */
export async function nextDueInMs(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `select (extract(epoch from (min(greatest(handle_after, coalesce(lease_expires_at, handle_after))) - now())) * 1000)::float8 as ms
       from webhook_events where status = 'pending'`,
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, ms);
}

/**
 * Forget settled events after `days`. Replay protection needs an id only for myCOI's tolerance
 * (300 s) and Procore's retry horizon (12 h); a month keeps the ops history readable.
 */
export async function pruneEvents(db: Queryable, days = 30): Promise<number> {
  const res = await db.query(
    `delete from webhook_events where status in ('handled', 'ignored', 'failed') and received_at < now() - make_interval(days => $1::int)`,
    [days],
  );
  // signatures only matter within myCOI's tolerance (minutes); a day is a wide margin
  await db.query("delete from webhook_signatures where received_at < now() - interval '1 day'");
  // unparsed deliveries are for a person to look at soon after; a month is plenty
  await db.query('delete from webhook_unparsed where last_received_at < now() - make_interval(days => $1::int)', [days]);
  return res.rowCount ?? 0;
}
