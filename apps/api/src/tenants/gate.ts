import type pg from 'pg';
import {
  FEATURE_OFF_MESSAGES,
  type FeatureDecision,
  type FeatureOffReason,
  type GatedFeature,
  type TenantFeatures,
} from '@mycoi/contracts';
import { activeTenantFeatures, loadFeatures } from '@mycoi/sync';
import { HttpError } from '../http/errors';

/**
 * The database side of THE gate. Which features run for a tenant is decided by one pure function,
 * `tenantFeatures` in @mycoi/contracts (features.ts, rule in the root README); the scheduler, the sync
 * engine and @mycoi/events call it through @mycoi/sync (which also reads the tenant row for this
 * file), and the side-panel routes, the webhook receivers and the consoles through here. Nothing
 * here decides anything itself.
 *
 *   await assertTenantActive(pool, tenantId, 'side_panel');  // throws TenantInactiveError
 *   const ok = await isTenantActive(pool, tenantId, 'events'); // boolean
 *   const ids = await activeTenants(pool, 'push_vendor');    // tenants a feature runs for
 */
export type { GatedFeature };

/**
 * What a caller may ask: a gated feature, or one of the two older names kept so that callers
 * written before the gate moved to @mycoi/contracts still compile: 'webhooks' = 'events',
 * 'compliance_push' = push runs at some level. Both answer from the same function.
 */
export type GateQuestion = GatedFeature | 'webhooks' | 'compliance_push';

function decide(f: TenantFeatures, q: GateQuestion): FeatureDecision {
  if (q === 'webhooks') return f.events;
  if (q === 'compliance_push') return f.push_vendor.on ? f.push_vendor : f.push_commitment.on ? f.push_commitment : f.push_vendor;
  return f[q];
}

/** An HttpError (403 `tenant_inactive`), so a route that lets it propagate answers in the one error shape. */
export class TenantInactiveError extends HttpError {
  constructor(
    readonly tenantId: string,
    readonly feature: GateQuestion,
    readonly reason: 'unknown_tenant' | 'not_active' | 'feature_off',
    readonly why: FeatureOffReason | null = null,
  ) {
    super(
      403,
      'tenant_inactive',
      reason === 'unknown_tenant'
        ? 'This Procore company is not set up for myCOI'
        : why
          ? FEATURE_OFF_MESSAGES[why]
          : reason === 'not_active'
            ? FEATURE_OFF_MESSAGES.not_active
            : `The ${feature.replace('_', ' ')} feature is not enabled for this company`,
      why && reason === 'feature_off' ? { reason, why } : { reason },
    );
    this.name = 'TenantInactiveError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The gate's answer for a tenant, or null when there is no such tenant. Reads the row fresh: a suspension takes effect at once. */
export async function tenantFeaturesOf(pool: Pick<pg.Pool, 'query'>, tenantId: string): Promise<TenantFeatures | null> {
  if (!UUID.test(tenantId)) return null;
  return (await loadFeatures(pool, tenantId))?.features ?? null;
}

/** Why a tenant may not use `feature`, or null when it may. */
export async function tenantBlockReason(
  pool: Pick<pg.Pool, 'query'>,
  tenantId: string,
  feature: GateQuestion,
): Promise<TenantInactiveError['reason'] | null> {
  return (await blockOf(pool, tenantId, feature))?.reason ?? null;
}

async function blockOf(
  pool: Pick<pg.Pool, 'query'>,
  tenantId: string,
  feature: GateQuestion,
): Promise<{ reason: TenantInactiveError['reason']; why: FeatureOffReason | null } | null> {
  const f = await tenantFeaturesOf(pool, tenantId);
  if (!f) return { reason: 'unknown_tenant', why: null };
  const d = decide(f, feature);
  if (d.on) return null;
  return { reason: d.reason === 'not_active' ? 'not_active' : 'feature_off', why: d.reason };
}

export async function isTenantActive(pool: Pick<pg.Pool, 'query'>, tenantId: string, feature: GateQuestion): Promise<boolean> {
  return (await tenantBlockReason(pool, tenantId, feature)) === null;
}

export async function assertTenantActive(pool: Pick<pg.Pool, 'query'>, tenantId: string, feature: GateQuestion): Promise<void> {
  const block = await blockOf(pool, tenantId, feature);
  if (block) throw new TenantInactiveError(tenantId, feature, block.reason, block.why);
}

/** For Procore-keyed entry points (webhooks, side panel): resolves the company first. */
export async function tenantIdForCompany(pool: Pick<pg.Pool, 'query'>, procoreCompanyId: string): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>('select id from tenants where procore_company_id = $1 order by created_at limit 1', [
    procoreCompanyId,
  ]);
  return rows[0]?.id ?? null;
}

export async function assertCompanyActive(pool: Pick<pg.Pool, 'query'>, procoreCompanyId: string, feature: GateQuestion): Promise<string> {
  const id = await tenantIdForCompany(pool, procoreCompanyId);
  if (!id) throw new TenantInactiveError(procoreCompanyId, feature, 'unknown_tenant');
  await assertTenantActive(pool, id, feature);
  return id;
}

/** Every active tenant `feature` runs for, with what is needed to phase its runs. */
export async function activeTenants(
  pool: Pick<pg.Pool, 'query'>,
  feature: GateQuestion,
): Promise<{ id: string; procoreCompanyId: string; phaseSeconds: number }[]> {
  return (await activeTenantFeatures(pool))
    .filter((t) => decide(t.features, feature).on)
    .map((t) => ({ id: t.id, procoreCompanyId: t.procoreCompanyId, phaseSeconds: t.phaseSeconds }));
}
