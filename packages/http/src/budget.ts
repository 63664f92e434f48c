// A rate budget fed by the limit / remaining / reset (epoch seconds) response headers. Calls in
// flight are reserved locally because the headers lag behind concurrent requests; responses that
// arrive out of order never raise `remaining` within the same window.
//
// Two kinds of caller share one budget: interactive calls (a person is waiting, e.g. the side
// panel) and background calls (scheduled pushes, event runs). Background callers leave a small
// share of every window unspent, so an interactive call finds room even while a push is pacing
// itself at the limit.
//
// A 429 with Retry-After blocks the budget for that long only — not until the window reset its
// headers claim (during a throttling storm they may name the hour) — and then lets ONE call probe
// the server; its answer's headers tell the truth again.

import { header, retryAfterMs, type Headers } from './classify';

export type CallPriority = 'interactive' | 'background';

export interface RateLimitHeaders {
  limit: string;
  remaining: string;
  /** Epoch seconds at which the window resets. */
  reset: string;
}

/** Procore's names (the default). */
const PROCORE_RATE_HEADERS: RateLimitHeaders = {
  limit: 'X-Rate-Limit-Limit',
  remaining: 'X-Rate-Limit-Remaining',
  reset: 'X-Rate-Limit-Reset',
};

export interface RateBudgetOptions {
  now?: () => number;
  /** Which response headers carry the window; default PROCORE_RATE_HEADERS. */
  headers?: RateLimitHeaders;
  /** Share of each window background callers leave to interactive ones (default 0.08: 2 of
   *  Procore's 25 per 10 s; at least one call whenever the limit is known). */
  interactiveShare?: number;
}

/** How often waiters look again while the one probe call after a 429 is out. */
const PROBE_POLL_MS = 250;
/** In the last second of a window the interactive share would expire unused: background callers
 *  may take it then (an interactive caller arriving in that second waits at most for the reset). */
const SHARE_RELEASE_MS = 1000;
/** A window whose reset the answer did not say (header missing or not whole seconds) is assumed to
 *  end this long after the answer: without a reset, "0 left" would hold back every caller for ever,
 *  since no call would go out to bring newer headers. */
const UNKNOWN_RESET_MS = 10_000;

export class RateBudget {
  private lim: number | undefined;
  private rem: number | undefined;
  private reset: number | undefined; // epoch ms
  /** The reset is our guess (UNKNOWN_RESET_MS), not the server's: any answer with one replaces it. */
  private resetGuessed = false;
  private inFlight = 0;
  /** Calls that ended without an answer after the current window rolled over (may be counted). */
  private unseen = 0;
  /** After a 429 with Retry-After: no call before this (epoch ms)… */
  private blockedUntil: number | undefined;
  /** …and then one probe call at a time until an answer that is not a 429 arrives. */
  private probing = false;
  private readonly now: () => number;
  private readonly names: RateLimitHeaders;
  private readonly share: number;

  constructor(opts: RateBudgetOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.names = opts.headers ?? PROCORE_RATE_HEADERS;
    this.share = opts.interactiveShare ?? 0.08;
  }

  /** Last known limit of the current window (undefined before the first response). */
  get limit(): number | undefined {
    return this.lim;
  }

