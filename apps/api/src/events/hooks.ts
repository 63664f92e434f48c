import type pg from 'pg';
import type { CompanyClient } from '@mycoi/procore';
import type { TenantClientRegistry } from '../clients/tenant-clients';
import { PROCORE_EVENT_TYPES, PROCORE_RESOURCES } from './plan';
import { newHookSecret, secretHash } from './secret';

export interface HookManagerOptions {
  pool: pg.Pool;
  /** the shared registry: hook calls spend the same token and rate budget as the sync engine */
  clients: TenantClientRegistry;
  /** our public base URL; Procore posts to `${publicUrl}/webhooks/procore/<tenant id>` */
  publicUrl: () => string;
  namespace: string;
}

/** Every trigger we want: each of the 4 resources with the event types it has (Procore's webhooks documentation). */
export const WANTED_TRIGGERS = (Object.keys(PROCORE_RESOURCES) as (keyof typeof PROCORE_RESOURCES)[]).flatMap((resource_name) =>
  PROCORE_EVENT_TYPES[resource_name].map((event_type) => ({ resource_name, event_type })),
);

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * Registers and removes the tenant's Procore hook. Idempotent: a hook in our namespace with our
 * destination URL is reused and only missing triggers are added; a hook whose secret we no longer
 * know is replaced. Failures are recorded on procore_hooks (shown in the ops console) and retried
 * by the periodic reconcile, never thrown into the tenant lifecycle.
 */
export class HookManager {
  constructor(private readonly o: HookManagerOptions) {}

  destination(tenantId: string): string {
    return `${this.o.publicUrl().replace(/\/+$/, '')}/webhooks/procore/${tenantId}`;
  }

  private async company(tenantId: string): Promise<{ c: CompanyClient; companyId: string; clientId: string }> {
    const { client, companyId, clientId } = await this.o.clients.procore(tenantId);
    return { c: client.company(Number(companyId)), companyId, clientId };
  }

  /** Make sure the hook and all its triggers exist. Returns the state recorded. */
  async ensure(tenantId: string): Promise<'registered' | 'failed'> {
    try {
      const { c, companyId, clientId } = await this.company(tenantId);
      await this.o.pool.query(
        `insert into procore_hooks (tenant_id, procore_company_id, state) values ($1, $2, 'pending')
         on conflict (tenant_id) do update set procore_company_id = excluded.procore_company_id, updated_at = now()`,
        [tenantId, companyId],
      );
      // the DMSA's own user: events it causes are our writes coming back (loop avoidance)
      const me = await c.me();
      const row = (
        await this.o.pool.query<{ hook_id: string | null; secret_hash: string | null }>('select hook_id, secret_hash from procore_hooks where tenant_id = $1', [tenantId])
      ).rows[0];
      const url = this.destination(tenantId);
      const hooks = (await c.webhooks.listHooks({ namespace: this.o.namespace })).items.filter((h) => h.destination_url === url);
      let hook = hooks.find((h) => row?.secret_hash && String(h.id) === row.hook_id);
      for (const stale of hooks) if (stale !== hook) await c.webhooks.deleteHook(Number(stale.id)); // its secret is unknown to us
      if (!hook) {
        const secret = newHookSecret();
        // store the new hash first: Procore may deliver the moment the hook exists
        await this.o.pool.query(
          `update procore_hooks set previous_secret_hash = secret_hash, secret_hash = $2, rotated_at = now(), updated_at = now() where tenant_id = $1`,
          [tenantId, secretHash(secret)],
        );
        hook = await c.webhooks.createHook({ namespace: this.o.namespace, destination_url: url, destination_headers: { Authorization: secret } });
      }
      const hookId = Number(hook.id);
      const have = new Set((await c.webhooks.listTriggers(hookId)).items.map((t) => `${t.resource_name}|${t.event_type.toLowerCase()}`));
      const problems: string[] = [];
      for (const t of WANTED_TRIGGERS) {
        if (have.has(`${t.resource_name}|${t.event_type}`)) continue;
        try {
          await c.webhooks.createTrigger(hookId, t);
          have.add(`${t.resource_name}|${t.event_type}`);
        } catch (err) {
          problems.push(`${t.resource_name} ${t.event_type}: ${describe(err)}`); // e.g. a resource without delete events
        }
      }
      await this.o.pool.query(
        `update procore_hooks set hook_id = $2, service_user_id = $3, service_client_id = $4, trigger_count = $5, state = 'registered',
                registered_at = now(), removed_at = null, last_error = $6, updated_at = now() where tenant_id = $1`,
        [tenantId, String(hookId), String(me.id), clientId, have.size, problems.length ? problems.join('; ').slice(0, 1000) : null],
      );
      return 'registered';
    } catch (err) {
      await this.fail(tenantId, err);
      return 'failed';
    }
  }

  /** Delete our hook(s) for the tenant (deactivation). */
  async remove(tenantId: string): Promise<'removed' | 'failed'> {
    try {
      await this.o.pool.query(`update procore_hooks set state = 'removing', updated_at = now() where tenant_id = $1`, [tenantId]);
      const { c } = await this.company(tenantId);
      const url = this.destination(tenantId);
      const row = (await this.o.pool.query<{ hook_id: string | null }>('select hook_id from procore_hooks where tenant_id = $1', [tenantId])).rows[0];
      const hooks = (await c.webhooks.listHooks({ namespace: this.o.namespace })).items;
      for (const h of hooks) if (h.destination_url === url || String(h.id) === row?.hook_id) await c.webhooks.deleteHook(Number(h.id));
      // the secret hash stays: late deliveries are then counted as dropped (inactive), not as attacks
      await this.o.pool.query(
        `update procore_hooks set state = 'removed', hook_id = null, trigger_count = 0, removed_at = now(), last_error = null, updated_at = now()
          where tenant_id = $1`,
        [tenantId],
      );
      return 'removed';
    } catch (err) {
      await this.fail(tenantId, err);
      return 'failed';
    }
  }

  private async fail(tenantId: string, err: unknown): Promise<void> {
    await this.o.pool
      .query(
        `insert into procore_hooks (tenant_id, procore_company_id, state, last_error)
         select id, procore_company_id, 'failed', $2 from tenants where id = $1
         on conflict (tenant_id) do update set state = 'failed', last_error = excluded.last_error, updated_at = now()`,
        [tenantId, describe(err)],
      )
      .catch(() => undefined);
  }

  /**
   * Repair pass (at start and periodically): active tenants without a registered hook get one;
   * deactivated tenants that still have one lose it. Covers failures and missed transitions.
   */
  async reconcile(): Promise<{ ensured: number; removed: number }> {
    const { rows } = await this.o.pool.query<{ id: string; status: string; state: string | null }>(
      `select t.id, t.status, h.state from tenants t left join procore_hooks h on h.tenant_id = t.id
        where (t.status = 'active' and (h.state is null or h.state <> 'registered'))
           or (t.status = 'deactivated' and h.state is not null and h.state <> 'removed')`,
    );
    let ensured = 0;
    let removed = 0;
    for (const r of rows) {
      if (r.status === 'active') ensured += (await this.ensure(r.id)) === 'registered' ? 1 : 0;
      else removed += (await this.remove(r.id)) === 'removed' ? 1 : 0;
    }
    return { ensured, removed };
  }
}
