import type pg from 'pg';
import { UpstreamError, type CompanyClient } from '@mycoi/procore';
import { activeTenantFeatures, loadFeatures, replaceProblemsOfKind, type ProblemReport } from '@mycoi/sync';
import { CallMeter } from './call-meter';
import type { HookClients } from './ports';
import { PROCORE_EVENT_TYPES, PROCORE_RESOURCES } from './plan';
import { newHookSecret, secretHash } from './secret';

export interface HookManagerOptions {
  pool: pg.Pool;
  /** the shared registry: hook calls spend the same token and rate budget as the sync engine */
  clients: HookClients;
  /** our public base URL; Procore posts to `${publicUrl}/webhooks/procore/<tenant id>` */
  publicUrl: () => string;
  namespace: string;
}

/** Every trigger we want: each of the 4 resources with the event types it has (Procore's webhooks documentation). */
export const WANTED_TRIGGERS = (Object.keys(PROCORE_RESOURCES) as (keyof typeof PROCORE_RESOURCES)[]).flatMap((resource_name) =>
  PROCORE_EVENT_TYPES[resource_name].map((event_type) => ({ resource_name, event_type })),
);

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/** A refused trigger in a few words: status, Procore's message and its field errors (either documented body shape). */
function refusal(err: unknown): string {
  if (!(err instanceof UpstreamError) || err.status === undefined) return describe(err);
  const b = err.body as { error?: { details?: unknown }; errors?: unknown } | null | undefined;
  const details = b && typeof b === 'object' ? (b.error?.details ?? b.errors) : undefined;
  const words = details && typeof details === 'object' ? JSON.stringify(details).slice(0, 200) : '';
  return `HTTP ${err.status}${err.upstreamMessage ? ` ${err.upstreamMessage}` : ''}${words ? ` ${words}` : ''}`;
}

export type HookState = 'registered' | 'incomplete' | 'failed';
/**
 * What `ensure` did. Besides the hook states: 'off' = the gate says the tenant gets no hook and
 * none was left to remove (nothing was asked of Procore); 'removed' = the gate says no hook and
 * the one the tenant had was removed now.
 */
export type EnsureResult = HookState | 'off' | 'removed';
type Wanted = (typeof WANTED_TRIGGERS)[number];
const keyOf = (t: { resource_name: string; event_type: string }) => `${t.resource_name}|${t.event_type.toLowerCase()}`;

/** Our namespace at Procore: lowercase, digits, dashes; one per app across all companies. */
export const HOOK_NAMESPACE = 'mycoi-procore';

/** Registered hooks are read back again this often (about once per two-hour sync cycle). */
export const HOOK_VERIFY_EVERY = '2 hours';

/** What each kind of missing trigger costs the customer, in words for the console. */
const MISSING: Record<'commitment' | 'vendor' | 'project', { title: string; without: string }> = {
  commitment: {
    title: 'Commitment events missing',
    without: 'a subcontract or purchase order approved in Procore reaches myCOI at the next two-hourly sync instead of within seconds',
  },
  vendor: {
    title: 'Vendor events missing',
    without: 'vendor changes in Procore are picked up at the next two-hourly sync instead of within seconds',
  },
  project: {
    title: 'Project events missing',
    without: 'new or changed projects are picked up at the next two-hourly sync instead of within seconds',
  },
};
const FIX =
  'In Procore, App Management > myCOI > Permissions: give the service account the Webhooks API tool at Standard (and the Commitments tool for commitment events). myCOI retries the registration automatically; nothing else is needed.';

