import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

/**
 * The few Procore calls tenant setup makes: the admin's authorization code sign-in and the DMSA
 * credential checks. Each call returns the HTTP status instead of throwing on 4xx, because the
 * checks report *which* status came back (403 → "enable the tool") rather than fail as a whole.
 * Tokens and secrets are never put into errors.
 */
export interface ProcoreSetupOptions {
  /** Login host (/oauth/...). In the demo the sandbox serves both hosts on one URL. */
  loginUrl: string;
  /** API host (/rest/...). */
  apiUrl: string;
  timeoutMs?: number;
}

export type Answer<T> = { ok: true; status: number; data: T; total: number | null } | { ok: false; status: number; message: string };

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });
const Company = z.object({ id: z.union([z.number(), z.string()]).transform(String), name: z.string(), is_active: z.boolean().optional() });
const Me = z.object({ id: z.union([z.number(), z.string()]).transform(String), login: z.string(), name: z.string().nullish() });
const AnyList = z.array(z.unknown());

export class ProcoreSetupClient {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: ProcoreSetupOptions) {
    // validateStatus: every status is an answer; only network failures throw (→ status 0 below).
    this.http = axios.create({ timeout: opts.timeoutMs ?? 15_000, validateStatus: () => true });
  }

  authorizeUrl(p: { clientId: string; redirectUri: string; state: string }): string {
    const u = new URL('/oauth/authorize', this.opts.loginUrl);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('client_id', p.clientId);
    u.searchParams.set('redirect_uri', p.redirectUri);
    u.searchParams.set('state', p.state);
    return u.toString();
  }

  exchangeCode(p: { clientId: string; clientSecret: string; code: string; redirectUri: string }): Promise<Answer<string>> {
    return this.token({ grant_type: 'authorization_code', client_id: p.clientId, client_secret: p.clientSecret, code: p.code, redirect_uri: p.redirectUri });
  }

  clientCredentials(clientId: string, clientSecret: string): Promise<Answer<string>> {
    return this.token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  }

  me(token: string): Promise<Answer<z.infer<typeof Me>>> {
    return this.get('/rest/v1.0/me', token, undefined, {}, Me);
  }

  /** Companies visible to the token (user or service account). First 100 are plenty for membership. */
  companies(token: string, companyId?: string): Promise<Answer<z.infer<typeof Company>[]>> {
    return this.get('/rest/v1.0/companies', token, companyId, { per_page: 100 }, z.array(Company));
  }

  projects(token: string, companyId: string): Promise<Answer<unknown[]>> {
    return this.get('/rest/v1.0/projects', token, companyId, { company_id: companyId, per_page: 100 }, AnyList);
  }

  vendors(token: string, companyId: string): Promise<Answer<unknown[]>> {
    return this.get('/rest/v1.0/vendors', token, companyId, { company_id: companyId, per_page: 1 }, AnyList);
  }

  commitments(token: string, companyId: string, projectId: string): Promise<Answer<unknown[]>> {
    return this.get('/rest/v1.0/commitments', token, companyId, { project_id: projectId, per_page: 1 }, AnyList);
  }

  private async token(body: Record<string, string>): Promise<Answer<string>> {
    try {
      const res = await this.http.post(new URL('/oauth/token', this.opts.loginUrl).toString(), body, {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      });
      if (res.status !== 200) return { ok: false, status: res.status, message: `token request answered ${res.status}` };
      const parsed = TokenResponse.safeParse(res.data);
      if (!parsed.success) return { ok: false, status: res.status, message: 'token response was not understood' };
      return { ok: true, status: 200, data: parsed.data.access_token, total: null };
    } catch (err) {
      return { ok: false, status: 0, message: `Procore login host unreachable (${(err as { code?: string }).code ?? 'network error'})` };
    }
  }

  private async get<T>(path: string, token: string, companyId: string | undefined, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<Answer<T>> {
    try {
      const res = await this.http.get(new URL(path, this.opts.apiUrl).toString(), {
        params,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(companyId ? { 'procore-company-id': companyId } : {}) },
      });
      if (res.status < 200 || res.status >= 300) return { ok: false, status: res.status, message: `${path} answered ${res.status}` };
      const parsed = schema.safeParse(res.data);
      if (!parsed.success) return { ok: false, status: res.status, message: `${path} returned an unexpected shape` };
      const totalHeader = Number(res.headers['total']);
      return { ok: true, status: res.status, data: parsed.data, total: Number.isFinite(totalHeader) && res.headers['total'] !== undefined ? totalHeader : null };
    } catch (err) {
      return { ok: false, status: 0, message: `Procore API unreachable (${(err as { code?: string }).code ?? 'network error'})` };
    }
  }
}
