import type pg from 'pg';
import { activeTenantIds, enqueueRun, scheduledKinds, tenantState } from '@mycoi/sync';
import { createHash } from 'node:crypto';

/**
 * Claim a cron slot: the one instance whose INSERT lands enqueues the slot's runs; the others see
 * the row and do nothing. This is node-cron's distributed RunCoordinator, backed by PostgreSQL.
 */
export function slotCoordinator(pool: pg.Pool, instanceId: string) {
  return {
    async shouldRun(key: string): Promise<boolean> {
      const res = await pool.query(
        'insert into cron_slots (slot_key, owner) values ($1, $2) on conflict (slot_key) do nothing returning slot_key',
        [key, instanceId],
      );
      return (res.rowCount ?? 0) === 1;
    },
  };
}

/** Stable per tenant: its configured phase, else a hash of its id, within [0, spreadMs). */
export function phaseMs(tenant: { id: string; phaseSeconds: number }, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  if (tenant.phaseSeconds > 0) return (tenant.phaseSeconds * 1000) % spreadMs;
  const h = createHash('sha256').update(tenant.id).digest().readUInt32BE(0);
  return h % spreadMs;
}

/**
 * Queue this slot's runs: what the gate lets run for every active tenant (a push when compliance
 * push runs at some level, an upkeep when upkeep runs; a side-panel-only tenant gets neither), each
 * at slot start + the tenant's phase, or later if the tenant is backing off after failures. A
 * tenant that still has a run queued or running keeps that one (unique index).
 */
export async function enqueueSlot(pool: pg.Pool, slot: string, slotStart: Date, spreadMs: number, logger: SlotLogger): Promise<number> {
  let queued = 0;
  for (const id of await activeTenantIds(pool)) {
    const plan = await scheduledKinds(pool, logger, id);
    if (!plan || plan.kinds.length === 0) continue;
    const state = await tenantState(pool, id);
    let at = new Date(slotStart.getTime() + phaseMs({ id, phaseSeconds: plan.phaseSeconds }, spreadMs));
    if (state?.backoff_until && state.backoff_until > at) at = state.backoff_until;
    // upkeep first: it makes the links the push needs (claimRun keeps that order across instances)
    for (const kind of upkeepFirst(plan.kinds)) {
      if (await enqueueRun(pool, { tenantId: id, kind, trigger: 'schedule', slot, runAfter: at })) queued++;
    }
  }
  return queued;
}

export interface SlotLogger {
  error(obj: object, msg?: string): void;
}

/** The cycle's order: upkeep before push, so the links the push needs exist when it runs. */
export function upkeepFirst<K extends 'push' | 'upkeep'>(kinds: readonly K[]): K[] {
  return [...kinds].sort((a, b) => (a === b ? 0 : a === 'upkeep' ? -1 : 1));
}
