import { Router } from 'express';
import type { Auth, Principal } from '../auth';
import { userOf } from '../auth';
import { ApiError } from '../errors';
import { loginRequest, tokenRequest } from '../schemas';
import type { SandboxStore } from '../store';

const publicUser = (u: { id: string; email: string; name: string; account_id: string; role: string }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  account_id: u.account_id,
  role: u.role,
});

export function authRoutes(store: SandboxStore, auth: Auth): Router {
  const r = Router();
  r.post('/oauth/token', (req, res) => {
    const body = tokenRequest.safeParse(req.body ?? {});
    if (!body.success) throw new ApiError(400, 'invalid_request', 'grant_type must be client_credentials');
    let { client_id: id, client_secret: secret } = body.data;
    const basic = req.headers.authorization;
    if ((!id || !secret) && basic && /^Basic /i.test(basic)) {
      const decoded = Buffer.from(basic.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
    }
    if (!id || !secret) throw new ApiError(401, 'invalid_client', 'Client credentials are missing');
    res.locals.clientId = id;
    const t = auth.issueClientToken(id, secret);
    res.locals.accountId = t.accountId;
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: t.token, token_type: 'Bearer', expires_in: t.ttl, account_id: t.accountId });
  });

  r.post('/v1/auth/login', (req, res) => {
    const body = loginRequest.parse(req.body ?? {});
    const t = auth.login(body.email, body.password);
    res.locals.accountId = t.user.account_id;
    res.setHeader('Cache-Control', 'no-store');
    res.json({ access_token: t.token, token_type: 'Bearer', expires_in: t.ttl, user: publicUser(t.user) });
  });

  r.get('/v1/me', auth.middleware(), (_req, res) => {
    const p = res.locals.principal as Principal;
    const account = store.accounts.get(p.accountId)!;
    const user = userOf(store, p);
    res.json({ token_kind: p.kind, account: { id: account.id, name: account.name }, user: user ? publicUser(user) : null });
  });
  return r;
}
