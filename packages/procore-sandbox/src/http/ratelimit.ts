import type { NextFunction, Response } from 'express';
import type { Deps, SandboxRequest } from './context';

interface Window {
  start: number; // ms
  count: number;
}

const HOUR_MS = 3_600_000;
const SPIKE_MS = 10_000;

/**
 * Procore's two per-token limits (per-token scope is what Procore's older docs say; the current
 * docs don't say): hourly (fixed 60 min window) and spike (fixed 10 s window), each starting at the
 * whole second of the token's first call in it. The `X-Rate-Limit-*` headers describe the NEARER limit —
 * Procore reports "the limit your app is most likely to exceed first", in most cases the spike
 * limit: the one with fewer calls left, ties go to the spike window, an exhausted window is
 * always the one reported. A rejected (429) request does not consume budget.
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
      // From the whole second of the first call: X-Rate-Limit-Reset (Unix seconds) is then exact.
      w = { start: Math.floor(now / 1000) * 1000, count: 0 };
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
      const limits = this.deps.config.rateLimit;
      if (!limits) {
        // Limits off (explicit unit-test option): no headers, only an injected storm throttles.
        if (this.storm) return tooMany(res, 1);
        return next();
      }
      const { hourly: hLimit, spike10s: sLimit } = limits;
      const now = this.deps.store.nowMs();
      const h = this.window(this.hourly, key, HOUR_MS, now);
      const s = this.window(this.spike, key, SPIKE_MS, now);
      const over = h.count >= hLimit || s.count >= sLimit;
      if (!over && !this.storm) {
        h.count++;
        s.count++;
      }
      const hRem = Math.max(0, hLimit - h.count);
      const sRem = Math.max(0, sLimit - s.count);
      // A storm is the worst case a client meets: the headers say the HOUR is spent while
      // Retry-After says one second (what a short throttling burst looks like from outside).
      const useHourly = this.storm || h.count >= hLimit || (s.count < sLimit && hRem < sRem);
      const limit = useHourly ? hLimit : sLimit;
      const remaining = this.storm ? 0 : useHourly ? hRem : sRem;
      const resetMs = useHourly ? h.start + HOUR_MS : s.start + SPIKE_MS;
      res.setHeader('X-Rate-Limit-Limit', String(limit));
      res.setHeader('X-Rate-Limit-Remaining', String(remaining));
      res.setHeader('X-Rate-Limit-Reset', String(resetMs / 1000));
      if (this.storm) return tooMany(res, 1);
      if (over) return tooMany(res, Math.max(1, Math.ceil((resetMs - now) / 1000)));
      next();
    };
  }
}

function tooMany(res: Response, retryAfterSec: number): void {
  res.setHeader('Retry-After', String(retryAfterSec));
  res.status(429).json({
    error: {
      code: 'rate_limited',
      // Procore's historic 429 text (it names the hour even when the spike limit was hit).
      message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
    },
  });
}
