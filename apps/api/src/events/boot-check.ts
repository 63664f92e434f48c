import type pg from 'pg';
import type { HookManager } from './hooks';

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * On every boot, ask Procore whether each active tenant's hook and triggers still exist (our
 * database may say "registered" while Procore lost them: a restored sandbox, a hook deleted by a
 * company admin) and re-register what is missing. `HookManager.ensure` is idempotent: it reuses a
 * hook it finds and only adds what is missing, so this is cheap when everything is in place.
 * It also asks the gate: a tenant whose events are off (side panel only) gets no hook (`off`, no
 * Procore call) and loses one it still has (`removed`); neither counts as failed.
 */
export async function verifyHooksAtBoot(
  pool: pg.Pool,
  hooks: HookManager,
  logger: Log,
): Promise<{ checked: number; failed: number; off: number }> {
  const { rows } = await pool.query<{ id: string }>(`select id from tenants where status = 'active' order by id`);
  let failed = 0;
  let off = 0;
  for (const t of rows) {
    const result = await hooks.ensure(t.id);
    if (result === 'off' || result === 'removed') off++;
    else if (result !== 'registered') failed++;
  }
  if (rows.length) logger.info({ checked: rows.length, failed, off }, 'Procore hooks of active tenants checked at boot');
  return { checked: rows.length, failed, off };
}
