import type pg from 'pg';
import type { Keyring } from '../secrets/crypto';
import { decryptSecret, encryptSecret } from '../secrets/crypto';
import { HttpError, unauthorized } from '../http/errors';
import type { MycoiUser, ProcoreUser, ProcoreUserTokens } from './ports';
import { hashToken, newToken, sessionTokenHash } from './tokens';

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Panel sessions. The token travels in `Authorization: Bearer` and lives only in the panel's
 * memory: the panel is a third-party iframe inside Procore, where browsers block or partition
 * cookies (Safari ITP, Chrome's third-party cookie phase-out), so a bearer token in memory works
 * everywhere and cannot be ridden by CSRF. Closing the panel forgets it; the session is short
 * (bounded by the myCOI user token's own lifetime) and the table keeps only an HMAC of it keyed by
 * SESSION_SECRET — so rotating SESSION_SECRET ends every panel session at once (issue 16.3).
 * The token's format (43 base64url characters) is unchanged by that.
 */
export const SESSION_MAX_SECONDS = 30 * 60;
export const GRANT_SECONDS = 5 * 60;
export const STATE_SECONDS = 10 * 60;

export interface PanelSessionRow {
  tenantId: string;
  companyId: string;
  procoreUser: ProcoreUser;
  procoreToken: string;
  /** Rotating: every refresh replaces it (see procore-token.ts). null → no refresh possible. */
  procoreRefreshToken: string | null;
  procoreTokenExpiresAt: Date | null;
  mycoiUser: Pick<MycoiUser, 'id' | 'email' | 'name' | 'role'>;
  mycoiToken: string;
  verifiedProjects: string[];
  expiresAt: Date;
  tokenHash: string;
}

export async function createOauthState(db: Queryable, companyId: string): Promise<string> {
  const { token, hash } = newToken();
  await db.query(
    `insert into panel_oauth_states (state_hash, procore_company_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`,
    [hash, companyId, STATE_SECONDS],
  );
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

export async function createGrant(
  db: Queryable,
  ring: Keyring,
  companyId: string,
  user: ProcoreUser,
  tokens: ProcoreUserTokens,
): Promise<string> {
  const { token, hash } = newToken();
  const aad = `grant:${hash}`;
  await db.query(
    `insert into panel_grants (grant_hash, procore_company_id, procore_user_id, procore_login, procore_name, procore_token,
       procore_refresh_token, procore_token_expires_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))`,
    [
      hash,
      companyId,
      user.id,
      user.login,
      user.name,
      encryptSecret(ring, tokens.accessToken, aad),
      tokens.refreshToken ? encryptSecret(ring, tokens.refreshToken, aad) : null,
      tokens.expiresAt,
      GRANT_SECONDS,
    ],
  );
  return token;
}

/** Reads a grant without using it up (a wrong myCOI password must not burn the Procore sign-in). */
export async function readGrant(
  db: Queryable,
  ring: Keyring,
  grant: string,
  companyId: string,
): Promise<{ user: ProcoreUser; tokens: ProcoreUserTokens }> {
  const hash = hashToken(grant);
  const { rows } = await db.query<{
    procore_user_id: string;
    procore_login: string;
    procore_name: string | null;
    procore_token: string;
    procore_company_id: string;
    procore_refresh_token: string | null;
    procore_token_expires_at: Date | null;
  }>(`select * from panel_grants where grant_hash = $1 and used_at is null and expires_at > now()`, [hash]);
  const row = rows[0];
  const expired = () => new HttpError(401, 'procore_sign_in_expired', 'Your Procore sign-in has expired: sign in with Procore again');
  if (!row || row.procore_company_id !== companyId) throw expired();
  const aad = `grant:${hash}`;
  try {
    return {
      user: { id: row.procore_user_id, login: row.procore_login, name: row.procore_name },
      tokens: {
        accessToken: decryptSecret(ring, row.procore_token, aad),
        refreshToken: row.procore_refresh_token ? decryptSecret(ring, row.procore_refresh_token, aad) : null,
        expiresAt: row.procore_token_expires_at,
      },
    };
  } catch {
    // Its key was removed before rotation reached it: a fresh sign-in makes a new grant.
    throw expired();
  }
}

export async function useGrant(db: Queryable, grant: string): Promise<boolean> {
  const res = await db.query(`update panel_grants set used_at = now() where grant_hash = $1 and used_at is null`, [hashToken(grant)]);
  return (res.rowCount ?? 0) === 1;
}

/** Where the session keys live: the keyring for the upstream tokens, SESSION_SECRET for the token hash. */
export interface SessionKeys {
  ring: Keyring;
  sessionSecret: string;
}

export async function createSession(
  db: Queryable,
  keys: SessionKeys,
  s: Omit<PanelSessionRow, 'expiresAt' | 'tokenHash'> & { ttlSeconds: number },
): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
  const { token } = newToken();
  const hash = sessionTokenHash(keys.sessionSecret, token);
  const ring = keys.ring;
  const ttl = Math.max(60, Math.min(SESSION_MAX_SECONDS, s.ttlSeconds));
  // verified_projects keeps the project checked at sign-in, for the record; authorisation itself
  // re-asks Procore every minute (authz.ts), so access removed in Procore does not live on here.
  const { rows } = await db.query<{ expires_at: Date }>(
    `insert into panel_sessions (token_hash, tenant_id, procore_company_id, procore_user_id, procore_login, procore_name, procore_token,
       mycoi_user_id, mycoi_email, mycoi_name, mycoi_role, mycoi_token, verified_projects, expires_at, procore_refresh_token, procore_token_expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now() + make_interval(secs => $14), $15, $16) returning expires_at`,
    [
      hash,
      s.tenantId,
      s.companyId,
      s.procoreUser.id,
      s.procoreUser.login,
      s.procoreUser.name,
      encryptSecret(ring, s.procoreToken, s.tenantId),
      s.mycoiUser.id,
      s.mycoiUser.email,
      s.mycoiUser.name,
      s.mycoiUser.role,
      encryptSecret(ring, s.mycoiToken, s.tenantId),
      s.verifiedProjects,
      ttl,
      s.procoreRefreshToken ? encryptSecret(ring, s.procoreRefreshToken, s.tenantId) : null,
      s.procoreTokenExpiresAt,
    ],
  );
  return { token, tokenHash: hash, expiresAt: rows[0]!.expires_at };
}

interface SessionDbRow {
  token_hash: string;
  tenant_id: string;
  procore_company_id: string;
  procore_user_id: string;
  procore_login: string;
  procore_name: string | null;
  procore_token: string;
  mycoi_user_id: string;
  mycoi_email: string;
  mycoi_name: string | null;
  mycoi_role: string;
  mycoi_token: string;
  verified_projects: string[];
  expires_at: Date;
  revoked_at: Date | null;
  procore_refresh_token: string | null;
  procore_token_expires_at: Date | null;
}

/**
 * The session behind a bearer token; an unknown, expired or revoked one is a 401 the panel answers
 * by signing in again. So is one whose stored tokens no longer decrypt (its key was removed before
 * `rotate-keys` reached it): that session is revoked and the user signs in again — never a 500.
 */
export async function findSession(db: Queryable, keys: SessionKeys, token: string): Promise<PanelSessionRow> {
  const { rows } = await db.query<SessionDbRow>('select * from panel_sessions where token_hash = $1', [
    sessionTokenHash(keys.sessionSecret, token),
  ]);
  const r = rows[0];
  if (!r || r.revoked_at) throw unauthorizedSession('Sign in again to use the myCOI panel');
  if (r.expires_at.getTime() <= Date.now()) throw unauthorizedSession('Your myCOI panel session has expired: sign in again');
  let secrets: { procoreToken: string; mycoiToken: string; procoreRefreshToken: string | null };
  try {
    secrets = {
      procoreToken: decryptSecret(keys.ring, r.procore_token, r.tenant_id),
      mycoiToken: decryptSecret(keys.ring, r.mycoi_token, r.tenant_id),
      procoreRefreshToken: r.procore_refresh_token ? decryptSecret(keys.ring, r.procore_refresh_token, r.tenant_id) : null,
    };
  } catch {
    await revokeSession(db, r.token_hash);
    throw unauthorizedSession('Your panel sign-in can no longer be read: sign in again');
  }
  return {
    tokenHash: r.token_hash,
    tenantId: r.tenant_id,
    companyId: r.procore_company_id,
    procoreUser: { id: r.procore_user_id, login: r.procore_login, name: r.procore_name },
    ...secrets,
    procoreTokenExpiresAt: r.procore_token_expires_at,
    mycoiUser: { id: r.mycoi_user_id, email: r.mycoi_email, name: r.mycoi_name, role: r.mycoi_role as MycoiUser['role'] },
    verifiedProjects: r.verified_projects,
    expiresAt: r.expires_at,
  };
}

/**
 * Stores a refreshed Procore pair. Compare-and-set on the refresh token that was spent: when two
 * instances refresh the same session, only the first pair is kept (the other's is already dead
 * at Procore anyway). Returns false when another refresh won.
 */
export async function saveProcoreTokens(
  db: Queryable,
  ring: Keyring,
  s: Pick<PanelSessionRow, 'tokenHash' | 'tenantId'>,
  spent: string,
  next: ProcoreUserTokens,
): Promise<boolean> {
  const { rows } = await db.query<{ procore_refresh_token: string | null }>(
    'select procore_refresh_token from panel_sessions where token_hash = $1',
    [s.tokenHash],
  );
  const stored = rows[0]?.procore_refresh_token;
  if (!stored) return false;
  let current: string;
  try {
    current = decryptSecret(ring, stored, s.tenantId);
  } catch {
    return false;
  }
  if (current !== spent) return false;
  const res = await db.query(
    `update panel_sessions set procore_token = $2, procore_refresh_token = $3, procore_token_expires_at = $4
      where token_hash = $1 and procore_refresh_token = $5`,
    [
      s.tokenHash,
      encryptSecret(ring, next.accessToken, s.tenantId),
      next.refreshToken ? encryptSecret(ring, next.refreshToken, s.tenantId) : null,
      next.expiresAt,
      stored,
    ],
  );
  return (res.rowCount ?? 0) === 1;
}

/** The pair as stored now (after another instance refreshed it), or null when it cannot be read. */
export async function readProcoreTokens(
  db: Queryable,
  ring: Keyring,
  s: Pick<PanelSessionRow, 'tokenHash' | 'tenantId'>,
): Promise<ProcoreUserTokens | null> {
  const { rows } = await db.query<
    Pick<SessionDbRow, 'procore_token' | 'procore_refresh_token' | 'procore_token_expires_at' | 'revoked_at'>
  >('select procore_token, procore_refresh_token, procore_token_expires_at, revoked_at from panel_sessions where token_hash = $1', [
    s.tokenHash,
  ]);
  const r = rows[0];
  if (!r || r.revoked_at) return null;
  try {
    return {
      accessToken: decryptSecret(ring, r.procore_token, s.tenantId),
      refreshToken: r.procore_refresh_token ? decryptSecret(ring, r.procore_refresh_token, s.tenantId) : null,
      expiresAt: r.procore_token_expires_at,
    };
  } catch {
    return null;
  }
}

function unauthorizedSession(message: string): HttpError {
  const e = unauthorized(message);
  return new HttpError(e.status, 'session_expired', e.message);
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
