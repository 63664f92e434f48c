import type pg from 'pg';
import { enqueueTargeted } from '@mycoi/sync';
import type { EventSource } from './ports';

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
 * The events of one targeted run (its target's `eventIds`) that still wait: pending and of this
 * tenant. Reading them counts an attempt (failed after too many, see the handler).
 */
export async function takeRunEvents(db: Queryable, tenantId: string, eventIds: readonly number[]): Promise<ClaimedEvent[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<ClaimedEvent>(
    `update webhook_events set attempts = attempts + 1
      where tenant_id = $1 and status = 'pending' and id = any($2::bigint[])
      returning id::text, source, event_id, tenant_id, occurred_at, received_at, payload, attempts`,
    [tenantId, eventIds],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Events to try again later: a NEW queued targeted run of the tenant carries them (or the one
 * already queued, merged), due in `retryInMs`. They stay 'pending' in webhook_events meanwhile.
 */
export async function requeueEvents(db: Queryable, tenantId: string, eventIds: readonly string[], retryInMs: number): Promise<void> {
  if (eventIds.length === 0) return;
  await enqueueTargeted(db, {
    tenantId,
    target: { eventIds: eventIds.map(Number) },
    runAfter: new Date(Date.now() + retryInMs),
  });
}

/**
 * The safety net: pending events that no queued or running targeted run carries (their run ended
 * without settling them, e.g. its handler crashed on a database error) are queued again, one run per
 * tenant, due now. Only events older than `graceMs`, so a delivery being stored right now is not
 * raced. Returns how many events were queued again.
 */
export async function requeueStrandedEvents(db: Queryable, graceMs = 60_000): Promise<number> {
  const { rows } = await db.query<{ tenant_id: string; ids: number[] }>(
    `select e.tenant_id::text, array_agg(e.id order by e.id)::int8[] as ids from webhook_events e
      where e.status = 'pending' and e.received_at < now() - make_interval(secs => $1::double precision / 1000)
        and not exists (select 1 from runs r where r.tenant_id = e.tenant_id and r.kind = 'targeted'
                          and r.status in ('queued', 'running') and r.target -> 'eventIds' @> to_jsonb(e.id))
      group by e.tenant_id`,
    [graceMs],
  );
  for (const r of rows) await enqueueTargeted(db, { tenantId: r.tenant_id, target: { eventIds: r.ids.map(Number) } });
  return rows.reduce((n, r) => n + r.ids.length, 0);
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

export async function finishEvents(db: Queryable, done: Finished[]): Promise<void> {
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
       from jsonb_to_recordset($1::jsonb) as d(id bigint, status text, outcome text, latency_ms integer, error text, retry_ms double precision)
      where w.id = d.id and w.status = 'pending'`,
    [
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
