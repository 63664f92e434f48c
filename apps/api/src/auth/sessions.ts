import { createHash, randomBytes } from 'node:crypto';
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

// Only a hash of the token is stored: a leaked sessions table cannot be replayed as cookies.
const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function createSession(pool: pg.Pool, kind: SessionKind, subject: string, data: Record<string, unknown>): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS[kind]);
  await pool.query('delete from sessions where expires_at < now()');
  await pool.query('insert into sessions (id, kind, subject, data, expires_at) values ($1, $2, $3, $4::jsonb, $5)', [
    hash(token),
    kind,
    subject,
    JSON.stringify(data),
    expiresAt,
  ]);
  return { token, expiresAt };
}

export async function readSession<D>(pool: pg.Pool, kind: SessionKind, token: string | undefined): Promise<SessionRow<D> | null> {
  if (!token || token.length > 200) return null;
  const { rows } = await pool.query<SessionRow<D>>('select subject, data, expires_at from sessions where id = $1 and kind = $2 and expires_at > now()', [
    hash(token),
    kind,
  ]);
  return rows[0] ?? null;
}

export async function deleteSession(pool: pg.Pool, token: string | undefined): Promise<void> {
  if (token) await pool.query('delete from sessions where id = $1', [hash(token)]);
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
