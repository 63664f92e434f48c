import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { UnsafeTextError } from '@mycoi/db';

/** The one error shape on the wire: `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in first') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'Not allowed') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Not found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
};

/** Maps every thrown error to the wire shape; never leaks internals (stack, SQL, upstream tokens). */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json(errorBody(err.code, err.message, err.details));
    return;
  }
  if (err instanceof ZodError) {
    res.status(400).json(
      errorBody(
        'invalid_input',
        'The request is not valid',
        err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      ),
    );
    return;
  }
  if (err instanceof UnsafeTextError) {
    // the database's second line: input the edge check did not see (e.g. built from a path segment)
    res
      .status(400)
      .json(errorBody('invalid_characters', 'The request holds characters that cannot be stored (NUL or an unpaired surrogate)'));
    return;
  }
  if (err instanceof URIError) {
    // a local encodeURIComponent on client input: bad input, never an upstream outage
    res.status(400).json(errorBody('invalid_characters', 'The request holds characters that cannot be sent on (an unpaired surrogate)'));
    return;
  }
  // body-parser errors carry `type` and `status`
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') {
    res.status(400).json(errorBody('malformed_json', 'The request body is not valid JSON'));
    return;
  }
  if (e.type === 'entity.too.large') {
    res.status(413).json(errorBody('payload_too_large', 'The request body is too large'));
    return;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json(errorBody('bad_request', e.message ?? 'Bad request'));
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json(errorBody('internal', 'Something went wrong on our side; it has been logged'));
};
