import type { NextFunction, Response } from 'express';
import type { Deps, SandboxRequest } from './context';

interface Window {
  start: number; // ms
  count: number;
}

/**
 * Two fixed windows per access token (per-token scope is what Procore's older docs say; the
 * current docs don't say): hourly (60 min) and spike (10 s). Headers describe whichever limit has
 * fewer requests left — Procore reports "the limit your app is most likely to exceed first".
 * A rejected (429) request does not consume budget.
 */
export class RateLimiter {
  private hourly = new Map<string, Window>();
  private spike = new Map<string, Window>();
  /** While true every REST call gets 429 (fault: rate-limit storm). */
  storm = false;

  constructor(private deps: Deps) {}

  private window(map: Map<string, Window>, key: string, lengthMs: number, now: number): Window {
    let w = map.get(key);
    if (!w || now >= w.start + lengthMs) {
      w = { start: now, count: 0 };
      map.set(key, w);
    }
    return w;
  }

  reset(): void {
    this.hourly.clear();
    this.spike.clear();
  }

  middleware() {
    return (req: SandboxRequest, res: Response, next: NextFunction) => {
      const key = req.caller?.token.token;
      if (!key) return next();
      const { hourly: hLimit, spike10s: sLimit } = this.deps.config.rateLimit;
      const now = this.deps.store.nowMs();
      const h = this.window(this.hourly, key, 3_600_000, now);
      const s = this.window(this.spike, key, 10_000, now);
      const over = h.count >= hLimit || s.count >= sLimit;
      if (!over && !this.storm) {
        h.count++;
        s.count++;
      }
      const hRem = Math.max(0, hLimit - h.count);
      const sRem = Math.max(0, sLimit - s.count);
      // Report the window that runs out first; when one is exhausted, report that one.
      const useHourly = h.count >= hLimit || (s.count < sLimit && hRem < sRem);
      const limit = useHourly ? hLimit : sLimit;
      const remaining = useHourly ? hRem : sRem;
      const resetMs = useHourly ? h.start + 3_600_000 : s.start + 10_000;
      res.setHeader('X-Rate-Limit-Limit', String(limit));
      res.setHeader('X-Rate-Limit-Remaining', String(this.storm ? 0 : remaining));
      res.setHeader('X-Rate-Limit-Reset', String(Math.ceil(resetMs / 1000)));
      if (over || this.storm) {
        const retryAfter = this.storm ? 1 : Math.max(1, Math.ceil((resetMs - now) / 1000));
        res.setHeader('Retry-After', String(retryAfter));
        res.status(429).json({
          error: {
            code: 'rate_limited',
            message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
          },
        });
        return;
      }
      next();
    };
  }
}
