// A retrying request executor around axios. Every attempt: respect the rate budget, attach the
// bearer token, send, then let `classify` decide. Bodies are read as text and parsed here so a
// malformed 2xx body is detected (axios would silently hand back the string).

import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  classify,
  isIdempotent,
  mayHaveReachedServer,
  retryAfterMs,
  throttleCharge,
  type AttemptOutcome,
  type ClassifyOptions,
  type Decision,
} from './classify';
import { RateBudget, type CallPriority } from './budget';
import { RateBudgetExhaustedError, safeErrorBody, scrub, UpstreamError, upstreamMessage } from './errors';
import type { TokenProvider } from './token';
import { upstreamWait } from './idle';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  method: Method;
  /** Path relative to baseURL, or an absolute URL (e.g. a Link rel="next"). */
  url: string;
  params?: Record<string, unknown>;
  data?: unknown;
  headers?: Record<string, string>;
  /** Override the method default (POST is not idempotent, the rest are). */
  idempotent?: boolean;
  /** Send the bearer token (default true when a token provider is set). */
  auth?: boolean;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
  attempts: number;
}

export interface AttemptInfo {
  method: string;
  path: string;
  attempt: number;
  status?: number;
  code?: string;
  decision?: Decision;
}

export interface ExecutorOptions {
  service: string;
  baseURL?: string;
  axios?: AxiosInstance;
  token?: TokenProvider;
  budget?: RateBudget;
  /** When the budget is spent: wait for the window to reset (up to maxBudgetWaitMs) or throw. */
  onBudgetExhausted?: 'wait' | 'throw';
  maxBudgetWaitMs?: number;
  /** 'background' callers leave the budget's interactive share of each window unspent (default
   *  'interactive': a person is waiting, spend up to the limit). */
  priority?: CallPriority;
  /** How budget waits sleep. Real time by default even when `sleep` (retry backoff) is faked: the
   *  budget reads the real clock, so a fake sleep here would spin. */
  budgetSleep?: (ms: number) => Promise<void>;
  headers?: Record<string, string>;
  timeoutMs?: number;
  retry?: ClassifyOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Values that must never appear in error messages (client secrets, tokens). */
  secrets?: () => readonly (string | undefined)[];
  onAttempt?: (info: AttemptInfo) => void;
  /** Observer of every answered or failed attempt and of every rate-limit wait (metrics hook it here). */
  observer?: ExecutorObserver;
}

/** What an observer sees: never the URL's query, the body or a header. */
export interface ExecutorObserver {
  /** One per attempt: `status` is the HTTP status, or undefined for a network failure (`code` then). */
  response?(info: { method: string; path: string; status?: number; code?: string }): void;
  /** A wait for the rate limit: the budget's window ('budget') or a 429 answer ('429'). */
  rateLimitWait?(info: { reason: 'budget' | '429'; ms: number }): void;
}

export interface Executor {
  request<T = unknown>(spec: RequestSpec): Promise<HttpResult<T>>;
  readonly budget: RateBudget | undefined;
  readonly stats: { calls: number; attempts: number; retries: number; refreshes: number; budgetWaits: number; throttled: number };
}

