import type pg from 'pg';
import type { TenantStatus } from '@mycoi/contracts';
import type { TenantAction } from './lifecycle';

/**
 * Extension point: code that must react to a lifecycle change (e.g. events registering Procore
 * webhooks on activation and removing them on deactivation) listens here. Listeners run AFTER the
 * transition committed, never inside its transaction (they call upstream APIs), and are keyed by
 * the database pool, so two app instances in one test process do not hear each other.
 * A listener must not throw; it owns its own error handling and retries.
 */
export interface TenantTransition {
  tenantId: string;
  action: TenantAction;
  from: TenantStatus;
  to: TenantStatus;
}
export type TransitionListener = (t: TenantTransition) => Promise<void> | void;

const listeners = new WeakMap<object, Set<TransitionListener>>();

/** Returns the function that removes the listener again. */
export function onTenantTransition(pool: pg.Pool, fn: TransitionListener): () => void {
  let set = listeners.get(pool);
  if (!set) listeners.set(pool, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

export async function notifyTenantTransition(pool: pg.Pool, t: TenantTransition): Promise<void> {
  // side by side: the first push (scheduler) must not wait for the hook registration (events)
  await Promise.allSettled(
    [...(listeners.get(pool) ?? [])].map(async (fn) => {
      try {
        await fn(t);
      } catch {
        // listeners handle their own failures; a transition that committed is never undone here
      }
    }),
  );
}
