import type pg from 'pg';
import { defaultTenantSettings } from '@mycoi/contracts';

/** Insert a tenant row the way the tenants feature would (only the columns sync reads). */
export async function insertTenant(
  pool: pg.Pool,
  over: {
    companyId?: string;
    environment?: string;
    status?: string;
    level?: 'vendor' | 'commitment' | 'both';
    settings?: object;
    push?: boolean;
    name?: string;
  } = {},
): Promise<string> {
  const res = await pool.query<{ id: string }>(
    `insert into tenants (procore_company_id, name, status, compliance_level, settings, compliance_push, procore_environment)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7) returning id`,
    [
      over.companyId ?? String(1000 + Math.floor(Math.random() * 1e6)),
      over.name ?? 'Acme Builders',
      over.status ?? 'active',
      over.level ?? 'vendor',
      // a whole document, as the console and migration 050 write it (the engine reads it strictly)
      JSON.stringify({ ...defaultTenantSettings, addVendorsToProjectDirectory: true, ...over.settings }),
      over.push ?? true,
      over.environment ?? 'local',
    ],
  );
  return res.rows[0]!.id;
}
