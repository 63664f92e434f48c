import type pg from 'pg';
import type { ComplianceLevel, TenantSettings } from '@mycoi/contracts';
import { putCredential } from '../../src/secrets/store';
import type { Keyring } from '../../src/secrets/crypto';

/** Columns a test may set on the demo tenant; the rest keep the table's defaults. */
export interface DemoTenantColumns {
  status?: 'awaiting_activation' | 'active';
  compliance_level?: ComplianceLevel;
  compliance_push?: boolean;
  side_panel?: boolean;
  settings?: TenantSettings;
}

/**
 * Acme Builders (Procore company 1001, myCOI account acct-acme, the sandboxes' demo seed) with the
 * demo DMSA and myCOI service credentials stored encrypted under `ring`: the tenant as the console
 * and ops steps leave it, awaiting activation unless `columns.status` says otherwise. Returns its id.
 */
export async function insertDemoTenant(pool: pg.Pool, ring: Keyring, columns: DemoTenantColumns = {}): Promise<string> {
  const values: Record<string, unknown> = {
    procore_company_id: '1001',
    name: 'Acme Builders',
    status: 'awaiting_activation',
    mycoi_account_id: 'acct-acme',
    procore_environment: 'local',
    ...columns,
    ...(columns.settings ? { settings: JSON.stringify(columns.settings) } : {}),
  };
  const names = Object.keys(values); // from the typed columns above, never from input
  const { rows } = await pool.query<{ id: string }>(
    `insert into tenants (${names.join(', ')}) values (${names.map((n, i) => `$${i + 1}${n === 'settings' ? '::jsonb' : ''}`).join(', ')}) returning id`,
    Object.values(values),
  );
  const tenantId = rows[0]!.id;
  await putCredential(pool, ring, { tenantId, kind: 'procore_dmsa', clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
  await putCredential(pool, ring, { tenantId, kind: 'mycoi_service', clientId: 'demo-mycoi-client', clientSecret: 'demo-mycoi-secret' });
  return tenantId;
}
