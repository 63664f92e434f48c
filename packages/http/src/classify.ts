// The retry decision as a pure function: given what happened on one attempt, decide whether to try
// again and how long to wait. Kept free of I/O (clock and randomness are injected) so it can be
// tested by table and reused by every client.

export type Headers = Record<string, string | string[] | number | undefined | null>;

export interface AttemptOutcome {
  /** 'response' = an HTTP status came back; 'network' = no status (reset, refused, timeout…);
   *  'malformed' = a 2xx whose body could not be parsed. */
  kind: 'response' | 'network' | 'malformed';
  method: string;
  status?: number;
  headers?: Headers;
  /** Node / axios error code, e.g. ECONNRESET, ECONNREFUSED, ECONNABORTED. */
  code?: string;
  message?: string;
  /** Set to false when the caller knows the request bytes never left (e.g. refused before connect). */
  sent?: boolean;
  /** Overrides the method default (GET/PUT/PATCH/DELETE idempotent, POST not). */
  idempotent?: boolean;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** How many earlier attempts of this call were answered 429 (they do not use up maxAttempts). */
  throttled?: number;
  /** Rate-limit wait already spent on this call, in ms (counted against maxThrottleMs). */
  throttledMs?: number;
  /** Whether this request already forced one token refresh (401 is retried at most once). */
  authRefreshed?: boolean;
}

export interface ClassifyOptions {
  /** Failed attempts (5xx, network, malformed) per call; default 5. 429s are not counted here: the
   *  server said "not now", not "failed", so they are bounded by time (maxThrottleMs) instead.
   *  1 means no retry at all, 429 included. */
  maxAttempts?: number;
  baseDelayMs?: number; // default 250
  maxDelayMs?: number; // default 20_000, cap of the exponential backoff
  /** Longer waits than this are not slept through: the call fails so a run can stop cleanly. */
  maxRetryAfterMs?: number; // default 120_000
  /** Total 429 wait per call before giving up; default maxRetryAfterMs. Each 429 counts at least
   *  1 s, so a server answering Retry-After: 0 forever still ends. */
  maxThrottleMs?: number;
  random?: () => number; // [0,1), default Math.random
  now?: () => number; // epoch ms, default Date.now
}

export interface Decision {
  retry: boolean;
  waitMs: number;
  reason: string;
  /** The caller must force a token refresh before retrying (401). */
  refreshAuth?: boolean;
}

/** Errors raised before any byte reached the server: safe to retry even a non-idempotent POST. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);
/** Errors where the request may have been processed: retry only idempotent calls. */
const IN_FLIGHT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ESOCKETTIMEDOUT',
  'ERR_NETWORK',
  'ECANCELED_BY_SERVER',
]);

export function isIdempotent(method: string, override?: boolean): boolean {
  if (override !== undefined) return override;
  return method.toUpperCase() !== 'POST';
}

export function header(headers: Headers | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== lower || v === undefined || v === null) continue;
    return Array.isArray(v) ? v[0] : String(v);
  }
  return undefined;
}

