import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';

/** The contract's one error shape: `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  res.status(status).json({ error: details === undefined ? { code, message } : { code, message, details } });
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    sendError(res, err.status, err.code, err.message, err.details);
    return;
  }
  if (err instanceof ZodError) {
    sendError(
      res,
      400,
      'invalid_request',
      'The request is not valid',
      err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
    return;
  }
  const e = err as { type?: string };
  if (e.type === 'entity.parse.failed') return sendError(res, 400, 'invalid_request', 'The request body is not valid JSON');
  if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'The request body is too large');
  sendError(res, 500, 'internal_error', 'Internal error');
};
