import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { CookieOptions, Request, Response } from 'express';

export type SessionKind = 'admin' | 'ops';

export const COOKIE: Record<SessionKind, string> = { admin: 'mycoi_admin', ops: 'mycoi_ops' };
export const SESSION_TTL_MS: Record<SessionKind, number> = { admin: 8 * 3600_000, ops: 12 * 3600_000 };

export interface SessionRow<D = Record<string, unknown>> {
  subject: string;
  data: D;
  expires_at: Date;
}

/** Where sessions live and the secret their ids are keyed with (TenantDeps has both). */
export interface SessionStore {
  pool: pg.Pool;
  sessionSecret: string;
}

// Only an HMAC of the token, keyed by SESSION_SECRET, is stored: a leaked sessions table cannot
// be replayed as cookies, and rotating SESSION_SECRET ends every session at once (no old id matches).
const hash = (secret: string, token: string) => createHmac('sha256', secret).update(token).digest('base64url');

/**
 * Still allowed to act: an ops session lives only while its ops user exists and is not disabled,
 * checked on every request, so disabling or deleting the user ends the session at once.
 */
const STILL_ALLOWED = `(s.kind <> 'ops' or exists (select 1 from ops_users u where u.id::text = s.data->>'opsUserId' and u.disabled_at is null))`;

export async function createSession(
  st: SessionStore,
  kind: SessionKind,
  subject: string,
  data: object, // stored as JSON; any plain object (typed session data has no index signature)
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const pool = st.pool;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS[kind]);
  await pool.query('delete from sessions where expires_at < now()');
  const id = hash(st.sessionSecret, token);
  await pool.query('insert into sessions (id, kind, subject, data, expires_at) values ($1, $2, $3, $4::jsonb, $5)', [
    id,
    kind,
    subject,
    JSON.stringify(data),
    expiresAt,
  ]);
  return { token, id, expiresAt };
}

/** The stored id of a session token (for updates beside the session, e.g. admin tokens). */
export const sessionId = (st: SessionStore, token: string): string => hash(st.sessionSecret, token);

export async function readSession<D>(st: SessionStore, kind: SessionKind, token: string | undefined): Promise<SessionRow<D> | null> {
  if (!token || token.length > 200) return null;
  const { rows } = await st.pool.query<SessionRow<D>>(
    `select s.subject, s.data, s.expires_at from sessions s where s.id = $1 and s.kind = $2 and s.expires_at > now() and ${STILL_ALLOWED}`,
    [hash(st.sessionSecret, token), kind],
  );
  return rows[0] ?? null;
}

export async function deleteSession(st: SessionStore, token: string | undefined): Promise<void> {
  if (token) await st.pool.query('delete from sessions where id = $1', [hash(st.sessionSecret, token)]);
}

/** httpOnly, SameSite=Lax (the console is a top-level page, never framed), Secure when served over https. */
export function cookieOptions(publicUrl: string, maxAgeMs?: number, path = '/'): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https:'), path, ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}

export function sessionToken(req: Request, kind: SessionKind): string | undefined {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[COOKIE[kind]];
  return typeof v === 'string' ? v : undefined;
}

export function setSessionCookie(res: Response, kind: SessionKind, token: string, publicUrl: string): void {
  res.cookie(COOKIE[kind], token, cookieOptions(publicUrl, SESSION_TTL_MS[kind]));
}

export function clearSessionCookie(res: Response, kind: SessionKind, publicUrl: string): void {
  res.clearCookie(COOKIE[kind], cookieOptions(publicUrl));
}
