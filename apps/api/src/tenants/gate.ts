import type pg from 'pg';
import { HttpError } from '../http/errors';

/**
 * THE gate: nothing flows for a tenant that is not active. The scheduler, the side-panel routes
 * and the webhook handlers all ask here (and nowhere else) whether a tenant may do something.
 *
 *   await assertTenantActive(pool, tenantId, 'side_panel');     // throws TenantInactiveError
 *   const ok = await isTenantActive(pool, tenantId, 'webhooks'); // boolean
 *   const ids = await activeTenants(pool, 'compliance_push');   // scheduler: whom to run
 */
export type GatedFeature = 'compliance_push' | 'side_panel' | 'upkeep' | 'webhooks';

/** An HttpError (403 `tenant_inactive`), so a route that lets it propagate answers in the one error shape. */
export class TenantInactiveError extends HttpError {
  constructor(
    readonly tenantId: string,
    readonly feature: GatedFeature,
    readonly reason: 'unknown_tenant' | 'not_active' | 'feature_off',
  ) {
    super(
      403,
      'tenant_inactive',
      reason === 'unknown_tenant'
        ? 'This Procore company is not set up for myCOI'
        : reason === 'not_active'
          ? 'The myCOI integration is not active for this company'
          : `The ${feature.replace('_', ' ')} feature is not enabled for this company`,
      { reason },
    );
    this.name = 'TenantInactiveError';
  }
}

// Which tenant feature flag a gated feature needs. Upkeep (vendor pull + digest) exists to feed
// compliance, so it rides on compliance push; webhooks only trigger targeted runs of either kind.
const FEATURE_SQL: Record<GatedFeature, string> = {
  compliance_push: 'compliance_push',
  upkeep: 'compliance_push',
  side_panel: 'side_panel',
  webhooks: '(compliance_push or side_panel)',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a tenant may not use `feature`, or null when it may. Reads the row fresh: no caching, so a suspension takes effect at once. */
export async function tenantBlockReason(
  pool: Pick<pg.Pool, 'query'>,
  tenantId: string,
  feature: GatedFeature,
): Promise<TenantInactiveError['reason'] | null> {
  if (!UUID.test(tenantId)) return 'unknown_tenant';
  const { rows } = await pool.query<{ status: string; allowed: boolean }>(
    `select status, ${FEATURE_SQL[feature]} as allowed from tenants where id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) return 'unknown_tenant';
  if (row.status !== 'active') return 'not_active';
  if (!row.allowed) return 'feature_off';
  return null;
}

export async function isTenantActive(pool: Pick<pg.Pool, 'query'>, tenantId: string, feature: GatedFeature): Promise<boolean> {
  return (await tenantBlockReason(pool, tenantId, feature)) === null;
}

export async function assertTenantActive(pool: Pick<pg.Pool, 'query'>, tenantId: string, feature: GatedFeature): Promise<void> {
  const reason = await tenantBlockReason(pool, tenantId, feature);
  if (reason) throw new TenantInactiveError(tenantId, feature, reason);
}

/** For Procore-keyed entry points (webhooks, side panel): resolves the company first. */
export async function tenantIdForCompany(pool: Pick<pg.Pool, 'query'>, procoreCompanyId: string): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>('select id from tenants where procore_company_id = $1 order by created_at limit 1', [
    procoreCompanyId,
  ]);
  return rows[0]?.id ?? null;
}

export async function assertCompanyActive(pool: Pick<pg.Pool, 'query'>, procoreCompanyId: string, feature: GatedFeature): Promise<string> {
  const id = await tenantIdForCompany(pool, procoreCompanyId);
  if (!id) throw new TenantInactiveError(procoreCompanyId, feature, 'unknown_tenant');
  await assertTenantActive(pool, id, feature);
  return id;
}

/** Every tenant the scheduler may run `feature` for, with what it needs to phase the run. */
export async function activeTenants(
  pool: Pick<pg.Pool, 'query'>,
  feature: GatedFeature,
): Promise<{ id: string; procoreCompanyId: string; phaseSeconds: number }[]> {
  const { rows } = await pool.query<{ id: string; procore_company_id: string; phase_seconds: number }>(
    `select id, procore_company_id, phase_seconds from tenants where status = 'active' and ${FEATURE_SQL[feature]} order by id`,
  );
  return rows.map((r) => ({ id: r.id, procoreCompanyId: r.procore_company_id, phaseSeconds: r.phase_seconds }));
}
