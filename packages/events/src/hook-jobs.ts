import type pg from 'pg';
import type { RunHandler } from '@mycoi/jobs';
import { emptyCounts, enqueueHooks, finishRun } from '@mycoi/sync';
import { CallMeter } from './call-meter';
import type { HookManager } from './hooks';

/**
 * Hook registration, verification and removal as jobs of the one queue (kind 'hooks', target
 * {action}): queued on activation/deactivation, at boot and by the periodic repair, executed by
 * the job worker — so they share the tenant's per-tenant serialisation and Procore budget with its
 * runs, survive a restart (the row stays queued) and show in the run history.
 */
export function hookJobHandler(pool: pg.Pool, hooks: HookManager): RunHandler {
  return async (run, owner) => {
    const action = run.target?.action === 'remove' ? 'remove' : 'ensure';
    // its Procore calls spend the tenant's budget like a sync run's: the run history records them
    const meter = new CallMeter();
    const result = action === 'remove' ? await hooks.remove(run.tenant_id, meter) : await hooks.ensure(run.tenant_id, meter);
    const status = result === 'failed' ? 'failed' : 'succeeded';
    // registered/removed need no word; 'incomplete' (triggers missing) and 'off' (events off) are said on the run
    const stopReason = result === 'registered' || result === 'removed' ? null : result;
    const why =
      status === 'failed'
        ? ((await pool.query<{ last_error: string | null }>('select last_error from procore_hooks where tenant_id = $1', [run.tenant_id]))
            .rows[0]?.last_error ?? 'hook registration failed')
        : null;
    await finishRun(pool, run.id, owner, {
      status,
      counts: emptyCounts(),
      calls: meter.calls(),
      writeCalls: meter.writes(),
      errors: why ? [{ code: 'hooks_failed', message: why.slice(0, 500) }] : [],
      stopReason,
    });
    return { status, ctx: null, stopReason };
  };
}

/** Queue a hook job; resolves with its id. */
export function queueHookJob(
  pool: pg.Pool,
  tenantId: string,
  action: 'ensure' | 'remove',
  trigger: 'manual' | 'schedule',
): Promise<number> {
  return enqueueHooks(pool, { tenantId, action, trigger });
}

/** Wait until the run has finished, at most `ms` (the ops user waits a little; slow Procore finishes in the background). */
export async function waitForRun(pool: pg.Pool, runId: number, ms: number, stopped: () => boolean = () => false): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !stopped()) {
    const { rows } = await pool.query<{ status: string }>('select status from runs where id = $1', [runId]);
    if (!rows[0] || (rows[0].status !== 'queued' && rows[0].status !== 'running')) return true;
    await new Promise((r) => setTimeout(r, 50).unref());
  }
  return false;
}
