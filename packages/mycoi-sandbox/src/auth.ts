import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';
import { bearer } from './ratelimit';
import type { SandboxStore } from './store';
import type { UserRecord } from './types';

export interface Principal {
  kind: 'client' | 'user';
  accountId: string;
  clientId?: string;
  userId?: string;
  expiresAt: number;
}

export interface AuthOptions {
  tokenTtlSeconds?: number; // service tokens, default 3600
  userTokenTtlSeconds?: number; // user tokens, default 900
  lockout?: { maxFailures?: number; lockSeconds?: number }; // default 5 failures → 15 minutes
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Tokens, client credentials and user login with lockout. */
export class Auth {
  readonly tokens = new Map<string, Principal>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly store: SandboxStore,
    private readonly opts: AuthOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  issueClientToken(clientId: string, clientSecret: string): { token: string; ttl: number; accountId: string } {
    const creds = this.store.credentials.find((c) => c.clientId === clientId);
    if (!creds || !safeEqual(creds.clientSecret, clientSecret)) throw new ApiError(401, 'invalid_client', 'Unknown client or wrong secret');
    const ttl = this.opts.tokenTtlSeconds ?? 3600;
    const token = `mct_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { kind: 'client', accountId: creds.accountId, clientId, expiresAt: this.now() + ttl * 1000 });
    return { token, ttl, accountId: creds.accountId };
  }

  login(email: string, password: string): { token: string; ttl: number; user: UserRecord } {
    const key = email.toLowerCase();
    const max = this.opts.lockout?.maxFailures ?? 5;
    const lockMs = (this.opts.lockout?.lockSeconds ?? 900) * 1000;
    const f = this.failures.get(key) ?? { count: 0, lockedUntil: 0 };
    const t = this.now();
    if (f.lockedUntil > t) {
      const retry = Math.ceil((f.lockedUntil - t) / 1000);
      throw new ApiError(
        423,
        'account_locked',
        'Too many failed sign-ins; try again later',
        { locked_until: new Date(f.lockedUntil).toISOString() },
        { 'Retry-After': String(retry) },
      );
    }
    const user = this.store.users.get(key);
    if (!user || !safeEqual(user.password, password)) {
      // Unknown emails count too, so lockout does not reveal which emails exist.
      f.count = f.lockedUntil && f.lockedUntil <= t ? 1 : f.count + 1;
      f.lockedUntil = f.count >= max ? t + lockMs : 0;
      this.failures.set(key, f);
      throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
    }
    this.failures.delete(key);
    const ttl = this.opts.userTokenTtlSeconds ?? 900;
    const token = `mut_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { kind: 'user', accountId: user.account_id, userId: user.id, expiresAt: t + ttl * 1000 });
    return { token, ttl, user };
  }

  unlock(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  /** Makes every issued token expired (tests of refresh-on-401). */
  expireAll(): void {
    for (const p of this.tokens.values()) p.expiresAt = 0;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const token = bearer(req);
      const p = token ? this.tokens.get(token) : undefined;
      if (!p) throw new ApiError(401, 'unauthorized', 'Missing or unknown bearer token');
      if (p.expiresAt <= this.now()) throw new ApiError(401, 'token_expired', 'The token has expired');
      res.locals.principal = p;
      next();
    };
  }
}

export function userOf(store: SandboxStore, p: Principal): UserRecord | undefined {
  if (p.kind !== 'user') return undefined;
  return [...store.users.values()].find((u) => u.id === p.userId);
}