/** One problem per kind of event that will not arrive (commitments, vendors, projects); `why` is a sentence. */
export function missingTriggerProblems(missing: readonly Wanted[], why: string | null): ProblemReport[] {
  const byKind = new Map<keyof typeof MISSING, Wanted[]>();
  for (const t of missing) {
    const kind = PROCORE_RESOURCES[t.resource_name];
    byKind.set(kind, [...(byKind.get(kind) ?? []), t]);
  }
  return [...byKind].map(([kind, list]) => ({
    kind: 'hooks_missing' as const,
    scope: `hooks:${kind}`,
    title: MISSING[kind].title,
    detail:
      `Procore does not have the webhook triggers ${list.map((t) => `${t.resource_name} ${t.event_type}`).join(', ')}; ${MISSING[kind].without}.${why ? ` ${why}` : ''}`.slice(
        0,
        1000,
      ),
    fix: FIX,
  }));
}

/**
 * Registers and removes the tenant's Procore hook. Idempotent: a hook in our namespace with our
 * destination URL is reused and only missing triggers are added; a hook whose secret we no longer
 * know is replaced. Failures are recorded on procore_hooks (shown in the ops console) and retried
 * by the periodic reconcile, never thrown into the tenant lifecycle.
 *
 * THE gate decides whether a tenant has a hook: `events` of `tenantFeatures` (@mycoi/contracts;
 * read through @mycoi/sync's `loadFeatures`). Events only trigger compliance push and upkeep, so a side-panel-only
 * tenant (or one whose settings do not parse) gets none — its deliveries would be dropped anyway —
 * and a tenant whose events went off loses its hook at the next repair pass; when they come back on
 * the repair pass registers it again. The lifecycle keeps its own rules: a suspended tenant keeps
 * its hook (deliveries are dropped while suspended), deactivation removes it.
 */
export class HookManager {
  /** One registration per tenant at a time in this instance (activation, boot check and repair pass may meet). */
  private readonly ensuring = new Map<string, Promise<EnsureResult>>();

  constructor(private readonly o: HookManagerOptions) {}

  destination(tenantId: string): string {
    return `${this.o.publicUrl().replace(/\/+$/, '')}/webhooks/procore/${tenantId}`;
  }

  private async company(tenantId: string, meter: CallMeter): Promise<{ c: CompanyClient; companyId: string; clientId: string }> {
    const { client, companyId, clientId } = await this.o.clients.procore(tenantId);
    meter.watch(client.stats);
    return { c: client.company(Number(companyId)), companyId, clientId };
  }

  /**
   * Make sure the hook and all its triggers exist, then READ THE TRIGGERS BACK: the hook is
   * 'registered' only when every trigger we need is there. Missing ones make it 'incomplete',
   * are listed on the tenant as 'hooks_missing' problems (console and ops) and are retried by
   * reconcile(). Returns the state recorded.
   *
   * Asks the gate first: when `events` is off for an active tenant, no hook is registered and one
   * the tenant still has is removed ('off' / 'removed'); a tenant that is not active is left as it
   * is ('off': suspension keeps the hook, deactivation removes it through `remove`).
   * `meter` counts the Procore calls made (a hook job records them on its run); a caller that
   * joins a registration already in flight counts none, they are on the first caller's meter.
   */
  ensure(tenantId: string, meter: CallMeter = new CallMeter()): Promise<EnsureResult> {
    // two concurrent registrations would both find no hook and create two: the later caller joins
    // the one in flight (each rotates the secret, so the loser's hook would also be deleted later)
    const running = this.ensuring.get(tenantId);
    if (running) return running;
    const p = this.ensureNow(tenantId, meter).finally(() => this.ensuring.delete(tenantId));
    this.ensuring.set(tenantId, p);
    return p;
  }

  private async ensureNow(tenantId: string, meter: CallMeter): Promise<EnsureResult> {
    let hookToRemove: boolean;
    try {
      const features = (await loadFeatures(this.o.pool, tenantId))?.features;
      if (!features || features.events.reason === 'not_active') return 'off';
      if (features.events.on) return await this.register(tenantId, meter);
      // events off: only a hook the tenant still has (in any state but 'removed') means work at Procore
      const { rows } = await this.o.pool.query<{ state: string }>('select state from procore_hooks where tenant_id = $1', [tenantId]);
      hookToRemove = rows[0] !== undefined && rows[0].state !== 'removed';
    } catch (err) {
      await this.fail(tenantId, err);
      return 'failed';
    }
    return hookToRemove ? this.remove(tenantId, meter) : 'off';
  }