/** Retry-After as seconds or an HTTP date, in ms from `now`. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Retry-After; falls back to X-Rate-Limit-Reset (epoch seconds). */
export function rateLimitWaitMs(headers: Headers | undefined, now: number): number | undefined {
  const wait = retryAfterMs(headers, now);
  if (wait !== undefined) return wait;
  const reset = header(headers, 'x-rate-limit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** Capped exponential backoff with "equal jitter": never below half the step, so bursts spread out
 *  without collapsing to zero. */
export function backoffMs(attempt: number, opts: ClassifyOptions = {}): number {
  const base = opts.baseDelayMs ?? 250;
  const cap = opts.maxDelayMs ?? 20_000;
  const random = opts.random ?? Math.random;
  const step = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** What one 429 wait counts against maxThrottleMs (at least 1 s, see ClassifyOptions). */
export function throttleCharge(waitMs: number): number {
  return Math.max(waitMs, 1000);
}

/** Could the server have received (and counted, or applied) this request? */
export function mayHaveReachedServer(o: AttemptOutcome): boolean {
  return o.kind !== 'network' || !networkNeverSent(o);
}

function networkNeverSent(o: AttemptOutcome): boolean {
  if (o.sent === false) return true;
  if (o.sent === true) return false;
  return o.code !== undefined && NEVER_SENT_CODES.has(o.code);
}

export function classify(o: AttemptOutcome, opts: ClassifyOptions = {}): Decision {
  const maxAttempts = opts.maxAttempts ?? 5;
  const now = (opts.now ?? Date.now)();
  const maxWait = opts.maxRetryAfterMs ?? 120_000;
  const idempotent = isIdempotent(o.method, o.idempotent);
  const throttled = o.throttled ?? 0;
  // Failures so far, this one included: a run of 429s must not eat the retries meant for faults
  // (with 20% 5xx and a throttling burst, a 12-attempt budget was exhausted by waiting politely).
  const failures = Math.max(1, o.attempt - throttled);
  const exhausted = maxAttempts <= 1 || failures >= maxAttempts;
  const stop = (reason: string): Decision => ({ retry: false, waitMs: 0, reason });
  const again = (reason: string, waitMs: number, extra: Partial<Decision> = {}): Decision =>
    exhausted ? stop(`${reason}; attempts exhausted (${failures}/${maxAttempts} failed)`) : { retry: true, waitMs, reason, ...extra };
  const backoff = () => backoffMs(failures, opts);

  if (o.kind === 'network') {
    const label = o.code ?? (o.message && /socket hang up/i.test(o.message) ? 'socket hang up' : (o.message ?? 'network error'));
    if (networkNeverSent(o)) return again(`${label}: request never sent`, backoff());
    if (!idempotent) return stop(`${label}: non-idempotent ${o.method.toUpperCase()} may have been applied`);
    const known = (o.code && IN_FLIGHT_CODES.has(o.code)) || /socket hang up|timeout|reset/i.test(o.message ?? '');
    return again(`${label}${known ? '' : ' (unknown network error)'}`, backoff());
  }

  if (o.kind === 'malformed') {
    // The server answered 2xx, so a write was applied: only idempotent calls may repeat.
    if (!idempotent) return stop('malformed response to a non-idempotent write');
    return again('malformed response body', backoff());
  }

  const status = o.status ?? 0;
  if (status === 429) {
    // Procore rejects throttled calls before processing them, so even a POST is safe to repeat.
    const wait = rateLimitWaitMs(o.headers, now) ?? backoffMs(o.attempt, opts);
    if (wait > maxWait) return stop(`429 rate limited; reset in ${wait} ms exceeds max wait ${maxWait} ms`);
    if (maxAttempts <= 1) return stop('429 rate limited; retries disabled');
    const maxThrottle = opts.maxThrottleMs ?? maxWait;
    const spent = (o.throttledMs ?? 0) + throttleCharge(wait);
    if (spent > maxThrottle) return stop(`429 rate limited; ${spent} ms of rate-limit waits exceeds ${maxThrottle} ms`);
    return { retry: true, waitMs: wait, reason: '429 rate limited' };
  }
  if (status === 401) {
    if (o.authRefreshed) return stop('401 unauthorized after a forced token refresh');
    return again('401 unauthorized: refreshing token', 0, { refreshAuth: true });
  }
  if (status >= 500 || status === 408) {
    if (!idempotent) return stop(`${status} on non-idempotent ${o.method.toUpperCase()} may have been applied`);
    const hinted = status === 503 ? rateLimitWaitMs(o.headers, now) : undefined;
    const wait = Math.max(hinted ?? 0, backoff());
    if (wait > maxWait) return stop(`${status}; retry-after ${wait} ms exceeds max wait ${maxWait} ms`);
    return again(`${status} server error`, wait);
  }
  if (status >= 400) return stop(`${status} client error`);
  return stop(`${status} not an error`);
}
