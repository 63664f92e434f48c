import { approveAtProcore } from './support/consent';
import type { TestServer } from './support/server';

/**
 * The Procore sign-in popup, driven over plain HTTP (what the browser does): our start route →
 * the sandbox's consent form → our callback → the panel's callback page with the grant in the
 * URL fragment. Returns the one-time grant.
 */
export async function procoreGrant(s: TestServer, login = 'pat@acme.test', companyId = '1001'): Promise<string> {
  const start = await fetch(`${s.url}/api/panel/auth/procore/start?companyId=${companyId}`, { redirect: 'manual' });
  const callback = await approveAtProcore(start.headers.get('location') ?? '', login);
  const back = await fetch(callback, { redirect: 'manual' });
  const page = new URL(back.headers.get('location') ?? '', s.url);
  const grant = new URLSearchParams(page.hash.slice(1)).get('grant');
  if (!grant) throw new Error(`no grant: ${page.toString()}`);
  return grant;
}

export async function panelSession(s: TestServer, o: { login?: string; email?: string; projectId?: string; companyId?: string } = {}) {
  const grant = await procoreGrant(s, o.login, o.companyId);
  const res = await fetch(`${s.url}/api/panel/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant,
      companyId: o.companyId ?? '1001',
      projectId: o.projectId ?? '5001',
      email: o.email ?? 'risk@acme.test',
      password: 'password',
    }),
  });
  return { status: res.status, body: (await res.json()) as { token?: string; error?: { code: string } }, grant };
}

/** A signed-in side panel user: the session's bearer token; a sign-in that is refused throws. */
export async function panelToken(s: TestServer, o: Parameters<typeof panelSession>[1] = {}): Promise<string> {
  const r = await panelSession(s, o);
  if (r.status !== 201 || !r.body.token) throw new Error(`panel sign-in refused: ${r.status} ${r.body.error?.code ?? ''}`);
  return r.body.token;
}

export function api(s: TestServer, token: string | null) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return { get: (p: string) => call('GET', p), post: (p: string, b: unknown, h?: Record<string, string>) => call('POST', p, b, h), call };
}