  private async register(tenantId: string, meter: CallMeter): Promise<HookState> {
    try {
      const { c, companyId, clientId } = await this.company(tenantId, meter);
      await this.o.pool.query(
        `insert into procore_hooks (tenant_id, procore_company_id, state) values ($1, $2, 'pending')
         on conflict (tenant_id) do update set procore_company_id = excluded.procore_company_id, updated_at = now()`,
        [tenantId, companyId],
      );
      // the DMSA's own user: events it causes are our writes coming back (loop avoidance)
      const me = await c.me();
      const row = (
        await this.o.pool.query<{ hook_id: string | null; secret_hash: string | null }>(
          'select hook_id, secret_hash from procore_hooks where tenant_id = $1',
          [tenantId],
        )
      ).rows[0];
      const url = this.destination(tenantId);
      const hooks = (await c.webhooks.listHooks({ namespace: this.o.namespace })).items.filter((h) => h.destination_url === url);
      let hook = hooks.find((h) => row?.secret_hash && String(h.id) === row.hook_id);
      for (const stale of hooks) {
        if (stale === hook) continue;
        meter.wrote();
        await c.webhooks.deleteHook(Number(stale.id)); // its secret is unknown to us
      }
      if (!hook) {
        const secret = newHookSecret();
        // store the new hash first: Procore may deliver the moment the hook exists
        await this.o.pool.query(
          `update procore_hooks set previous_secret_hash = secret_hash, secret_hash = $2, rotated_at = now(), updated_at = now() where tenant_id = $1`,
          [tenantId, secretHash(secret)],
        );
        meter.wrote();
        hook = await c.webhooks.createHook({
          namespace: this.o.namespace,
          destination_url: url,
          destination_headers: { Authorization: secret },
        });
      }
      const hookId = Number(hook.id);
      // One company-level hook carries every trigger: Procore fans project-level resources (the
      // contracts) out over the company's projects (see packages/procore-sandbox/README.md).
      const before = new Set((await c.webhooks.listTriggers(hookId)).items.map(keyOf));
      const refusals: string[] = [];
      let created = 0;
      for (const t of WANTED_TRIGGERS) {
        if (before.has(keyOf(t))) continue;
        try {
          meter.wrote();
          await c.webhooks.createTrigger(hookId, t);
          created += 1;
        } catch (err) {
          refusals.push(`${t.resource_name} ${t.event_type}: ${refusal(err)}`);
        }
      }
      // read back: a 201 is not proof (and a refusal may be a lost answer of a trigger that exists)
      const have = created > 0 || refusals.length > 0 ? new Set((await c.webhooks.listTriggers(hookId)).items.map(keyOf)) : before;
      const missing = WANTED_TRIGGERS.filter((t) => !have.has(keyOf(t)));
      const why = refusals.length
        ? `Procore answered: ${refusals.join('; ')}`.slice(0, 1000)
        : missing.length
          ? 'Procore accepted the triggers but they were not there when read back.'
          : null;
      const state: HookState = missing.length ? 'incomplete' : 'registered';
      await this.o.pool.query(
        `update procore_hooks set hook_id = $2, service_user_id = $3, service_client_id = $4, trigger_count = $5, state = $6,
                registered_at = case when $6 = 'registered' and (state <> 'registered' or registered_at is null) then now() else registered_at end,
                removed_at = null, last_error = $7, missing_triggers = $8, verified_at = now(), updated_at = now()
          where tenant_id = $1`,
        [tenantId, String(hookId), String(me.id), clientId, WANTED_TRIGGERS.length - missing.length, state, why, missing.map(keyOf)],
      );
      await replaceProblemsOfKind(this.o.pool, tenantId, 'hooks_missing', missingTriggerProblems(missing, why));
      return state;
    } catch (err) {
      await this.fail(tenantId, err);
      // nothing registered we can rely on: every kind of event may be missing
      await replaceProblemsOfKind(
        this.o.pool,
        tenantId,
        'hooks_missing',
        missingTriggerProblems(WANTED_TRIGGERS, `Procore answered: ${describe(err)}`),
      ).catch(() => undefined);
      return 'failed';
    }
  }

