import { createOAuthClient, createProcoreClient, staticToken, UpstreamError, type OAuthClient } from '@mycoi/procore';

/**
 * The few Procore calls tenant setup makes — the admin's authorization code sign-in and the DMSA
 * credential checks — over @mycoi/procore. Each call returns the HTTP status instead of throwing,
 * because the checks report *which* status came back (403 → "enable the tool") rather than fail
 * as a whole. The client keeps tokens and secrets out of its errors; we keep only the status.
 */
export interface ProcoreSetupOptions {
  /** Login host (/oauth/...). In the demo the sandbox serves both hosts on one URL. */
  loginUrl: string;
  /** API host (/rest/...). */
  apiUrl: string;
  /** Attempts per call (setup is interactive: a short retry, then report). */
  maxAttempts?: number;
}

export type Answer<T> = { ok: true; status: number; data: T; total: number | null } | { ok: false; status: number; message: string };

async function answer<T>(what: string, fn: () => Promise<{ data: T; total?: number | null }>): Promise<Answer<T>> {
  try {
    const r = await fn();
    return { ok: true, status: 200, data: r.data, total: r.total ?? null };
  } catch (err) {
    if (err instanceof UpstreamError) {
      const status = err.status ?? 0;
      return {
        ok: false,
        status,
        message: status ? `${what} answered ${status}` : `Procore could not be reached (${err.code ?? 'network error'})`,
      };
    }
    // InvalidRecordError and the like: Procore answered, but not in a shape we understand
    return { ok: false, status: 200, message: `${what} returned an unexpected shape` };
  }
}

export interface UserTokenPair {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
}

const pairOf = (t: { access_token: string; refresh_token?: string; expires_in: number; created_at?: number }): UserTokenPair => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token ?? null,
  expiresAt: new Date((t.created_at ? t.created_at * 1000 : Date.now()) + t.expires_in * 1000),
});

export class ProcoreSetupClient {
  private readonly oauth: OAuthClient;

  constructor(private readonly opts: ProcoreSetupOptions) {
    this.oauth = createOAuthClient({
      hosts: opts,
      http: { retry: { maxAttempts: opts.maxAttempts ?? 2, maxRetryAfterMs: 5_000 }, timeoutMs: 15_000 },
    });
  }

  private api(token: string) {
    return createProcoreClient({
      hosts: this.opts,
      token: staticToken(token),
      http: { retry: { maxAttempts: this.opts.maxAttempts ?? 2, maxRetryAfterMs: 5_000 }, timeoutMs: 15_000 },
    });
  }

  authorizeUrl(p: { clientId: string; redirectUri: string; state: string }): string {
    return this.oauth.authorizeUrl(p);
  }

  /** The admin's token pair: kept (encrypted) with the session so access can be re-checked later. */
  exchangeCode(p: { clientId: string; clientSecret: string; code: string; redirectUri: string }): Promise<Answer<UserTokenPair>> {
    return answer('token request', async () => ({ data: pairOf(await this.oauth.exchangeCode(p)) }));
  }

  /** A new pair for a (rotating) refresh token; a dead one answers 400/401. */
  refresh(p: { clientId: string; clientSecret: string; refreshToken: string }): Promise<Answer<UserTokenPair>> {
    return answer('token refresh', async () => ({ data: pairOf(await this.oauth.refresh(p)) }));
  }

  clientCredentials(clientId: string, clientSecret: string): Promise<Answer<string>> {
    return answer('token request', async () => ({ data: (await this.oauth.clientCredentials({ clientId, clientSecret })).access_token }));
  }

  me(token: string): Promise<Answer<{ id: string; login: string; name: string | null }>> {
    return answer('/rest/v1.0/me', async () => {
      const m = await this.api(token).me();
      return { data: { id: String(m.id), login: m.login, name: m.name ?? null } };
    });
  }

  /** Companies visible to the token (user, or service account with the company header). */
  companies(token: string, companyId?: string): Promise<Answer<{ id: string; name: string }[]>> {
    return answer('/rest/v1.0/companies', async () => {
      const c = this.api(token);
      const listed = companyId ? await c.company(Number(companyId)).companies.list() : await c.companies.list();
      return { data: listed.items.map((x) => ({ id: String(x.id), name: x.name })) };
    });
  }

  /**
   * Permitted projects, active and inactive (all pages): the active count is what the admin needs
   * to see, and a project absent from the whole list is one the service account cannot reach (a
   * finished project the integration still has rows in is inactive, not forbidden).
   */
  projects(token: string, companyId: string): Promise<Answer<{ id: string; name: string; active: boolean }[]>> {
    return answer('/rest/v1.0/projects', async () => {
      const listed = await this.api(token).company(Number(companyId)).projects.list({ byStatus: 'All' });
      return { data: listed.items.map((p) => ({ id: String(p.id), name: p.name, active: p.active !== false })) };
    });
  }

  /** One vendor of a project's Project Directory: where the sync writes project-level rows (403 = not permitted). */
  projectDirectory(token: string, companyId: string, projectId: string): Promise<Answer<unknown[]>> {
    return answer(`/rest/v1.0/projects/${projectId}/vendors`, async () => {
      const first = await this.api(token).company(Number(companyId)).projectVendors(Number(projectId)).pages({ perPage: 1 }).next();
      return { data: first.done ? [] : first.value.items };
    });
  }

  vendors(token: string, companyId: string): Promise<Answer<unknown[]>> {
    return answer('/rest/v1.0/vendors', async () => {
      const first = await this.api(token).company(Number(companyId)).vendors.pages({ perPage: 1 }).next();
      return { data: first.done ? [] : first.value.items };
    });
  }

  commitments(token: string, companyId: string, projectId: string): Promise<Answer<unknown[]>> {
    return answer('/rest/v1.0/commitments', async () => {
      const first = await this.api(token).company(Number(companyId)).commitments.pages(Number(projectId), 1).next();
      return { data: first.done ? [] : first.value.items };
    });
  }
}
