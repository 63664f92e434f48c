import type pg from 'pg';
import type { Config } from '@mycoi/config';
import { putCredential } from '../src/secrets/store';

/**
 * Tenants for the side-panel tests, written straight into the database (the console's activation
 * flow has its own tests): Acme Builders (Procore 1001 ↔ myCOI acct-acme) and Other GC (2002 ↔
 * acct-other), with DMSA credentials of the Procore sandbox's demo apps.
 */
export async function seedPanelTenant(
  pool: Pick<pg.Pool, 'query'>,
  config: Pick<Config, 'encryption'>,
  o: { companyId?: string; name?: string; mycoiAccount?: string; status?: string; sidePanel?: boolean; dmsa?: [string, string] } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into tenants (procore_environment, procore_company_id, name, status, mycoi_account_id, side_panel, activated_at)
     values ('local', $1, $2, $3, $4, $5, now()) returning id`,
    [o.companyId ?? '1001', o.name ?? 'Acme Builders', o.status ?? 'active', o.mycoiAccount ?? 'acct-acme', o.sidePanel ?? true],
  );
  const tenantId = rows[0]!.id;
  const [clientId, clientSecret] = o.dmsa ?? ['demo-dmsa-client', 'demo-dmsa-secret'];
  await putCredential(pool, config.encryption, { tenantId, kind: 'procore_dmsa', clientId, clientSecret });
  // the myCOI service account, so "refresh now" can push compliance (the demo account's client)
  if (o.mycoiAccount === undefined || o.mycoiAccount === 'acct-acme') {
    await putCredential(pool, config.encryption, {
      tenantId,
      kind: 'mycoi_service',
      clientId: 'demo-mycoi-client',
      clientSecret: 'demo-mycoi-secret',
    });
  }
  return tenantId;
}

export async function setTenant(
  pool: Pick<pg.Pool, 'query'>,
  tenantId: string,
  patch: { status?: string; sidePanel?: boolean; dmsa?: [string, string]; config?: Pick<Config, 'encryption'> },
): Promise<void> {
  if (patch.status) await pool.query('update tenants set status = $2 where id = $1', [tenantId, patch.status]);
  if (patch.sidePanel !== undefined) await pool.query('update tenants set side_panel = $2 where id = $1', [tenantId, patch.sidePanel]);
  if (patch.dmsa && patch.config) {
    await putCredential(pool, patch.config.encryption, {
      tenantId,
      kind: 'procore_dmsa',
      clientId: patch.dmsa[0],
      clientSecret: patch.dmsa[1],
    });
  }
}
