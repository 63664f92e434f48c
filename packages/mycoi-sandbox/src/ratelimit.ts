import type { Request, RequestHandler } from 'express';
import { sendError } from './errors';

export interface RateLimitOptions {
  /** Requests per window per token (or per client address before a token exists); default 1000. */
  limit?: number;
  /** Window length in seconds; default 60. */
  windowSec?: number;
}

/** Fixed-window limiter keyed by bearer token, with the contract's X-RateLimit-* headers. */
export function rateLimiter(opts: RateLimitOptions = {}, now: () => number = Date.now): RequestHandler {
  const limit = opts.limit ?? 1000;
  const windowMs = (opts.windowSec ?? 60) * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const key = bearer(req) ?? `addr:${req.socket.remoteAddress ?? ''}`;
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    const resetAt = w.start + windowMs;
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - w.count)));
    res.setHeader('X-RateLimit-Reset', String(Math.ceil(resetAt / 1000)));
    if (w.count > limit) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((resetAt - t) / 1000))));
      return sendError(res, 429, 'rate_limited', 'Too many requests');
    }
    next();
  };
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h && /^Bearer /i.test(h) ? h.slice(7).trim() : undefined;
}
