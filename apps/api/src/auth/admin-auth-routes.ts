import { Router, type Request } from 'express';
import { z } from 'zod';
import { AdminSession } from '@mycoi/contracts';
import { badRequest, HttpError, unauthorized } from '../http/errors';
import { audit } from '../tenants/audit';
import { actorOf, type TenantDeps } from '../tenants/deps';
import { findTenantByCompany } from '../tenants/repo';
import { createState, readState, safeReturnTo, STATE_COOKIE, STATE_TTL_MS } from './oauth-state';
import { storeAdminTokens, verifyAdmin, ADMIN_RECHECK_MS } from './admin-verify';
import {
  clearSessionCookie,
  cookieOptions,
  createSession,
  deleteSession,
  readSession,
  sessionId,
  sessionToken,
  setSessionCookie,
} from './sessions';

export const CompanyId = z.string().regex(/^\d{1,20}$/, 'a numeric Procore company id');
const StartQuery = z.object({ companyId: CompanyId, returnTo: z.string().optional() });
const CallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});

export interface AdminSessionData {
  user: { id: string; login: string; name: string | null };
  companies: { id: string; name: string }[];
}

const consolePath = (companyId: string) => `/console/?companyId=${encodeURIComponent(companyId)}`;
const withError = (path: string, code: string) => `${path}${path.includes('?') ? '&' : '?'}error=${code}`;
const STATE_PATH = '/api/admin/auth';

/**
 * The signed-in admin, or 401. The admin's membership of the session's companies is re-checked
 * with Procore (admin-verify.ts): on every change, and on reads when the last check is over a
 * minute old — an admin removed in Procore loses the console and the session ends.
 */
export async function requireAdmin(d: TenantDeps, req: Request): Promise<AdminSessionData> {
  const token = sessionToken(req, 'admin');
  const s = await readSession<AdminSessionData>(d, 'admin', token);
  if (!s || !token) throw unauthorized('Sign in with Procore first');
  const maxAge = req.method === 'GET' || req.method === 'HEAD' ? ADMIN_RECHECK_MS : 0;
  await verifyAdmin(
    d,
    sessionId(d, token),
    s.data.companies.map((c) => c.id),
    maxAge,
  );
  return s.data;
}

/**
 * Procore authorization code sign-in for customer admins. The callback accepts the sign-in only
 * when Procore lists the requested company among the user's companies; the session is then
 * scoped to that one company, so an admin of company A can never act on company B.
 */
export function adminAuthRoutes(d: TenantDeps): Router {
  const r = Router();
  const redirectUri = `${d.publicUrl}/api/admin/auth/procore/callback`;

  r.get('/api/admin/auth/procore', (req, res) => {
    const q = StartQuery.safeParse(req.query);
    if (!q.success) throw badRequest('companyId must be a numeric Procore company id');
    if (!d.procore || !d.marketplaceApp) throw new HttpError(503, 'not_configured', 'Procore sign-in is not configured');
    const returnTo = safeReturnTo(q.data.returnTo, consolePath(q.data.companyId));
    const { state, nonce } = createState(d.sessionSecret, { companyId: q.data.companyId, returnTo });
    res.cookie(STATE_COOKIE, nonce, cookieOptions(d.publicUrl, STATE_TTL_MS, STATE_PATH));
    res.redirect(302, d.procore.authorizeUrl({ clientId: d.marketplaceApp.clientId, redirectUri, state }));
  });

  r.get('/api/admin/auth/procore/callback', async (req, res) => {
    const q = CallbackQuery.safeParse(req.query);
    const nonce = (req.cookies as Record<string, string | undefined>)[STATE_COOKIE];
    const st = q.success && q.data.state ? readState(d.sessionSecret, q.data.state, nonce) : null;
    res.clearCookie(STATE_COOKIE, cookieOptions(d.publicUrl, undefined, STATE_PATH));
    if (!q.success || !st) return res.redirect(302, withError('/console/', 'state_invalid'));
    if (q.data.error || !q.data.code) return res.redirect(302, withError(st.returnTo, 'oauth_denied'));
    if (!d.procore || !d.marketplaceApp) throw new HttpError(503, 'not_configured', 'Procore sign-in is not configured');

    const tok = await d.procore.exchangeCode({ ...d.marketplaceApp, code: q.data.code, redirectUri });
    if (!tok.ok)
      return res.redirect(302, withError(st.returnTo, tok.status >= 400 && tok.status < 500 ? 'oauth_denied' : 'procore_unavailable'));
    const [me, companies] = await Promise.all([d.procore.me(tok.data.accessToken), d.procore.companies(tok.data.accessToken)]);
    if (!me.ok || !companies.ok) return res.redirect(302, withError(st.returnTo, 'procore_unavailable'));
    const company = companies.data.find((c) => c.id === st.companyId);
    const tenant = await findTenantByCompany(d.pool, st.companyId);
    const actor = actorOf('procore_user', me.data.login, req);
    if (!company) {
      await audit(d.pool, tenant?.id ?? null, actor, 'admin.sign_in_refused', { companyId: st.companyId, procoreUserId: me.data.id });
      return res.redirect(302, withError(st.returnTo, 'not_member'));
    }
    const data: AdminSessionData = {
      user: { id: me.data.id, login: me.data.login, name: me.data.name ?? null },
      companies: [{ id: company.id, name: company.name }],
    };
    await deleteSession(d, sessionToken(req, 'admin'));
    const { token, id } = await createSession(d, 'admin', me.data.id, data);
    await storeAdminTokens(d.pool, d.ring, id, me.data.id, tok.data);
    await audit(d.pool, tenant?.id ?? null, actor, 'admin.signed_in', { companyId: company.id, procoreUserId: me.data.id });
    setSessionCookie(res, 'admin', token, d.publicUrl);
    return res.redirect(302, st.returnTo);
  });

  r.get('/api/admin/session', async (req, res) => {
    const s = await readSession<AdminSessionData>(d, 'admin', sessionToken(req, 'admin'));
    if (!s) throw unauthorized('Sign in with Procore first');
    await requireAdmin(d, req); // the same re-check as every admin route
    const body: AdminSession = { user: s.data.user, companyIds: s.data.companies.map((c) => c.id), expiresAt: s.expires_at.toISOString() };
    res.json(body);
  });

  r.post('/api/admin/logout', async (req, res) => {
    await deleteSession(d, sessionToken(req, 'admin'));
    clearSessionCookie(res, 'admin', d.publicUrl);
    res.status(204).end();
  });
  return r;
}
