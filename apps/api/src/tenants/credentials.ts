import type pg from 'pg';
import type { Keyring } from '../secrets/crypto';
import { getCredential } from '../secrets/store';

export interface SharedProcoreApp {
  clientId: string;
  clientSecret: string;
}

export interface TenantCredentials {
  tenantId: string;
  procoreCompanyId: string;
  /** DMSA client credentials: the tenant's own app, or the shared marketplace app when it chose that. */
  procoreDmsa: { clientId: string; clientSecret: string; source: 'tenant' | 'shared' } | null;
  mycoi: { accountId: string; clientId: string; clientSecret: string } | null;
}

/**
 * Decrypted credentials of one tenant, for the sync engine and the side panel. Returns null parts
 * when something is not set (or 'shared' is chosen but no shared app is configured). Keep the
 * result in memory only for the duration of a run; never log it.
 */
export async function loadTenantCredentials(
  pool: Pick<pg.Pool, 'query'>,
  ring: Keyring,
  tenantId: string,
  sharedApp?: SharedProcoreApp,
): Promise<TenantCredentials | null> {
  const { rows } = await pool.query<{ procore_company_id: string; mycoi_account_id: string | null }>(
    'select procore_company_id, mycoi_account_id from tenants where id = $1',
    [tenantId],
  );
  const t = rows[0];
  if (!t) return null;
  const dmsa = await getCredential(pool, ring, tenantId, 'procore_dmsa');
  const mycoi = await getCredential(pool, ring, tenantId, 'mycoi_service');
  let procoreDmsa: TenantCredentials['procoreDmsa'] = null;
  if (dmsa?.source === 'tenant' && dmsa.clientSecret !== undefined)
    procoreDmsa = { clientId: dmsa.clientId, clientSecret: dmsa.clientSecret, source: 'tenant' };
  if (dmsa?.source === 'shared' && sharedApp) procoreDmsa = { ...sharedApp, source: 'shared' };
  return {
    tenantId,
    procoreCompanyId: t.procore_company_id,
    procoreDmsa,
    mycoi:
      mycoi?.clientSecret !== undefined && t.mycoi_account_id
        ? { accountId: t.mycoi_account_id, clientId: mycoi.clientId, clientSecret: mycoi.clientSecret }
        : null,
  };
}
