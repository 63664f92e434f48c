import type pg from 'pg';
import type { Keyring } from '../secrets/crypto';
import { decryptSecret, encryptSecret } from '../secrets/crypto';
import { HttpError, unauthorized } from '../http/errors';
import type { MycoiUser, ProcoreUser } from './ports';
import { hashToken, newToken } from './tokens';

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Panel sessions. The token travels in `Authorization: Bearer` and lives only in the panel's
 * memory: the panel is a third-party iframe inside Procore, where browsers block or partition
 * cookies (Safari ITP, Chrome's third-party cookie phase-out), so a bearer token in memory works
 * everywhere and cannot be ridden by CSRF. Closing the panel forgets it; the session is short
 * (bounded by the myCOI user token's own lifetime) and the table keeps only its sha256.
 */
export const SESSION_MAX_SECONDS = 30 * 60;
export const GRANT_SECONDS = 5 * 60;
export const STATE_SECONDS = 10 * 60;

export interface PanelSessionRow {
  tenantId: string;
  companyId: string;
  procoreUser: ProcoreUser;
  procoreToken: string;
  mycoiUser: Pick<MycoiUser, 'id' | 'email' | 'name' | 'role'>;
  mycoiToken: string;
  verifiedProjects: string[];
  expiresAt: Date;
  tokenHash: string;
}

export async function createOauthState(db: Queryable, companyId: string): Promise<string> {
  const { token, hash } = newToken();
  await db.query(`insert into panel_oauth_states (state_hash, procore_company_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`, [
    hash,
    companyId,
    STATE_SECONDS,
  ]);
  return token;
}

/** Single use: the row is marked used in the same statement that reads it. */
export async function consumeOauthState(db: Queryable, state: string): Promise<{ companyId: string } | null> {
  const { rows } = await db.query<{ procore_company_id: string }>(
    `update panel_oauth_states set used_at = now() where state_hash = $1 and used_at is null and expires_at > now() returning procore_company_id`,
    [hashToken(state)],
  );
  return rows[0] ? { companyId: rows[0].procore_company_id } : null;
}

export async function createGrant(db: Queryable, ring: Keyring, companyId: string, user: ProcoreUser, accessToken: string): Promise<string> {
  const { token, hash } = newToken();
  await db.query(
    `insert into panel_grants (grant_hash, procore_company_id, procore_user_id, procore_login, procore_name, procore_token, expires_at)
     values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [hash, companyId, user.id, user.login, user.name, encryptSecret(ring, accessToken, `grant:${hash}`), GRANT_SECONDS],
  );
  return token;
}

/** Reads a grant without using it up (a wrong myCOI password must not burn the Procore sign-in). */
export async function readGrant(db: Queryable, ring: Keyring, grant: string, companyId: string): Promise<{ user: ProcoreUser; accessToken: string }> {
  const hash = hashToken(grant);
  const { rows } = await db.query<{ procore_user_id: string; procore_login: string; procore_name: string | null; procore_token: string; procore_company_id: string }>(
    `select * from panel_grants where grant_hash = $1 and used_at is null and expires_at > now()`,
    [hash],
  );
  const row = rows[0];
  if (!row || row.procore_company_id !== companyId) {
    throw new HttpError(401, 'procore_sign_in_expired', 'Your Procore sign-in has expired: sign in with Procore again');
  }
  return {
    user: { id: row.procore_user_id, login: row.procore_login, name: row.procore_name },
    accessToken: decryptSecret(ring, row.procore_token, `grant:${hash}`),
  };
}

export async function useGrant(db: Queryable, grant: string): Promise<boolean> {
  const res = await db.query(`update panel_grants set used_at = now() where grant_hash = $1 and used_at is null`, [hashToken(grant)]);
  return (res.rowCount ?? 0) === 1;
}

export async function createSession(
  db: Queryable,
  ring: Keyring,
  s: Omit<PanelSessionRow, 'expiresAt' | 'tokenHash'> & { ttlSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const ttl = Math.max(60, Math.min(SESSION_MAX_SECONDS, s.ttlSeconds));
  const { rows } = await db.query<{ expires_at: Date }>(
    `insert into panel_sessions (token_hash, tenant_id, procore_company_id, procore_user_id, procore_login, procore_name, procore_token,
       mycoi_user_id, mycoi_email, mycoi_name, mycoi_role, mycoi_token, verified_projects, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now() + make_interval(secs => $14)) returning expires_at`,
    [
      hash, s.tenantId, s.companyId, s.procoreUser.id, s.procoreUser.login, s.procoreUser.name,
      encryptSecret(ring, s.procoreToken, s.tenantId), s.mycoiUser.id, s.mycoiUser.email, s.mycoiUser.name, s.mycoiUser.role,
      encryptSecret(ring, s.mycoiToken, s.tenantId), s.verifiedProjects, ttl,
    ],
  );
  return { token, expiresAt: rows[0]!.expires_at };
}

interface SessionDbRow {
  token_hash: string; tenant_id: string; procore_company_id: string; procore_user_id: string; procore_login: string; procore_name: string | null;
  procore_token: string; mycoi_user_id: string; mycoi_email: string; mycoi_name: string | null; mycoi_role: string; mycoi_token: string;
  verified_projects: string[]; expires_at: Date; revoked_at: Date | null;
}

/** The session behind a bearer token; an unknown, expired or revoked one is a 401 the panel answers by signing in again. */
export async function findSession(db: Queryable, ring: Keyring, token: string): Promise<PanelSessionRow> {
  const { rows } = await db.query<SessionDbRow>('select * from panel_sessions where token_hash = $1', [hashToken(token)]);
  const r = rows[0];
  if (!r || r.revoked_at) throw unauthorizedSession('Sign in again to use the myCOI panel');
  if (r.expires_at.getTime() <= Date.now()) throw unauthorizedSession('Your myCOI panel session has expired: sign in again');
  return {
    tokenHash: r.token_hash,
    tenantId: r.tenant_id,
    companyId: r.procore_company_id,
    procoreUser: { id: r.procore_user_id, login: r.procore_login, name: r.procore_name },
    procoreToken: decryptSecret(ring, r.procore_token, r.tenant_id),
    mycoiUser: { id: r.mycoi_user_id, email: r.mycoi_email, name: r.mycoi_name, role: r.mycoi_role as MycoiUser['role'] },
    mycoiToken: decryptSecret(ring, r.mycoi_token, r.tenant_id),
    verifiedProjects: r.verified_projects,
    expiresAt: r.expires_at,
  };
}

function unauthorizedSession(message: string): HttpError {
  const e = unauthorized(message);
  return new HttpError(e.status, 'session_expired', e.message);
}

export async function addVerifiedProject(db: Queryable, tokenHash: string, projectId: string): Promise<void> {
  await db.query(
    `update panel_sessions set verified_projects = array_append(verified_projects, $2::text) where token_hash = $1 and not ($2::text = any(verified_projects))`,
    [tokenHash, projectId],
  );
}

export async function revokeSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('update panel_sessions set revoked_at = now() where token_hash = $1', [tokenHash]);
}

/** Housekeeping: expired sessions, grants and states are useless; drop them. */
export async function purgeExpired(db: Queryable): Promise<void> {
  await db.query(`delete from panel_sessions where expires_at < now() - interval '1 day'`);
  await db.query(`delete from panel_grants where expires_at < now() - interval '1 hour'`);
  await db.query(`delete from panel_oauth_states where expires_at < now() - interval '1 hour'`);
}
