import type { SyncRun } from '@mycoi/contracts';
import type { RunRow } from '@mycoi/sync';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);

/** Stop reasons the engine writes, in the words a customer admin reads. */
const STOP_REASONS: Record<string, string> = {
  tenant_inactive: 'Skipped: the integration was not active when the run was due.',
  compliance_push_off: 'Skipped: compliance push is turned off for this company.',
  rate_budget_low: 'Paused to stay within Procore’s rate limit; it continues automatically when the limit resets.',
};

/** A failed or stopped run's reason in plain words; the raw engine text follows a failure so support can match it. */
export function outcomeText(run: Pick<RunRow, 'status' | 'stop_reason'>): string | null {
  if (run.status === 'succeeded' || run.status === 'queued' || run.status === 'running') return null;
  const known = run.stop_reason ? STOP_REASONS[run.stop_reason] : undefined;
  if (known) return known;
  if (run.status === 'failed')
    return `The run failed: ${run.stop_reason ?? 'no reason recorded'}. It is retried automatically; see the problems listed for what to fix.`;
  return run.stop_reason ? `Stopped: ${run.stop_reason}` : 'Stopped before it finished.';
}

/** A `runs` row on the wire. Counts are jsonb written by the engine: read defensively, never trusted to be complete. */
export function toSyncRun(r: RunRow): SyncRun {
  const c = (r.counts ?? {}) as Record<string, unknown>;
  const errors = Array.isArray(r.errors) ? r.errors : [];
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    trigger: r.trigger,
    queuedAt: iso(r.created_at)!,
    runAfter: iso(r.run_after)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    procoreCalls: r.calls,
    procoreWrites: r.write_calls,
    rows: {
      read: num(c.read),
      unchanged: num(c.unchanged),
      created: num(c.created),
      updated: num(c.updated),
      deleted: num(c.deleted),
      failed: num(c.failed),
      skipped: num(c.skipped),
    },
    rateLimitWaits: num(c.rateLimitWaits),
    outcomeText: outcomeText(r),
    errors: errors.slice(0, 5).map((e) => ({
      code: String(e.code ?? 'error'),
      message: String(e.message ?? ''),
      ...(e.ref ? { ref: String(e.ref) } : {}),
    })),
  };
}
