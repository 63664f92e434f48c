import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ExecutorObserver } from '@mycoi/http';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider, RateBudget, type ProcoreClient } from '@mycoi/procore';
import { createMycoiClient, type MycoiClient } from '@mycoi/mycoi';
import { mycoiPort, procorePort, type TenantClients } from '@mycoi/sync';
import { registerSecret } from '../logger';
import type { Keyring } from '../secrets/crypto';
import { loadTenantCredentials, type SharedProcoreApp, type TenantCredentials } from '../tenants/credentials';

export class MissingCredentialsError extends Error {
  constructor(readonly kind: 'procore_dmsa' | 'mycoi_service') {
    super(kind === 'procore_dmsa' ? 'This company has no usable Procore DMSA credentials' : 'This company has no myCOI credentials');
    this.name = 'MissingCredentialsError';
  }
}

export interface TenantClientRegistryOptions {
  pool: pg.Pool;
  ring: Keyring;
  procoreLoginUrl: string;
  procoreApiUrl: string;
  mycoiApiUrl: string;
  /** The marketplace app, for tenants whose DMSA is the shared app. */
  sharedApp?: SharedProcoreApp;
  timeoutMs?: number;
  /** Metrics observers of every Procore and myCOI attempt (apps/api/src/scheduler/metrics.ts). */
  observers?: { procore?: ExecutorObserver; mycoi?: ExecutorObserver };
}

export interface TenantProcore {
  client: ProcoreClient;
  companyId: string;
  /** The DMSA client id: events caused by it are our own writes coming back. */
  clientId: string;
}

export interface TenantClientRegistry {
  /**
   * The tenant's DMSA client. `interactive: true` for calls a person waits on (the side panel):
   * same token and rate budget as the background callers (scheduler, events, hook registration),
   * which leave a share of every rate window unspent for them.
   */
  procore(tenantId: string, opts?: { interactive?: boolean }): Promise<TenantProcore>;
  mycoi(tenantId: string): Promise<MycoiClient>;
  /** The sync engine's two ports for this tenant. */
  ports(tenantId: string): Promise<TenantClients>;
}

const fingerprint = (id: string, secret: string) => createHash('sha256').update(`${id}\0${secret}`).digest('hex');

/**
 * The one place tenant credentials become API clients. Procore counts its rate limit per access
 * token, so every part of the service (scheduler, events, side panel, hook registration) must
 * share one token and one rate budget per credential set — which also means tenants on the shared
 * marketplace app share them. Clients are cached by a fingerprint of the credentials, so a changed
 * secret gets a fresh token at the next call and the old one is simply dropped.
 */
export function createTenantClientRegistry(o: TenantClientRegistryOptions): TenantClientRegistry {
  const hosts = { loginUrl: o.procoreLoginUrl, apiUrl: o.procoreApiUrl };
  const http = { timeoutMs: o.timeoutMs ?? 15_000, observer: o.observers?.procore };
  const oauth = createOAuthClient({ hosts, http });
  const procoreClients = new Map<string, { background: ProcoreClient; interactive: ProcoreClient }>();
  const mycoiClients = new Map<string, MycoiClient>();

  async function credentials(tenantId: string): Promise<TenantCredentials> {
    const creds = await loadTenantCredentials(o.pool, o.ring, tenantId, o.sharedApp);
    if (!creds) throw new Error(`no tenant ${tenantId}`);
    return creds;
  }

  function procoreOf(creds: TenantCredentials, interactive = false): TenantProcore {
    if (!creds.procoreDmsa) throw new MissingCredentialsError('procore_dmsa');
    const { clientId, clientSecret } = creds.procoreDmsa;
    registerSecret(clientSecret);
    const key = fingerprint(clientId, clientSecret);
    let pair = procoreClients.get(key);
    if (!pair) {
      // One token and one budget; two executors that differ only in their priority on that budget.
      const token = dmsaTokenProvider(oauth, { clientId, clientSecret });
      const budget = new RateBudget();
      pair = {
        background: createProcoreClient({ hosts, token, budget, http: { ...http, priority: 'background' } }),
        interactive: createProcoreClient({ hosts, token, budget, http: { ...http, priority: 'interactive' } }),
      };
      procoreClients.set(key, pair);
    }
    return { client: interactive ? pair.interactive : pair.background, companyId: creds.procoreCompanyId, clientId };
  }

  function mycoiOf(creds: TenantCredentials): MycoiClient {
    if (!creds.mycoi) throw new MissingCredentialsError('mycoi_service');
    const { clientId, clientSecret } = creds.mycoi;
    registerSecret(clientSecret);
    const key = fingerprint(clientId, clientSecret);
    let client = mycoiClients.get(key);
    if (!client) {
      client = createMycoiClient({
        baseURL: o.mycoiApiUrl,
        clientId,
        clientSecret,
        timeoutMs: http.timeoutMs,
        observer: o.observers?.mycoi,
      });
      mycoiClients.set(key, client);
    }
    return client;
  }

  return {
    procore: async (tenantId, opts) => procoreOf(await credentials(tenantId), opts?.interactive === true),
    mycoi: async (tenantId) => mycoiOf(await credentials(tenantId)),
    async ports(tenantId) {
      // one read and decryption of the credentials for both clients
      const creds = await credentials(tenantId);
      const p = procoreOf(creds);
      return { procore: procorePort(p.client, Number(p.companyId)), mycoi: mycoiPort(mycoiOf(creds)) };
    },
  };
}
