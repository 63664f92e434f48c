import type pg from 'pg';
import { tenantBlockReason } from '../tenants/gate';
import type { NewEvent } from '@mycoi/events';

export type IngestResult = 'stored' | 'duplicate' | 'dropped';

interface Pending {
  e: NewEvent;
  resolve: (r: IngestResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores deliveries in small batches: every request still waits until ITS event is committed
 * before we answer 2xx (so nothing acknowledged can be lost), but a burst of a thousand
 * concurrent deliveries costs one gate check per tenant and one multi-row insert per batch
 * instead of two round trips each — the difference between answering in milliseconds and
 * myCOI timing out and retrying.
 */
export class EventIngest {
  private queue: Pending[] = [];
  private running = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxBatch = 500,
    /** a targeted run was queued or merged, due at `due`: wake the job worker for it */
    private readonly onQueued?: (due: Date) => void,
  ) {}

  submit(e: NewEvent): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ e, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // requests that arrive while a batch is being written form the next batch
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((p) => p.e));
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else await this.oneByOne(batch);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * A batch failed: one poisoned delivery must never fail the others that happened to share its
   * batch, so each is written alone and only the bad one is refused.
   */
  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      try {
        const [result] = await this.write([p.e]);
        p.resolve(result!);
      } catch (err) {
        p.reject(err);
      }
    }
  }

  private async write(events: NewEvent[]): Promise<IngestResult[]> {
    // the ONE gate, read fresh once per tenant per batch
    const allowed = new Map<string, boolean>();
    for (const t of new Set(events.map((e) => e.tenantId))) allowed.set(t, (await tenantBlockReason(this.pool, t, 'events')) === null);
    const rows = events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => allowed.get(e.tenantId))
      .map(({ e, i }) => ({
        i,
        source: e.source,
        event_id: e.eventId,
        tenant_id: e.tenantId,
        occurred_at: e.occurredAt?.toISOString() ?? null,
        payload: e.payload,
        signature_digest: e.signatureDigest ?? null,
        status: e.status ?? 'pending',
        outcome: e.outcome ?? null,
        coalesce_ms: e.coalesceMs,
      }));
    const inserted = new Set<number>();
    if (rows.length > 0) {
      // first occurrence of a key within the batch wins; later ones are duplicates. The key holds
      // the tenant: event ids are unique only within one upstream account.
      const key = (r: { tenant_id: string; source: string; event_id: string }) => `${r.tenant_id.toLowerCase()}|${r.source}|${r.event_id}`;
      const seen = new Set<string>();
      const unique = rows.filter((r) => {
        const k = key(r);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      // one statement, so one transaction: the events and the targeted run that will handle them
      // are committed together (no event is stored without a run to handle it). The pending
      // events of each tenant merge into its ONE queued targeted run (coalescing), due one window
      // after the first of them; a run already going for the tenant leaves them to a new one.
      // Fresh ids never repeat, so they are appended (cheap) rather than merged (merge_run_targets).
      const res = await this.pool.query<{ tenant_id: string; source: string; event_id: string; due: Date | null }>(
        `with stored as (
           insert into webhook_events (source, event_id, tenant_id, occurred_at, payload, signature_digest, status, outcome, handle_after, handled_at)
           select x.source, x.event_id, x.tenant_id, x.occurred_at, x.payload, x.signature_digest, x.status, x.outcome,
                  now() + make_interval(secs => x.coalesce_ms / 1000), case when x.status = 'ignored' then now() end
             from jsonb_to_recordset($1::jsonb) as x(source text, event_id text, tenant_id uuid, occurred_at timestamptz, payload jsonb,
                  signature_digest text, status text, outcome text, coalesce_ms double precision)
           on conflict (tenant_id, source, event_id) do nothing
           returning id, tenant_id, source, event_id, status, handle_after
         ), queued as (
           insert into runs (tenant_id, kind, status, trigger, run_after, target)
           select tenant_id, 'targeted', 'queued', 'event', min(handle_after), jsonb_build_object('eventIds', jsonb_agg(id order by id))
             from stored where status = 'pending' group by tenant_id
           on conflict (tenant_id) where kind = 'targeted' and status = 'queued'
           do update set run_after = least(runs.run_after, excluded.run_after),
                         target = jsonb_set(coalesce(runs.target, '{}'::jsonb), '{eventIds}',
                                            coalesce(runs.target -> 'eventIds', '[]'::jsonb) || (excluded.target -> 'eventIds'))
           returning run_after
         )
         select tenant_id::text, source, event_id, (select min(run_after) from queued) as due from stored`,
        [JSON.stringify(unique)],
      );
      const due = res.rows[0]?.due;
      if (due) this.onQueued?.(due);
      const ok = new Set(res.rows.map(key));
      for (const r of unique) if (ok.has(key(r))) inserted.add(r.i);
    }
    return events.map((e, i) => (!allowed.get(e.tenantId) ? 'dropped' : inserted.has(i) ? 'stored' : 'duplicate'));
  }
}
