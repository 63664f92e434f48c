// A rate budget fed by the limit / remaining / reset (epoch seconds) response headers. Calls in
// flight are reserved locally because the headers lag behind concurrent requests; responses that
// arrive out of order never raise `remaining` within the same window.

import { header, type Headers } from './classify';

export interface RateLimitHeaders {
  limit: string;
  remaining: string;
  /** Epoch seconds at which the window resets. */
  reset: string;
}

/** Procore's names (the default). */
const PROCORE_RATE_HEADERS: RateLimitHeaders = { limit: 'X-Rate-Limit-Limit', remaining: 'X-Rate-Limit-Remaining', reset: 'X-Rate-Limit-Reset' };

export interface RateBudgetOptions {
  now?: () => number;
  /** Which response headers carry the window; default PROCORE_RATE_HEADERS. */
  headers?: RateLimitHeaders;
}

export class RateBudget {
  private lim: number | undefined;
  private rem: number | undefined;
  private reset: number | undefined; // epoch ms
  private inFlight = 0;
  /** Calls that ended without an answer after the current window rolled over (may be counted). */
  private unseen = 0;
  private readonly now: () => number;
  private readonly names: RateLimitHeaders;

  constructor(opts: RateBudgetOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.names = opts.headers ?? PROCORE_RATE_HEADERS;
  }

  /** Last known limit of the current window (undefined before the first response). */
  get limit(): number | undefined { return this.lim; }

  /** Calls left in the current window, minus calls already in flight (Infinity when unknown). */
  get remaining(): number {
    if (this.rem === undefined) return Number.POSITIVE_INFINITY;
    // After the reset, assume a full new window until a response reports it, but still count the
    // calls already in flight so a crowd of waiters does not stampede past the new limit.
    if (this.windowOver()) return this.lim === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.lim - this.inFlight - this.unseen);
    return Math.max(0, this.rem - this.inFlight);
  }

  /** When the current window resets (epoch ms), if known. */
  get resetAt(): number | undefined { return this.reset; }

  /** May the caller spend `n` more calls in this window? */
  canSpend(n = 1): boolean { return this.remaining >= n; }

  /** Milliseconds until the window resets (0 when unknown or past). */
  msUntilReset(): number { return this.reset === undefined ? 0 : Math.max(0, this.reset - this.now()); }

  /** Reserve one call before sending it. Pair with `release()` or `update()`. */
  begin(): void { this.inFlight += 1; }

  /** The call finished without rate headers (e.g. network error). */
  release(): void { this.inFlight = Math.max(0, this.inFlight - 1); }

  /** The call ended without an answer but may have reached the server (reset, timeout, lost
   *  response): count it as spent. Costs a slot when the server never saw it; never overspends. */
  abandon(): void {
    this.release();
    if (this.rem === undefined) return;
    if (this.windowOver()) this.unseen += 1;
    else this.rem = Math.max(0, this.rem - 1);
  }

  /** The call finished; record its headers and release its reservation. */
  finish(headers: Headers | undefined): void {
    this.release();
    this.update(headers);
  }

  update(headers: Headers | undefined): void {
    const num = (name: string) => {
      const v = header(headers, name);
      return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
    };
    const limit = num(this.names.limit);
    const remaining = num(this.names.remaining);
    const resetSec = num(this.names.reset);
    if (remaining === undefined) return;
    const reset = resetSec !== undefined ? resetSec * 1000 : undefined;
    const sameWindow = reset !== undefined && this.reset !== undefined && reset === this.reset && this.lim === limit;
    if (sameWindow && this.rem !== undefined) {
      this.rem = Math.min(this.rem, remaining);
    } else if (reset === undefined || this.reset === undefined || reset >= this.reset || limit !== this.lim || this.windowOver()) {
      // A newer window, or the server switched to reporting its other limit (hourly ↔ spike).
      this.rem = remaining;
      this.reset = reset;
      this.lim = limit;
      this.unseen = 0; // the server's own count of the new window includes them
    }
    // else: a late response from an older window; ignore it.
  }

  snapshot(): { limit?: number; remaining: number; resetAt?: number; inFlight: number } {
    return { limit: this.lim, remaining: this.remaining, resetAt: this.reset, inFlight: this.inFlight };
  }

  private windowOver(): boolean {
    return this.reset !== undefined && this.now() >= this.reset;
  }
}
