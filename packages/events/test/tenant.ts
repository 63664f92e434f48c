import type pg from 'pg';
import { defaultTenantSettings } from '@mycoi/contracts';

/** The demo's Acme Builders (Procore company 1001) as an active tenant with default settings. */
export async function insertAcme(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into tenants (procore_company_id, name, status, procore_environment, settings)
     values ('1001', 'Acme Builders', 'active', 'local', $1::jsonb) returning id`,
    [JSON.stringify(defaultTenantSettings)],
  );
  return rows[0]!.id;
}
