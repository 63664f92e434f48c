// Typed errors. They carry what an operator needs (status, upstream message, method, path, the
// upstream's JSON error body) and deliberately nothing from the request config: axios errors embed
// headers (the bearer token), so they are never rethrown or attached as `cause`.

const MAX_MESSAGE = 500;
/** Larger error bodies are not kept: they would flood logs, and no structured error is that big. */
const MAX_BODY_CHARS = 16_384;
/** Fields whose value is a credential by name; redacted even when the value is not a known secret. */
const SECRET_FIELD = /^(authorization|access_token|refresh_token|id_token|client_secret|password)$/i;

export interface UpstreamErrorInit {
  service: string;
  method: string;
  path: string;
  status?: number;
  code?: string;
  upstreamMessage?: string;
  reason?: string;
  attempts?: number;
  /** The upstream's parsed JSON error body, already made safe by `safeErrorBody`. */
  body?: unknown;
  /** The upstream's Retry-After, in seconds (e.g. on 429 or a locked account). */
  retryAfterSec?: number;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly reason: string | undefined;
  readonly attempts: number;
  readonly body: unknown;
  readonly retryAfterSec: number | undefined;

  constructor(init: UpstreamErrorInit) {
    const what = init.status ? `HTTP ${init.status}` : (init.code ?? 'network error');
    const msg = init.upstreamMessage ? `: ${init.upstreamMessage}` : '';
    super(`${init.service} ${init.method.toUpperCase()} ${init.path} failed (${what})${msg}`);
    this.service = init.service;
    this.method = init.method.toUpperCase();
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.upstreamMessage = init.upstreamMessage;
    this.reason = init.reason;
    this.attempts = init.attempts ?? 1;
    this.body = init.body;
    this.retryAfterSec = init.retryAfterSec;
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isRateLimited(): boolean {
    return this.status === 429;
  }

  toJSON() {
    const { service, method, path, status, code, upstreamMessage, reason, attempts, body, retryAfterSec } = this;
    return {
      name: this.name,
      message: this.message,
      service,
      method,
      path,
      status,
      code,
      upstreamMessage,
      reason,
      attempts,
      body,
      retryAfterSec,
    };
  }
}

/** Thrown before a call when the caller asked to stop rather than wait for the rate window. */
export class RateBudgetExhaustedError extends Error {
  override readonly name = 'RateBudgetExhaustedError';
  constructor(
    readonly resetAt: number | undefined,
    readonly remaining: number,
  ) {
    super(`rate budget exhausted (remaining ${remaining}${resetAt ? `, resets ${new Date(resetAt).toISOString()}` : ''})`);
  }
}

/** Pulls a human message out of the common error body shapes: {error:{message}}, {errors:…},
 *  {message}, or a plain string. Truncated so a huge HTML error page never floods logs. */
export function upstreamMessage(body: unknown): string | undefined {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const err = b.error;
    if (err && typeof err === 'object' && typeof (err as Record<string, unknown>).message === 'string') {
      text = (err as Record<string, string>).message;
    } else if (typeof err === 'string') text = err;
    else if (b.errors !== undefined) text = typeof b.errors === 'string' ? b.errors : JSON.stringify(b.errors);
    else if (typeof b.message === 'string') text = b.message;
    else if (typeof b.error_description === 'string') text = b.error_description;
  }
  if (!text) return undefined;
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** Removes known secret values from a string (defence in depth for messages built from bodies). */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  return out;
}

/** What of an error response may be kept on an UpstreamError: only a parsed JSON object or array
 *  (never a text/HTML page), only when the raw text is at most MAX_BODY_CHARS, with every known
 *  secret value scrubbed from keys and strings and credential-named fields redacted. */
export function safeErrorBody(parsed: unknown, rawText: string, secrets: readonly (string | undefined)[]): unknown {
  if (parsed === null || typeof parsed !== 'object' || rawText.length > MAX_BODY_CHARS) return undefined;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k, secrets), SECRET_FIELD.test(k) ? '[redacted]' : walk(x)]));
  };
  return walk(parsed);
}
