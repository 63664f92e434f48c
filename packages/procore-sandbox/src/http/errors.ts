import type { NextFunction, Request, Response } from 'express';

/**
 * Procore documents two error bodies ({"errors": …} and {"error": {code, message, details}}); the
 * sandbox always answers REST errors with the second so clients have one shape to read. OAuth
 * endpoints answer with RFC 6749 bodies instead (see oauth/routes.ts).
 */
export class ProcoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new ProcoreError(400, 'bad_request', message, details);
export const unauthorized = (message = 'The access token is invalid') => new ProcoreError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ProcoreError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new ProcoreError(404, 'not_found', `${what} not found`);
export const unprocessable = (message: string, details?: unknown) => new ProcoreError(422, 'unprocessable_entity', message, details);

export function sendError(res: Response, e: ProcoreError): void {
  const body: { error: { code: string; message: string; details?: unknown } } = { error: { code: e.code, message: e.message } };
  if (e.details !== undefined) body.error.details = e.details;
  res.status(e.status).json(body);
}

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  if (err instanceof ProcoreError) return sendError(res, err);
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return sendError(res, badRequest('Malformed JSON body'));
  if (e?.type === 'entity.too.large') return sendError(res, new ProcoreError(413, 'payload_too_large', 'Request body too large'));
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendError(res, new ProcoreError(e.status, 'bad_request', e.message ?? 'Bad request'));
  }
  sendError(res, new ProcoreError(500, 'internal_error', 'Internal server error'));
}
