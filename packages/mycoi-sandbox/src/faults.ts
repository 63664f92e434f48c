import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendError } from './errors';
import { createRng } from './rng';

export interface FaultConfig {
  /** Extra latency per call, ms. */
  latencyMs?: number;
  /** Share (0..1) of calls answered with a 5xx BEFORE anything is applied. */
  errorRate?: number;
  /** Statuses used by errorRate; default [500, 502, 503]. */
  errorStatuses?: number[];
  /** true: every call answers 429; a number: the next N calls answer 429. */
  rateLimitStorm?: boolean | number;
  /** Retry-After (seconds) sent during a storm; default 1. */
  retryAfterSec?: number;
  /** Share of calls that are processed, then the connection is destroyed (the answer is lost). */
  resetRate?: number;
  /** Share of calls that are processed and never answered (the client times out). */
  timeoutRate?: number;
  /** Share of calls that are processed, then answered with a truncated JSON body. */
  malformedRate?: number;
  /** PRNG seed, so a fault sequence can be reproduced. */
  seed?: number;
}

export type FaultKind = 'error' | 'storm' | 'reset' | 'timeout' | 'malformed';

export class Faults {
  private config: FaultConfig = {};
  private rng = createRng(1);
  private stormLeft = 0;
  readonly held = new Set<Response>();

  constructor(private readonly baseLatencyMs = 0) {}

  set(config: FaultConfig): void {
    this.config = { ...config };
    this.rng = createRng(config.seed ?? 1);
    this.stormLeft = typeof config.rateLimitStorm === 'number' ? config.rateLimitStorm : 0;
  }

  clear(): void {
    this.set({});
  }

  current(): FaultConfig {
    return { ...this.config };
  }

  private pick(): FaultKind | null {
    const c = this.config;
    if (c.rateLimitStorm === true) return 'storm';
    if (this.stormLeft > 0) {
      this.stormLeft -= 1;
      return 'storm';
    }
    const r = this.rng();
    let edge = 0;
    for (const [kind, rate] of [
      ['error', c.errorRate],
      ['reset', c.resetRate],
      ['timeout', c.timeoutRate],
      ['malformed', c.malformedRate],
    ] as const) {
      edge += rate ?? 0;
      if (r < edge) return kind;
    }
    return null;
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const kind = this.pick();
      const latency = this.baseLatencyMs + (this.config.latencyMs ?? 0);
      res.locals.fault = kind;
      const go = () => {
        if (kind === 'storm') {
          res.setHeader('Retry-After', String(this.config.retryAfterSec ?? 1));
          return sendError(res, 429, 'rate_limited', 'Too many requests');
        }
        if (kind === 'error') {
          const statuses = this.config.errorStatuses?.length ? this.config.errorStatuses : [500, 502, 503];
          const status = statuses[Math.floor(this.rng() * statuses.length)] ?? 500;
          return sendError(res, status, status === 503 ? 'service_unavailable' : 'internal_error', 'Injected failure');
        }
        if (kind === 'reset' || kind === 'timeout' || kind === 'malformed') this.afterProcessing(kind, req, res);
        next();
      };
      if (latency > 0) setTimeout(go, latency);
      else go();
    };
  }

  /** The handler runs (writes are applied); only the answer is damaged. */
  private afterProcessing(kind: 'reset' | 'timeout' | 'malformed', req: Request, res: Response): void {
    res.json = (body: unknown) => {
      if (kind === 'reset') {
        req.socket.destroy();
        return res;
      }
      if (kind === 'timeout') {
        this.held.add(res);
        return res;
      }
      const text = JSON.stringify(body);
      res.type('application/json').send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return res;
    };
  }
}
