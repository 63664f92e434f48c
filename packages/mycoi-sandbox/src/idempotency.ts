import type { Request, Response } from 'express';
import { ApiError } from './errors';

interface Entry {
  fingerprint: string;
  status: number;
  body: unknown;
  at: number;
}

const TTL_MS = 24 * 3600 * 1000;

/**
 * `Idempotency-Key` on creates: the first outcome (success or a 4xx) is stored per account, method,
 * path and key and replayed for a repeat with the same body; the same key with another body is a
 * 422. 5xx outcomes are not stored, so a retry after a server failure runs again.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  run(req: Request, res: Response, accountId: string, produce: () => { status: number; body: unknown }): void {
    const raw = req.headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key === undefined) {
      const out = produce();
      res.status(out.status).json(out.body);
      return;
    }
    if (key.length < 1 || key.length > 255) throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1..255 characters');
    const id = `${accountId}\n${req.method}\n${req.path}\n${key}`;
    const fingerprint = JSON.stringify(req.body ?? null);
    const t = this.now();
    const hit = this.entries.get(id);
    if (hit && t - hit.at < TTL_MS) {
      if (hit.fingerprint !== fingerprint)
        throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body');
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(hit.status).json(hit.body);
      return;
    }
    let out: { status: number; body: unknown };
    try {
      out = produce();
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) {
        const body = {
          error: e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details },
        };
        this.entries.set(id, { fingerprint, status: e.status, body, at: t });
      }
      throw e;
    }
    this.entries.set(id, { fingerprint, status: out.status, body: out.body, at: t });
    res.status(out.status).json(out.body);
  }
}