// Non-idempotent writes go over a fresh connection: on a reused keep-alive socket the server may
// close the idle connection just as the request is written, which surfaces as ECONNRESET and is
// indistinguishable from a reset after processing, so such a POST could never be retried.
const freshHttp = new http.Agent({ keepAlive: false });
const freshHttps = new https.Agent({ keepAlive: false });

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function parseBody(text: unknown, contentType: string): { ok: boolean; value: unknown } {
  if (typeof text !== 'string') return { ok: true, value: text };
  if (text.length === 0) return { ok: true, value: undefined };
  if (!/json/i.test(contentType) && !/^[[{]/.test(text.trimStart())) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}

function flatHeaders(h: AxiosResponse['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export function createExecutor(opts: ExecutorOptions): Executor {
  const client = opts.axios ?? axios.create();
  const sleep = opts.sleep ?? realSleep;
  const budget = opts.budget;
  const budgetSleep = opts.budgetSleep ?? realSleep;
  const priority = opts.priority ?? 'interactive';
  const stats = { calls: 0, attempts: 0, retries: 0, refreshes: 0, budgetWaits: 0, throttled: 0 };
  const observer = opts.observer;
  const secrets = opts.secrets ?? (() => []);

  const pathOf = (url: string) => {
    try {
      return new URL(url, opts.baseURL ?? 'http://localhost').pathname;
    } catch {
      return url.split('?')[0] ?? url;
    }
  };

  /** Waits until the budget allows one more call, then reserves it. The check and the reservation
   *  happen in one synchronous step: concurrent callers that both saw "1 left" would overspend. */
  async function reserveBudget(): Promise<void> {
    if (!budget) return;
    while (!budget.canSpend(1, priority)) {
      const wait = budget.msUntilRoom(priority);
      if (opts.onBudgetExhausted === 'throw' || wait > (opts.maxBudgetWaitMs ?? 60_000)) {
        throw new RateBudgetExhaustedError(budget.resetAt, budget.remaining);
      }
      stats.budgetWaits += 1;
      observer?.rateLimitWait?.({ reason: 'budget', ms: wait });
      // A little past the reset so the server has rolled its window too.
      await upstreamWait(budgetSleep(wait + 50));
    }
    budget.begin();
  }

  async function request<T>(spec: RequestSpec): Promise<HttpResult<T>> {
    stats.calls += 1;
    const path = pathOf(spec.url);
    const useAuth = spec.auth ?? opts.token !== undefined;
    let token: string | undefined;
    let authRefreshed = false;
    let forceNext = false;
    let throttled = 0; // 429 answers so far: flow control, bounded by time, not by maxAttempts
    let throttledMs = 0;

    const fail = (outcome: AttemptOutcome, parsed: { value: unknown; text: string }, reason: string): never => {
      const known = [...secrets(), token];
      // A network failure has no body: its message is the only text there is.
      const raw = upstreamMessage(outcome.kind === 'network' ? outcome.message : parsed.value);
      const wait = outcome.kind === 'response' ? retryAfterMs(outcome.headers, (opts.retry?.now ?? Date.now)()) : undefined;
      throw new UpstreamError({
        service: opts.service,
        method: spec.method,
        path,
        status: outcome.status,
        code: outcome.kind === 'malformed' ? 'MALFORMED_RESPONSE' : outcome.code,
        upstreamMessage: raw === undefined ? undefined : scrub(raw, known),
        reason,
        attempts: outcome.attempt,
        // Only a refused request's own error body; a malformed 2xx is an answer, not an error body.
        body: outcome.kind === 'response' ? safeErrorBody(parsed.value, parsed.text, known) : undefined,
        retryAfterSec: wait === undefined ? undefined : Math.ceil(wait / 1000),
      });
    };

    for (let attempt = 1; ; attempt++) {
      await reserveBudget();
      if (useAuth) {
        try {
          if (!opts.token) throw new Error(`${opts.service}: request needs auth but no token provider is set`);
          token = forceNext ? await opts.token.getToken({ force: true, stale: token }) : await opts.token.getToken();
        } catch (err) {
          budget?.release();
          throw err;
        }
        forceNext = false;
      }
      stats.attempts += 1;
      let outcome: AttemptOutcome;
      let parsed: { ok: boolean; value: unknown; text: string } = { ok: true, value: undefined, text: '' };
      try {
        const res: AxiosResponse<unknown> = await client.request({
          method: spec.method,
          url: spec.url,
          baseURL: opts.baseURL,
          params: spec.params,
          data: spec.data,
          timeout: opts.timeoutMs ?? 30_000,
          headers: {
            Accept: 'application/json',
            ...(spec.data !== undefined && !spec.headers?.['Content-Type'] ? { 'Content-Type': 'application/json' } : {}),
            ...opts.headers,
            ...spec.headers,
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          responseType: 'text',
          transformResponse: [(d: unknown) => d],
          validateStatus: () => true,
          maxRedirects: 0,
          ...(isIdempotent(spec.method, spec.idempotent) ? {} : { httpAgent: freshHttp, httpsAgent: freshHttps }),
        });
        const headers = flatHeaders(res.headers);
        budget?.finish(headers, res.status);
        observer?.response?.({ method: spec.method, path, status: res.status });
        parsed = { ...parseBody(res.data, headers['content-type'] ?? ''), text: typeof res.data === 'string' ? res.data : '' };
        if (res.status >= 200 && res.status < 300) {
          if (parsed.ok) return { status: res.status, headers, data: parsed.value as T, attempts: attempt };
          outcome = { kind: 'malformed', method: spec.method, status: res.status, headers, attempt, idempotent: spec.idempotent };
        } else if (res.status >= 300 && res.status < 400) {
          return { status: res.status, headers, data: parsed.value as T, attempts: attempt };
        } else {
          outcome = {
            kind: 'response',
            method: spec.method,
            status: res.status,
            headers,
            attempt,
            idempotent: spec.idempotent,
            authRefreshed,
          };
        }
      } catch (err) {
        const e = err as { code?: string; message?: string };
        observer?.response?.({ method: spec.method, path, code: e.code ?? 'network' });
        outcome = { kind: 'network', method: spec.method, code: e.code, message: e.message, attempt, idempotent: spec.idempotent };
        // A reset, timeout or lost answer may come after the server counted the call: keep it spent,
        // or the budget over-estimates the window and a later call draws a real 429.
        if (mayHaveReachedServer(outcome)) budget?.abandon();
        else budget?.release();
      }
      outcome.throttled = throttled;
      outcome.throttledMs = throttledMs;
      const decision = classify(outcome, opts.retry);
      opts.onAttempt?.({ method: spec.method, path, attempt, status: outcome.status, code: outcome.code, decision });
      if (!decision.retry) return fail(outcome, parsed, decision.reason);
      stats.retries += 1;
      if (outcome.status === 429) {
        stats.throttled += 1;
        observer?.rateLimitWait?.({ reason: '429', ms: decision.waitMs });
        throttled += 1;
        throttledMs += throttleCharge(decision.waitMs);
      }
      if (decision.refreshAuth) {
        stats.refreshes += 1;
        authRefreshed = true;
        forceNext = true;
      }
      if (decision.waitMs > 0) await upstreamWait(sleep(decision.waitMs));
    }
  }

  return { request, budget, stats };
}
