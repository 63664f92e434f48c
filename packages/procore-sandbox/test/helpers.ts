import { createProcoreSandbox, type ProcoreSandbox, type ProcoreSandboxOptions } from '../src/index';

/** Limits raised (never off) so suites that make hundreds of calls stay fast; the documented
 *  defaults have their own test (default-limits.test.ts). */
export const RAISED_LIMITS = { hourly: 100_000, spike10s: 10_000 };

export async function start(opts: ProcoreSandboxOptions = {}): Promise<ProcoreSandbox> {
  return createProcoreSandbox({ port: 0, rateLimit: RAISED_LIMITS, ...opts });
}

export async function dmsaToken(sb: ProcoreSandbox, clientId = 'demo-dmsa-client', secret = 'demo-dmsa-secret'): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  if (res.status !== 200) throw new Error(`token ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Sign in on the consent form and exchange the code: a user token pair. */
export async function userTokens(
  sb: ProcoreSandbox,
  login: string,
  redirectUri = 'http://localhost:3000/auth/procore/callback',
): Promise<{ access_token: string; refresh_token: string }> {
  const code = await authorize(sb, login, redirectUri);
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'demo-panel-client',
      client_secret: 'demo-panel-secret',
      code,
      redirect_uri: redirectUri,
    }),
  });
  if (res.status !== 200) throw new Error(`code exchange ${res.status}`);
  return (await res.json()) as { access_token: string; refresh_token: string };
}

export async function authorize(
  sb: ProcoreSandbox,
  login: string,
  redirectUri = 'http://localhost:3000/auth/procore/callback',
  state = 'st4te',
): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'demo-panel-client',
      redirect_uri: redirectUri,
      state,
      response_type: 'code',
      login,
      password: 'password',
      decision: 'approve',
    }),
  });
  if (res.status !== 302) throw new Error(`authorize ${res.status}`);
  const loc = new URL(res.headers.get('location')!);
  return loc.searchParams.get('code')!;
}

export interface Api {
  (
    path: string,
    init?: { method?: string; body?: unknown; company?: number | null; token?: string | null },
  ): Promise<{ status: number; headers: Headers; body: any }>;
}

/** fetch wrapper: Bearer token + Procore-Company-Id (default 1001; null = omit). */
export function api(sb: ProcoreSandbox, token: string): Api {
  return async (path, init = {}) => {
    const headers: Record<string, string> = {};
    const t = init.token === undefined ? token : init.token;
    if (t) headers.authorization = `Bearer ${t}`;
    const company = init.company === undefined ? 1001 : init.company;
    if (company !== null) headers['procore-company-id'] = String(company);
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sb.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* leave as text */
    }
    return { status: res.status, headers: res.headers, body };
  };
}
