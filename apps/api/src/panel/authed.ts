import type { Request } from 'express';
import { HttpError } from '../http/errors';
import { assertTenantActive } from '../tenants/gate';
import type { ProcoreTarget } from './authz';
import type { PanelContext } from './context';
import { upstreamToHttp } from './records';
import { findSession, type PanelSessionRow } from './sessions';

/**
 * The one check every authenticated panel call passes, restore and renew included: a live
 * session, the tenant still active with the side panel on (read fresh through the gate), and the
 * Procore user still in the company plus every Procore id the request touches, asked with the
 * user's own token (authz.ts). A session must not be restorable or renewable where it could not act.
 */
export async function panelSession(
  ctx: PanelContext,
  req: Request,
  targets: ProcoreTarget[] | 'no_procore_check' = [],
): Promise<{ token: string; s: PanelSessionRow }> {
  const m = /^Bearer ([\w-]{20,100})$/.exec(req.get('authorization') ?? '');
  if (!m) throw new HttpError(401, 'session_expired', 'Sign in to use the myCOI panel');
  const token = m[1]!;
  const s = await findSession(ctx.db.pool, { ring: ctx.config.encryption, sessionSecret: ctx.config.sessionSecret }, token);
  await assertTenantActive(ctx.db.pool, s.tenantId, 'side_panel');
  if (targets !== 'no_procore_check') await guard(ctx.authz.require(s, targets));
  return { token, s };
}

/** Wraps upstream failures so a handler can `await guard(promise)` and get actionable HTTP errors. */
export const guard = <T>(p: Promise<T>) =>
  p.catch((e) => {
    throw upstreamToHttp(e);
  });
