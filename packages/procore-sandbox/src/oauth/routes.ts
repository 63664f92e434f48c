import express, { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Deps } from '../http/context';
import { consentPage, errorPage, oobPage } from './pages';
import { OOB, redirectAllowed } from './redirect';
import { issueToken, randomToken, revoke } from './tokens';

const tokenBody = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
});

// RFC 6749 §5.2 error bodies (Procore's login host is Doorkeeper-style OAuth).
function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

/** Body parsers for the three encodings Procore clients use: JSON, urlencoded and multipart. */
function anyBody() {
  const upload = multer().none();
  return [express.json({ limit: '1mb' }), express.urlencoded({ extended: false }), upload];
}

export function oauthRouter(deps: Deps): Router {
  const r = Router();
  const { store, config } = deps;

  r.post('/oauth/token', ...anyBody(), (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const parsed = tokenBody.safeParse(req.body ?? {});
    if (!parsed.success) return oauthError(res, 400, 'invalid_request', 'Malformed token request');
    const b = parsed.data;
    // Doorkeeper (Procore's OAuth server) also accepts client credentials via HTTP Basic.
    const basic = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (basic && !b.client_id) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      b.client_id = decodeURIComponent(id ?? '');
      b.client_secret = decodeURIComponent(secret ?? '');
    }
    if (!b.grant_type) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
    if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(b.grant_type)) {
      return oauthError(res, 400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
    }
    const app = b.client_id ? store.apps.get(b.client_id) : undefined;
    if (!app || !b.client_secret || app.clientSecret !== b.client_secret) {
      return oauthError(
        res,
        401,
        'invalid_client',
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      );
    }
    if (b.grant_type === 'client_credentials') {
      return res.json(issueToken(deps, { clientId: app.clientId, userId: app.serviceAccountUserId, kind: 'client_credentials' }));
    }
    if (b.grant_type === 'authorization_code') {
      const code = b.code ? store.codes.get(b.code) : undefined;
      const invalid = () =>
        oauthError(
          res,
          400,
          'invalid_grant',
          'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        );
      if (!code || code.used || code.clientId !== app.clientId || code.expiresAt <= store.nowSeconds()) return invalid();
      // Single use: a replayed code fails even if the first exchange's response was lost.
      code.used = true;
      if (b.redirect_uri !== code.redirectUri) return invalid();
      return res.json(issueToken(deps, { clientId: app.clientId, userId: code.userId, kind: 'user', redirectUri: code.redirectUri }));
    }
    // refresh_token: rotating — the presented token dies now, a new pair is issued.
    const rt = b.refresh_token ? store.refreshTokens.get(b.refresh_token) : undefined;
    if (!rt || rt.used || rt.clientId !== app.clientId) {
      return oauthError(res, 400, 'invalid_grant', 'The refresh token is invalid');
    }
    if (config.strict && b.redirect_uri !== undefined && b.redirect_uri !== rt.redirectUri) {
      return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match the one used for authorization.');
    }
    rt.used = true;
    return res.json(issueToken(deps, { clientId: app.clientId, userId: rt.userId, kind: 'user', redirectUri: rt.redirectUri }));
  });

  r.get('/oauth/token/info', (req: Request, res: Response) => {
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    const t = m ? store.tokens.get(m[1]!.trim()) : undefined;
    const now = store.nowSeconds();
    if (!t || t.revoked || t.expiresAt <= now) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return oauthError(res, 401, 'invalid_token', 'The access token is invalid');
    }
    // Procore documents `scopes` but not its values; the sandbox returns an empty list.
    res.json({
      resource_owner_id: t.userId,
      scopes: [],
      expires_in_seconds: t.expiresAt - now,
      application: { uid: t.clientId },
      created_at: t.createdAt,
    });
  });

  r.post('/oauth/revoke', ...anyBody(), (req: Request, res: Response) => {
    const b = z
      .object({ token: z.string().optional(), client_id: z.string().optional(), client_secret: z.string().optional() })
      .safeParse(req.body ?? {});
    // Always 200, even for unknown tokens (documented); only the owning client can revoke.
    if (b.success && b.data.token && b.data.client_id) {
      const app = store.apps.get(b.data.client_id);
      if (app && app.clientSecret === b.data.client_secret) revoke(deps, app.clientId, b.data.token);
    }
    res.status(200).json({});
  });

  const authorizeQuery = z.object({
    response_type: z.string().optional(),
    client_id: z.string().optional(),
    redirect_uri: z.string().optional(),
    state: z.string().optional(),
  });

  r.get('/oauth/authorize', (req: Request, res: Response) => {
    const q = authorizeQuery.parse(req.query);
    const app = q.client_id ? store.apps.get(q.client_id) : undefined;
    // Never redirect to an unverified URI: errors about the client or the URI are shown, not redirected.
    if (!app) return errorPage(res, 400, 'Unknown client_id');
    if (!q.redirect_uri || !redirectAllowed(app, q.redirect_uri, config.switches)) {
      return errorPage(res, 400, 'The redirect uri included is not valid.');
    }
    if (q.response_type !== 'code') {
      return redirectWith(res, q.redirect_uri, { error: 'unsupported_response_type', state: q.state });
    }
    consentPage(res, { app, redirectUri: q.redirect_uri, state: q.state ?? '', message: null });
  });

  r.post('/oauth/authorize', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    const b = z
      .object({
        client_id: z.string(),
        redirect_uri: z.string(),
        state: z.string().optional(),
        login: z.string().optional(),
        password: z.string().optional(),
        decision: z.string().optional(),
      })
      .safeParse(req.body ?? {});
    if (!b.success) return errorPage(res, 400, 'Malformed authorization form');
    const app = store.apps.get(b.data.client_id);
    if (!app || !redirectAllowed(app, b.data.redirect_uri, config.switches))
      return errorPage(res, 400, 'The redirect uri included is not valid.');
    if (b.data.decision === 'deny') return redirectWith(res, b.data.redirect_uri, { error: 'access_denied', state: b.data.state });
    const user = store.usersByLogin.get((b.data.login ?? '').toLowerCase());
    if (!user || user.password !== b.data.password) {
      return consentPage(
        res,
        { app, redirectUri: b.data.redirect_uri, state: b.data.state ?? '', message: 'Invalid login or password.' },
        401,
      );
    }
    const code = randomToken('sbx_code_');
    store.codes.set(code, {
      code,
      clientId: app.clientId,
      userId: user.id,
      redirectUri: b.data.redirect_uri,
      expiresAt: store.nowSeconds() + config.authCodeTtlSeconds,
      used: false,
    });
    if (b.data.redirect_uri === OOB) return oobPage(res, code);
    redirectWith(res, b.data.redirect_uri, { code, state: b.data.state });
  });

  return r;
}

function redirectWith(res: Response, uri: string, params: Record<string, string | undefined>): void {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  res.redirect(302, u.toString());
}
