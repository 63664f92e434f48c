import type { Queryable } from './db';
import { parseSyncSettings, type ComplianceLevel, type SyncTenant } from './settings';

interface TenantRow {
  id: string;
  name: string;
  procore_company_id: string;
  status: string;
  compliance_push: boolean;
  compliance_level: ComplianceLevel;
  phase_seconds: number;
  settings: unknown;
}

function toTenant(r: TenantRow): SyncTenant {
  return {
    id: r.id,
    name: r.name,
    procoreCompanyId: r.procore_company_id,
    status: r.status,
    compliancePush: r.compliance_push,
    complianceLevel: r.compliance_level,
    phaseSeconds: r.phase_seconds,
    settings: parseSyncSettings(r.settings),
  };
}

const COLS = 'id, name, procore_company_id, status, compliance_push, compliance_level, phase_seconds, settings';

export async function loadTenant(db: Queryable, tenantId: string): Promise<SyncTenant | null> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where id = $1`, [tenantId]);
  return res.rows[0] ? toTenant(res.rows[0]) : null;
}

/** Only active tenants ever sync: nothing flows before ops activation or while suspended. */
export async function activeTenants(db: Queryable): Promise<SyncTenant[]> {
  const res = await db.query<TenantRow>(`select ${COLS} from tenants where status = 'active' order by id`);
  return res.rows.map(toTenant);
}
