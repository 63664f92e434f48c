import {
  pushRuns,
  readTenantSettings,
  tenantFeatures,
  type ComplianceLevel,
  type FeatureOffReason,
  type TenantFeatures,
  type TenantSettings,
} from '@mycoi/contracts';
import { clearProblem, recordProblem } from './problems';
import type { Queryable } from './db';

export type { ComplianceLevel };

export interface SyncTenant {
  id: string;
  name: string;
  procoreCompanyId: string;
  status: string;
  compliancePush: boolean;
  sidePanel: boolean;
  complianceLevel: ComplianceLevel;
  /** false once validation found no Commitments tool; null = not checked (see features.ts in contracts) */
  commitmentsTool: boolean | null;
  phaseSeconds: number;
  /** THE settings schema (@mycoi/contracts TenantSettings), read strictly */
  settings: TenantSettings;
}

/** The stored settings document does not parse: the tenant does not sync until it is saved again. */
export class SettingsInvalidError extends Error {
  constructor(
    readonly tenantId: string,
    readonly issues: string,
  ) {
    super(`The stored settings of tenant ${tenantId} do not parse: ${issues}`);
    this.name = 'SettingsInvalidError';
  }
}

interface TenantRow {
  id: string;
  name: string;
  procore_company_id: string;
  status: string;
  compliance_push: boolean;
  side_panel: boolean;
  compliance_level: ComplianceLevel;
  commitments_tool: boolean | null;
  phase_seconds: number;
  settings: unknown;
}

function toTenant(r: TenantRow): SyncTenant {
  const read = readTenantSettings(r.settings);
  if (!read.ok) throw new SettingsInvalidError(r.id, read.error);
  return {
    id: r.id,
    name: r.name,
    procoreCompanyId: r.procore_company_id,
    status: r.status,
    compliancePush: r.compliance_push,
    sidePanel: r.side_panel,
    complianceLevel: r.compliance_level,
    commitmentsTool: r.commitments_tool,
    phaseSeconds: r.phase_seconds,
    settings: read.settings,
  };
}

const COLS =
  'id, name, procore_company_id, status, compliance_push, side_panel, compliance_level, commitments_tool, phase_seconds, settings';

/** The tenant with its settings; throws SettingsInvalidError when the stored settings do not parse. */
export async function loadTenant(db: Queryable, tenantId: string): Promise<SyncTenant | null> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where id = $1`, [tenantId]);
  return res.rows[0] ? toTenant(res.rows[0]) : null;
}

/** The gate's answer for this tenant (@mycoi/contracts features.ts): what runs and why not. */
export function featuresOf(t: SyncTenant): TenantFeatures {
  return tenantFeatures({ ...t, settings: t.settings });
}

/**
 * The gate's answer for a tenant row whose settings may not parse (the scheduler plans a slot for
 * every active tenant; a tenant with invalid settings gets no runs, and its problem is recorded).
 */
export async function loadFeatures(
  db: Queryable,
  tenantId: string,
): Promise<{ features: TenantFeatures; phaseSeconds: number; settingsError: string | null } | null> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where id = $1`, [tenantId]);
  const r = res.rows[0];
  if (!r) return null;
  const { features, settingsError } = rowFeatures(r);
  return { features, phaseSeconds: r.phase_seconds, settingsError };
}

/** The gate's answer for one row; settings that do not parse count as none (the gate then says why). */
function rowFeatures(r: TenantRow): { features: TenantFeatures; settingsError: string | null } {
  const read = readTenantSettings(r.settings);
  const features = tenantFeatures({
    status: r.status,
    compliancePush: r.compliance_push,
    sidePanel: r.side_panel,
    complianceLevel: r.compliance_level,
    commitmentsTool: r.commitments_tool,
    settings: read.ok ? read.settings : null,
  });
  return { features, settingsError: read.ok ? null : read.error };
}

/**
 * Every active tenant with the gate's full answer, settings that do not parse included: for passes
 * that act on a feature turning off as well as on (the webhook hook repair removes the hook of a
 * tenant whose events went off).
 */
export async function activeTenantFeatures(
  db: Queryable,
): Promise<{ id: string; procoreCompanyId: string; phaseSeconds: number; features: TenantFeatures }[]> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where status = 'active' order by id`);
  return res.rows.map((r) => ({
    id: r.id,
    procoreCompanyId: r.procore_company_id,
    phaseSeconds: r.phase_seconds,
    features: rowFeatures(r).features,
  }));
}

/** Why a run of `kind` has nothing to do for this tenant (the gate's reason), or null when it runs. */
export function runBlockedBy(kind: string, f: TenantFeatures): FeatureOffReason | null {
  if (kind === 'upkeep') return f.upkeep.on ? null : f.upkeep.reason;
  if (pushRuns(f)) return null;
  return f.push_vendor.reason === 'level_commitment_only' ? f.push_commitment.reason : f.push_vendor.reason;
}

/**
 * What the scheduler queues for an active tenant: a push when the gate lets compliance push run
 * (at any level), an upkeep when it lets upkeep run. Settings that do not parse queue nothing and
 * are reported (logs + settings_invalid problem).
 */
export async function scheduledKinds(
  db: Queryable,
  logger: { error(obj: object, msg?: string): void },
  tenantId: string,
): Promise<{ kinds: Array<'push' | 'upkeep'>; phaseSeconds: number } | null> {
  const t = await loadFeatures(db, tenantId);
  if (!t) return null;
  if (t.settingsError !== null) {
    await reportInvalidSettings(db, logger, tenantId, t.settingsError);
    return { kinds: [], phaseSeconds: t.phaseSeconds };
  }
  const kinds: Array<'push' | 'upkeep'> = [];
  if (pushRuns(t.features)) kinds.push('push');
  if (t.features.upkeep.on) kinds.push('upkeep');
  return { kinds, phaseSeconds: t.phaseSeconds };
}

/**
 * Active tenants whose settings parse (a tenant whose settings do not is left out here; the
 * scheduler and the engine report it as settings_invalid). What runs for each is the gate's call:
 * `featuresOf(t)`.
 */
export async function activeTenants(db: Queryable): Promise<SyncTenant[]> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where status = 'active' order by id`);
  return res.rows.flatMap((r) => (readTenantSettings(r.settings).ok ? [toTenant(r)] : []));
}

/** Only active tenants ever sync: nothing flows before ops activation or while suspended. */
export async function activeTenantIds(db: Queryable): Promise<string[]> {
  const res = await db.query<{ id: string }>(`select id from tenants where status = 'active' order by id`);
  return res.rows.map((r) => r.id);
}

/** A settings document that does not parse: an error in the logs and a problem on the tenant. */
export async function reportInvalidSettings(
  db: Queryable,
  logger: { error(obj: object, msg?: string): void },
  tenantId: string,
  issues: string,
): Promise<void> {
  logger.error({ tenantId, issues }, 'tenant settings do not parse: sync does not run for this tenant');
  await recordProblem(db, tenantId, {
    kind: 'settings_invalid',
    scope: 'settings',
    title: 'The integration settings could not be read',
    detail: `The stored settings do not match the settings schema (${issues.slice(0, 500)}), so nothing is synced rather than guessing values.`,
    fix: 'Open the myCOI for Procore console, check "Features and settings" and save them again.',
  });
}

export async function clearInvalidSettings(db: Queryable, tenantId: string): Promise<void> {
  await clearProblem(db, tenantId, 'settings_invalid', 'settings');
}