  /** Delete our hook(s) for the tenant (deactivation). */
  async remove(tenantId: string, meter: CallMeter = new CallMeter()): Promise<'removed' | 'failed'> {
    try {
      await this.o.pool.query(`update procore_hooks set state = 'removing', updated_at = now() where tenant_id = $1`, [tenantId]);
      const { c } = await this.company(tenantId, meter);
      const url = this.destination(tenantId);
      const row = (
        await this.o.pool.query<{ hook_id: string | null }>('select hook_id from procore_hooks where tenant_id = $1', [tenantId])
      ).rows[0];
      const hooks = (await c.webhooks.listHooks({ namespace: this.o.namespace })).items;
      for (const h of hooks) {
        if (h.destination_url !== url && String(h.id) !== row?.hook_id) continue;
        meter.wrote();
        await c.webhooks.deleteHook(Number(h.id));
      }
      // the secret hash stays: late deliveries are then counted as dropped (inactive), not as attacks
      await this.o.pool.query(
        `update procore_hooks set state = 'removed', hook_id = null, trigger_count = 0, removed_at = now(), last_error = null,
                missing_triggers = '{}', updated_at = now()
          where tenant_id = $1`,
        [tenantId],
      );
      // an inactive tenant expects no events: nothing is "missing" any more
      await replaceProblemsOfKind(this.o.pool, tenantId, 'hooks_missing', []);
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
   * Repair pass (at start and periodically), by the gate: active tenants whose events run and that
   * have no complete hook get one (missing triggers are retried), registered hooks are read back
   * again once per cycle (HOOK_VERIFY_EVERY: someone may have deleted the hook or a trigger in
   * Procore); active tenants whose events are off (side panel only, settings invalid) and
   * deactivated tenants that still have a hook lose it. Covers failures, missed transitions and
   * feature changes (settings saved in the console).
   */
  async reconcile(): Promise<{ ensured: number; removed: number }> {
    let ensured = 0;
    let removed = 0;
    for (const w of await this.repairWork()) {
      const result = w.kind === 'ensure' ? await this.ensure(w.id) : await this.remove(w.id);
      if (result === 'registered') ensured += 1;
      else if (result === 'removed') removed += 1;
    }
    return { ensured, removed };
  }

  /** What the repair pass would do, without doing it: the job system queues one hook job per entry. */
  async repairWork(): Promise<{ id: string; kind: 'ensure' | 'remove' }[]> {
    const hooks = new Map(
      (
        await this.o.pool.query<{ tenant_id: string; state: string; due: boolean }>(
          `select tenant_id, state, (verified_at is null or verified_at < now() - $1::interval) as due from procore_hooks`,
          [HOOK_VERIFY_EVERY],
        )
      ).rows.map((h) => [h.tenant_id, h]),
    );
    const work: { id: string; kind: 'ensure' | 'remove' }[] = [];
    for (const t of await activeTenantFeatures(this.o.pool)) {
      const h = hooks.get(t.id);
      if (t.features.events.on) {
        if (!h || h.state !== 'registered' || h.due) work.push({ id: t.id, kind: 'ensure' });
      } else if (h && h.state !== 'removed') work.push({ id: t.id, kind: 'ensure' }); // ensure asks the gate again and removes
    }
    const { rows: deactivated } = await this.o.pool.query<{ id: string }>(
      `select t.id from tenants t join procore_hooks h on h.tenant_id = t.id
        where t.status = 'deactivated' and h.state <> 'removed' order by t.id`,
    );
    for (const r of deactivated) work.push({ id: r.id, kind: 'remove' });
    return work;
  }
}