  /** Calls left in the current window, minus calls already in flight (Infinity when unknown). */
  get remaining(): number {
    if (this.isBlocked()) return 0;
    if (this.probing) return Math.max(0, 1 - this.inFlight);
    if (this.rem === undefined) return Number.POSITIVE_INFINITY;
    // After the reset, assume a full new window until a response reports it, but still count the
    // calls already in flight so a crowd of waiters does not stampede past the new limit.
    if (this.windowOver()) return this.lim === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.lim - this.inFlight - this.unseen);
    return Math.max(0, this.rem - this.inFlight);
  }

  /** When the current window resets (epoch ms), if known; while blocked by a 429, the end of the
   *  Retry-After wait. */
  get resetAt(): number | undefined {
    return this.isBlocked() ? this.blockedUntil : this.reset;
  }

  /** Calls of the current window that only interactive callers may spend. */
  get interactiveReserve(): number {
    if (this.lim === undefined || this.probing || this.isBlocked()) return 0;
    return Math.max(1, Math.floor(this.lim * this.share));
  }

  /** May a caller of this priority spend `n` more calls in this window? (default: interactive) */
  canSpend(n = 1, priority: CallPriority = 'interactive'): boolean {
    const reserve = priority === 'background' && !this.shareReleased() ? this.interactiveReserve : 0;
    return this.remaining - reserve >= n;
  }

  /** How long a caller of this priority should wait before looking again: a background caller
   *  held back only by the interactive share looks again when that share is released. */
  msUntilRoom(priority: CallPriority = 'interactive'): number {
    if (this.canSpend(1, priority)) return 0;
    const untilReset = this.msUntilReset();
    if (priority === 'background' && this.remaining > 0 && !this.throttled) return Math.max(0, untilReset - SHARE_RELEASE_MS);
    return untilReset;
  }

  /** Milliseconds until the budget may have room again (0 when unknown or past). */
  msUntilReset(): number {
    const now = this.now();
    if (this.isBlocked()) return this.blockedUntil! - now;
    if (this.probing) return this.inFlight > 0 ? PROBE_POLL_MS : 0;
    return this.reset === undefined ? 0 : Math.max(0, this.reset - now);
  }

  /** True while a 429's Retry-After wait or its probe call is pending. */
  get throttled(): boolean {
    return this.isBlocked() || this.probing;
  }

  /** Reserve one call before sending it. Pair with `release()` or `update()`. */
  begin(): void {
    this.inFlight += 1;
  }

  /** The call finished without rate headers (e.g. network error). */
  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** The call ended without an answer but may have reached the server (reset, timeout, lost
   *  response): count it as spent. Costs a slot when the server never saw it; never overspends. */
  abandon(): void {
    this.release();
    if (this.rem === undefined) return;
    if (this.windowOver()) this.unseen += 1;
    else this.rem = Math.max(0, this.rem - 1);
  }

  /** The call finished; record its headers (and status: a 429 is read differently) and release its
   *  reservation. */
  finish(headers: Headers | undefined, status?: number): void {
    this.release();
    this.update(headers, status);
  }

  update(headers: Headers | undefined, status?: number): void {
    if (status === 429) {
      const wait = retryAfterMs(headers, this.now());
      if (wait !== undefined) {
        // Honour Retry-After, not the window the headers name (a storm may report the hour as spent).
        this.blockedUntil = Math.max(this.blockedUntil ?? 0, this.now() + wait);
        this.probing = true;
        return;
      }
    } else if (status !== undefined) {
      // Any other answer: the server takes calls again and its headers describe the real window.
      this.blockedUntil = undefined;
      this.probing = false;
    }
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
    } else if (
      reset === undefined ||
      this.reset === undefined ||
      this.resetGuessed ||
      reset >= this.reset ||
      limit !== this.lim ||
      this.windowOver()
    ) {
      // A newer window, or the server switched to reporting its other limit (hourly ↔ spike).
      this.rem = remaining;
      this.reset = reset ?? this.now() + UNKNOWN_RESET_MS;
      this.resetGuessed = reset === undefined;
      this.lim = limit;
      this.unseen = 0; // the server's own count of the new window includes them
    }
    // else: a late response from an older window; ignore it.
  }

  snapshot(): { limit?: number; remaining: number; resetAt?: number; inFlight: number; throttled: boolean } {
    return { limit: this.lim, remaining: this.remaining, resetAt: this.resetAt, inFlight: this.inFlight, throttled: this.throttled };
  }

  private shareReleased(): boolean {
    return this.reset !== undefined && !this.throttled && !this.windowOver() && this.reset - this.now() <= SHARE_RELEASE_MS;
  }

  private isBlocked(): boolean {
    return this.blockedUntil !== undefined && this.now() < this.blockedUntil;
  }

  private windowOver(): boolean {
    return this.reset !== undefined && this.now() >= this.reset;
  }
}
