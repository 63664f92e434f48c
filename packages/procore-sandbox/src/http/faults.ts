import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

export const faultsSchema = z.object({
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Share (0..1) of calls answered with one of errorStatuses (default 500/502/503) before doing anything. */
  errorRate: z.number().min(0).max(1).optional(),
  errorStatuses: z.array(z.number().int().min(500).max(599)).min(1).optional(),
  /** Every REST call answers 429 with Retry-After: 1 while true. */
  rateLimitStorm: z.boolean().optional(),
  /** Share of calls answered 429 (Retry-After: 1) without consuming budget. */
  rateLimitRate: z.number().min(0).max(1).optional(),
  /** Share of calls whose socket is destroyed before the request is processed (never reached Procore). */
  resetRate: z.number().min(0).max(1).optional(),
  /** Share of calls that never get an answer (the client must time out). */
  timeoutRate: z.number().min(0).max(1).optional(),
  /** Share of calls answered 200 with a truncated JSON body. */
  malformedRate: z.number().min(0).max(1).optional(),
  /** Share of calls that ARE processed but whose answer is lost (socket destroyed after the write). */
  lostResponseRate: z.number().min(0).max(1).optional(),
  /** Also inject faults on /oauth/* (default: only /rest/*). */
  includeOAuth: z.boolean().optional(),
});
export type Faults = z.infer<typeof faultsSchema>;

/** Run-time switchable faults (sb.faults.set / PUT /_sandbox/faults). */
export class FaultInjector {
  current: Faults = {};
  /** Responses we deliberately never finish; ended on close so the server can shut down. */
  hanging = new Set<Response>();

  constructor(
    private baseLatencyMs: number,
    private onStorm: (on: boolean) => void,
  ) {}

  set(f: Faults): void {
    this.current = faultsSchema.parse(f);
    this.onStorm(this.current.rateLimitStorm ?? false);
  }
  clear(): void {
    this.current = {};
    this.onStorm(false);
  }

  middleware() {
    return async (req: Request, res: Response, next: NextFunction) => {
      const f = this.current;
      const isRest = req.path.startsWith('/rest/');
      const isOAuth = req.path.startsWith('/oauth/') && req.path !== '/oauth/authorize';
      if (!isRest && !(isOAuth && f.includeOAuth)) return next();
      const latency = this.baseLatencyMs + (f.latencyMs ?? 0);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const roll = (rate?: number) => rate !== undefined && rate > 0 && Math.random() < rate;
      if (roll(f.resetRate)) {
        req.socket.destroy();
        return;
      }
      if (roll(f.timeoutRate)) {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (roll(f.errorRate)) {
        const statuses = f.errorStatuses ?? [500, 502, 503];
        const status = statuses[Math.floor(Math.random() * statuses.length)]!;
        if (status === 503) res.setHeader('Retry-After', '1');
        res.status(status).json({ error: { code: 'server_error', message: `Injected fault ${status}` } });
        return;
      }
      if (isRest && roll(f.rateLimitRate)) {
        res.setHeader('Retry-After', '1');
        res.status(429).json({ error: { code: 'rate_limited', message: 'Injected 429' } });
        return;
      }
      if (roll(f.malformedRate)) {
        res.status(200).type('application/json').send('{"id": 1, "name": "trunc');
        return;
      }
      if (roll(f.lostResponseRate)) {
        // Let the handler apply the request, then drop the connection instead of answering.
        const end = res.end.bind(res);
        res.end = ((..._args: unknown[]) => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
        void end;
      }
      next();
    };
  }

  endHanging(): void {
    for (const r of this.hanging) r.socket?.destroy();
    this.hanging.clear();
  }
}
