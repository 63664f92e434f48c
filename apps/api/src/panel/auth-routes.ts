import { Router, type Request } from 'express';
import { z } from 'zod';
import { SessionRequest, type PanelSession } from '@mycoi/contracts';
import { HttpError } from '../http/errors';
import { audit } from '../tenants/audit';
import { assertCompanyActive } from '../tenants/gate';
import { findTenantById } from '../tenants/repo';
import type { PanelContext } from './context';
import { UpstreamError } from './ports';
import { consumeOauthState, createGrant, createOauthState, createSession, purgeExpired, readGrant, useGrant } from './sessions';
import { upstreamToHttp } from './records';
import { setRenewLimit } from './renew';

const companyQuery = z.object({ companyId: z.string().regex(/^\d{1,20}$/, 'a Procore company id') });
const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
});

/**
 * Where Procore sends the user back. It must be registered with the marketplace app, so production
 * uses PUBLIC_URL; the demo and tests use the origin they were reached on (any forged host would
 * not match a registered redirect URI at Procore anyway).
 */
export function redirectUri(ctx: PanelContext, req: Request): string {
  const base = ctx.config.mode === 'production' ? ctx.config.publicUrl : `${req.protocol}://${req.get('host')}`;
  return `${base.replace(/\/$/, '')}/api/panel/auth/procore/callback`;
}

const callbackPage = (hash: Record<string, string>) => `/panel/callback.html#${new URLSearchParams(hash).toString()}`;

export function panelAuthRoutes(ctx: PanelContext): Router {
  const r = Router();
  const { db, ports } = ctx;

  // Opened in the sign-in popup by @procore/procore-iframe-helpers' authenticate({url}).
  r.get('/api/panel/auth/procore/start', async (req, res) => {
    const { companyId } = companyQuery.parse(req.query);
    const state = await createOauthState(db.pool, companyId);
    res.redirect(302, ports().procoreUser.authorizeUrl(redirectUri(ctx, req), state));
  });

  // Procore → here → the panel's own callback page, which calls notifySuccess/notifyFailure so
  // the popup closes and the iframe continues. The grant travels in the URL fragment (never sent
  // to a server, never in access logs).
  r.get('/api/panel/auth/procore/callback', async (req, res) => {
    const q = callbackQuery.safeParse(req.query);
    if (!q.success || !q.data.state)
      return res.redirect(302, callbackPage({ error: 'invalid_callback', message: 'Procore sign-in returned an unexpected answer' }));
    if (q.data.error || !q.data.code)
      return res.redirect(302, callbackPage({ error: 'access_denied', message: 'Procore sign-in was cancelled or refused' }));
    const st = await consumeOauthState(db.pool, q.data.state);
    if (!st) return res.redirect(302, callbackPage({ error: 'state_expired', message: 'This sign-in link has expired: try again' }));
    try {
      const p = ports().procoreUser;
      const tokens = await p.exchangeCode(q.data.code, redirectUri(ctx, req));
      const user = await p.me(tokens.accessToken, st.companyId);
      const grant = await createGrant(db.pool, ctx.config.encryption, st.companyId, user, tokens);
      res.redirect(302, callbackPage({ grant, name: user.name ?? user.login }));
    } catch (err) {
      req.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'panel procore sign-in failed');
      res.redirect(302, callbackPage({ error: 'exchange_failed', message: 'Procore did not accept the sign-in; try again' }));
    }
  });

  r.post('/api/panel/session', async (req, res) => {
    const body = SessionRequest.parse(req.body);
    const tenantId = await assertCompanyActive(db.pool, body.companyId, 'side_panel');
    const { user: procoreUser, tokens } = await readGrant(db.pool, ctx.config.encryption, body.grant, body.companyId);
    const p = ports();
    const visible = await p.procoreUser.canSeeProject(tokens.accessToken, body.companyId, body.projectId).catch((e) => {
      // Procore no longer takes the sign-in's token (revoked in the meantime): a new sign-in, not an outage.
      if (e instanceof UpstreamError && e.service === 'procore' && e.status === 401) {
        throw new HttpError(401, 'procore_sign_in_expired', 'Your Procore sign-in has expired: sign in with Procore again');
      }
      throw upstreamToHttp(e);
    });
    if (!visible) throw new HttpError(403, 'project_forbidden', 'Your Procore user cannot see this project');

    let login;
    try {
      login = await p.mycoi.login(body.email, body.password);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 401)
        throw new HttpError(401, 'mycoi_invalid_credentials', 'The myCOI email or password is wrong');
      if (err instanceof UpstreamError && err.status === 423)
        throw new HttpError(423, 'mycoi_locked', 'This myCOI user is locked after repeated failures; try again later');
      throw upstreamToHttp(err);
    }
    const tenant = await findTenantById(db.pool, tenantId);
    if (!tenant?.mycoi_account_id || login.user.accountId !== tenant.mycoi_account_id) {
      await audit(db.pool, tenantId, { kind: 'procore_user', id: procoreUser.login, ip: req.ip ?? null }, 'panel.sign_in_refused', {
        reason: 'mycoi_wrong_account',
        mycoiUser: login.user.email,
      });
      throw new HttpError(
        403,
        'mycoi_wrong_account',
        `This myCOI user does not belong to ${tenant?.name ?? 'this company'}'s myCOI account`,
      );
    }
    if (!(await useGrant(db.pool, body.grant)))
      throw new HttpError(401, 'procore_sign_in_expired', 'Your Procore sign-in was already used: sign in with Procore again');
    const session = await createSession(
      db.pool,
      { ring: ctx.config.encryption, sessionSecret: ctx.config.sessionSecret },
      {
        tenantId,
        companyId: body.companyId,
        procoreUser,
        procoreToken: tokens.accessToken,
        procoreRefreshToken: tokens.refreshToken,
        procoreTokenExpiresAt: tokens.expiresAt,
        mycoiUser: { id: login.user.id, email: login.user.email, name: login.user.name, role: login.user.role },
        mycoiToken: login.token,
        verifiedProjects: [body.projectId],
        ttlSeconds: login.expiresInSeconds,
      },
    );
    await setRenewLimit(db.pool, session.tokenHash, login.expiresInSeconds);
    // Just checked with the same token. (Company membership is confirmed again on the first call:
    // the grant's /me may be minutes old by now.)
    ctx.authz.remember(session.tokenHash, { kind: 'project', projectId: body.projectId });
    await audit(db.pool, tenantId, { kind: 'procore_user', id: procoreUser.login, ip: req.ip ?? null }, 'panel.sign_in', {
      procoreUserId: procoreUser.id,
      mycoiUser: login.user.email,
      projectId: body.projectId,
    });
    // Housekeeping rides on sign-ins (rare, human-paced): expired sessions, grants and states go.
    purgeExpired(db.pool).catch((err) => req.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'panel purge failed'));
    const out: PanelSession = {
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      procoreUser,
      mycoiUser: { id: login.user.id, email: login.user.email, name: login.user.name, role: login.user.role },
    };
    res.status(201).json(out);
  });

  return r;
}
