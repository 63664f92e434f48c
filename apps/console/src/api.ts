import { ApiError, type ApiError as ApiErrorBody } from '@mycoi/contracts';
import type { z } from 'zod';

/** An error in the API's one wire shape `{ error: { code, message, details } }`, or a network failure. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Calls the API on the console's own origin (sessions are httpOnly cookies, so no token ever
 * reaches this code) and parses the answer with the shared zod contract: a response that does not
 * match the contract is reported as an error rather than rendered half-right.
 */
export async function api<T>(method: Method, path: string, schema: z.ZodType<T> | null, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'network', 'The service cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiFailure(res.status, 'bad_response', `Unexpected response from the service (HTTP ${res.status})`);
    }
  }
  if (!res.ok) {
    const parsed = ApiError.safeParse(json);
    if (parsed.success) {
      const e: ApiErrorBody['error'] = parsed.data.error;
      throw new ApiFailure(res.status, e.code, e.message, e.details);
    }
    throw new ApiFailure(res.status, 'http_error', `The service answered HTTP ${res.status}`);
  }
  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiFailure(res.status, 'bad_response', 'The service answered in an unexpected shape', parsed.error.issues.slice(0, 5));
  }
  return parsed.data;
}

export function asFailure(err: unknown): ApiFailure {
  return err instanceof ApiFailure ? err : new ApiFailure(0, 'client_error', err instanceof Error ? err.message : String(err));
}
