import type pg from 'pg';
import { createMycoiClient } from '@mycoi/mycoi';
import { createHash } from 'node:crypto';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider, RateBudget, type CachedTokenProvider } from '@mycoi/procore';
import { mycoiPort, procorePort, type TenantClients } from '@mycoi/sync';
import type { Keyring } from '../secrets/crypto';
import { loadTenantCredentials, type SharedProcoreApp } from '../tenants/credentials';

export interface TenantClientsOptions {
  pool: pg.Pool;
  ring: Keyring;
  procoreLoginUrl: string;
  procoreApiUrl: string;
  mycoiApiUrl: string;
  sharedApp?: SharedProcoreApp;
}

/**
 * The sync engine's `clientsForTenant`: the tenant's decrypted DMSA and myCOI credentials turned
 * into the engine's two ports. The DMSA token and its rate budget are kept per tenant (one budget
 * per token is what Procore counts; a token per targeted run would also cost an OAuth call each);
 * a changed credential gets a fresh token. Put on `services.clientsForTenant` for the scheduler too.
 */
export function tenantClientsFactory(o: TenantClientsOptions): (tenantId: string) => Promise<TenantClients> {
  const cache = new Map<string, { key: string; token: CachedTokenProvider; budget: RateBudget }>();
  return async (tenantId) => {
    const creds = await loadTenantCredentials(o.pool, o.ring, tenantId, o.sharedApp);
    if (!creds?.procoreDmsa) throw new Error('the tenant has no usable Procore DMSA credentials');
    if (!creds.mycoi) throw new Error('the tenant has no myCOI credentials');
    const hosts = { loginUrl: o.procoreLoginUrl, apiUrl: o.procoreApiUrl };
    const { clientId, clientSecret } = creds.procoreDmsa;
    const key = createHash('sha256').update(`${clientId}\0${clientSecret}`).digest('hex');
    let kept = cache.get(tenantId);
    if (!kept || kept.key !== key) {
      kept = { key, token: dmsaTokenProvider(createOAuthClient({ hosts }), { clientId, clientSecret }), budget: new RateBudget() };
      cache.set(tenantId, kept);
    }
    const procore = createProcoreClient({ hosts, token: kept.token, budget: kept.budget });
    const mycoi = createMycoiClient({ baseURL: o.mycoiApiUrl, clientId: creds.mycoi.clientId, clientSecret: creds.mycoi.clientSecret });
    return { procore: procorePort(procore, Number(creds.procoreCompanyId)), mycoi: mycoiPort(mycoi) };
  };
}
