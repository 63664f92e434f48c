import type pg from 'pg';
import {
  defaultTenantSettings,
  readTenantSettings,
  TenantSettings,
  ValidationResult,
  type ProcoreEnvironment,
  type TenantStatus,
  type TenantView,
} from '@mycoi/contracts';
import { summarize, type CredentialRow } from '../secrets/store';
import { syncSummaries } from '../sync-history/history';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface TenantRow {
  id: string;
  procore_environment: ProcoreEnvironment;
  procore_company_id: string;
  name: string;
  status: TenantStatus;
  mycoi_account_id: string | null;
  compliance_push: boolean;
  side_panel: boolean;
  compliance_level: 'vendor' | 'commitment' | 'both';
  settings: Record<string, unknown>;
  legacy_integration_active: boolean;
  legacy_retired_at: Date | null;
  created_at: Date;
  updated_at: Date;
  activation_requested_at: Date | null;
  activated_at: Date | null;
  suspended_at: Date | null;
  deactivated_at: Date | null;
  sync_requested_at: Date | null;
  last_validation: unknown;
  commitments_tool: boolean | null;
}

export async function findTenantById(db: Queryable, id: string, forUpdate = false): Promise<TenantRow | undefined> {
  const { rows } = await db.query<TenantRow>(`select * from tenants where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return rows[0];
}

/** One deployment talks to one Procore environment, so a company id names at most one tenant we serve. */
export async function findTenantByCompany(db: Queryable, companyId: string): Promise<TenantRow | undefined> {
  const { rows } = await db.query<TenantRow>('select * from tenants where procore_company_id = $1 order by created_at limit 1', [
    companyId,
  ]);
  return rows[0];
}

export async function listTenantRows(db: Queryable, filter: { status?: TenantStatus; q?: string }): Promise<TenantRow[]> {
  const q = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await db.query<TenantRow>(
    `select * from tenants where ($1::text is null or status = $1) and ($2::text is null or name ilike $2 or procore_company_id ilike $2)
      order by name, created_at limit 500`,
    [filter.status ?? null, q],
  );
  return rows;
}

/**
 * The stored settings as the view shows them. A document that does not parse is not papered over:
 * the view carries the error (the console shows it, the sync engine refuses to run on it and
 * records a settings_invalid problem) and shows the documented defaults only as the starting point
 * of the form that fixes it.
 */
export function viewSettings(raw: unknown): { settings: TenantSettings; settingsError: string | null } {
  const read = readTenantSettings(raw);
  return read.ok ? { settings: read.settings, settingsError: null } : { settings: defaultTenantSettings, settingsError: read.error };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Rows → the wire view; loads credential summaries (never secrets) for all rows in one query. */
export async function toViews(db: Queryable, rows: TenantRow[]): Promise<TenantView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const creds = await db.query<CredentialRow & { tenant_id: string }>(
    'select tenant_id, kind, client_id, source, validated_at from credentials where tenant_id = any($1::uuid[])',
    [ids],
  );
  const sync = await syncSummaries(db, rows);
  return rows.map((r) => {
    const mine = creds.rows.filter((c) => c.tenant_id === r.id);
    const lastValidation = ValidationResult.safeParse(r.last_validation);
    return {
      id: r.id,
      procoreCompanyId: r.procore_company_id,
      procoreEnvironment: r.procore_environment,
      name: r.name,
      status: r.status,
      mycoiAccountId: r.mycoi_account_id,
      features: { compliancePush: r.compliance_push, sidePanel: r.side_panel },
      complianceLevel: r.compliance_level,
      ...viewSettings(r.settings),
      commitmentsTool: r.commitments_tool,
      legacyIntegrationActive: r.legacy_integration_active,
      legacyRetiredAt: iso(r.legacy_retired_at),
      credentials: {
        procoreDmsa: summarize(mine.find((c) => c.kind === 'procore_dmsa')),
        mycoi: summarize(mine.find((c) => c.kind === 'mycoi_service')),
      },
      lastValidation: lastValidation.success ? lastValidation.data : null,
      syncHealth: sync.get(r.id)!,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      activationRequestedAt: iso(r.activation_requested_at),
      activatedAt: iso(r.activated_at),
      suspendedAt: iso(r.suspended_at),
      deactivatedAt: iso(r.deactivated_at),
    };
  });
}

export async function toView(db: Queryable, row: TenantRow): Promise<TenantView> {
  return (await toViews(db, [row]))[0]!;
}
