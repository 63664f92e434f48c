import type pg from 'pg';
import type { TenantEventsSummary } from '@mycoi/contracts';
import { listUnparsed } from './unparsed';

// The answer's schema is the shared contract, TenantEventsSummary of @mycoi/contracts (the console parses it).

const zero = () => ({ received: 0, deduplicated: 0, rejected: 0, unparsed: 0, dropped_inactive: 0, ignored_own: 0, handled: 0, failed: 0 });

export async function tenantEventsSummary(pool: Pick<pg.Pool, 'query'>, tenantId: string, recentLimit = 20): Promise<TenantEventsSummary> {
  const hook = await pool.query<{
    state: string;
    hook_id: string | null;
    trigger_count: number;
    registered_at: Date | null;
    removed_at: Date | null;
    last_error: string | null;
    missing_triggers: string[];
  }>(
    'select state, hook_id, trigger_count, registered_at, removed_at, last_error, missing_triggers from procore_hooks where tenant_id = $1',
    [tenantId],
  );
  const counters = { procore: zero(), mycoi: zero() };
  const c = await pool.query<{ source: 'procore' | 'mycoi'; kind: keyof ReturnType<typeof zero>; count: number }>(
    'select source, kind, count from event_counters where scope = $1',
    [tenantId],
  );
  for (const row of c.rows)
    if (counters[row.source] && row.kind in counters[row.source]) counters[row.source][row.kind] = Number(row.count);
  const open = await pool.query<{ pending: number; failed: number }>(
    `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'failed')::int as failed
       from webhook_events where tenant_id = $1`,
    [tenantId],
  );
  const lat = await pool.query<{ samples: number; p50: number | null; p95: number | null; max: number | null }>(
    `select count(latency_ms)::int as samples,
            percentile_cont(0.5) within group (order by latency_ms) as p50,
            percentile_cont(0.95) within group (order by latency_ms) as p95,
            max(latency_ms) as max
       from webhook_events where tenant_id = $1 and latency_ms is not null and handled_at > now() - interval '24 hours'`,
    [tenantId],
  );
  const recent = await pool.query<{
    source: 'procore' | 'mycoi';
    event_id: string;
    payload: Record<string, unknown>;
    status: string;
    outcome: string | null;
    received_at: Date;
    handled_at: Date | null;
    latency_ms: number | null;
  }>(
    `select source, event_id, payload, status, outcome, received_at, handled_at, latency_ms
       from webhook_events where tenant_id = $1 order by received_at desc, id desc limit $2`,
    [tenantId, recentLimit],
  );
  const h = hook.rows[0];
  const l = lat.rows[0];
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    tenantId,
    hook: h
      ? {
          state: h.state,
          hookId: h.hook_id,
          triggerCount: h.trigger_count,
          registeredAt: h.registered_at?.toISOString() ?? null,
          removedAt: h.removed_at?.toISOString() ?? null,
          lastError: h.last_error,
          missingTriggers: h.missing_triggers,
        }
      : null,
    counters,
    pending: open.rows[0]?.pending ?? 0,
    failed: open.rows[0]?.failed ?? 0,
    latency: { samples: l?.samples ?? 0, p50Ms: num(l?.p50), p95Ms: num(l?.p95), maxMs: num(l?.max) },
    recent: recent.rows.map((e) => ({
      source: e.source,
      eventId: e.event_id,
      subject: subjectOf(e.source, e.payload),
      type: typeOf(e.source, e.payload),
      status: e.status,
      outcome: e.outcome,
      receivedAt: e.received_at.toISOString(),
      handledAt: e.handled_at?.toISOString() ?? null,
      latencyMs: e.latency_ms,
    })),
    unparsed: await listUnparsed(pool, tenantId),
  };
}

/** The event's own type as its sender names it. */
function typeOf(source: string, p: Record<string, unknown>): string {
  if (source === 'procore') return `${String(p.resource_name ?? '?')} ${String(p.event_type ?? '?')}`;
  return String(p.type ?? 'compliance.updated');
}

/** A short human label: "Work Order Contracts update 123" or "vendor v_12 compliance". */
function subjectOf(source: string, p: Record<string, unknown>): string {
  if (source === 'procore') return `${String(p.resource_name ?? '?')} ${String(p.event_type ?? '?')} ${String(p.resource_id ?? '?')}`;
  const rec = (p.data as { record?: { level?: string; vendor_id?: string; assignment_id?: string | null } } | undefined)?.record;
  if (!rec) return 'compliance';
  return rec.level === 'assignment' ? `assignment ${rec.assignment_id ?? '?'} compliance` : `vendor ${rec.vendor_id ?? '?'} compliance`;
}
