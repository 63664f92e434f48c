import type { ClassifyOptions } from '@mycoi/http';
import { MycoiApiError } from './errors';
import { type MycoiUser, userTokenSchema } from './schemas';
import { createTransport } from './transport';

export type LoginResult =
  | { ok: true; token: string; expiresInSeconds: number; user: MycoiUser }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'locked'; lockedUntil: string | null; retryAfterSec: number | null };

export interface LoginOptions {
  baseURL: string;
  email: string;
  password: string;
  timeoutMs?: number;
  retry?: ClassifyOptions;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * myCOI user login. A wrong password and a locked user are answers, not errors; anything else
 * (network, 5xx, a bad body) throws. The call is never retried after the server saw it: each
 * repeat of a failed password would count towards the lockout.
 */
export async function loginMycoiUser(o: LoginOptions): Promise<LoginResult> {
  const http = createTransport({
    baseURL: o.baseURL,
    timeoutMs: o.timeoutMs,
    sleep: o.sleep,
    secrets: () => [o.password],
    // One attempt only: the shared classify would repeat a 401 once (token refresh), which here
    // would double-count a wrong password.
    retry: { ...o.retry, maxAttempts: 1 },
  });
  try {
    const r = await http.request({ method: 'POST', url: '/v1/auth/login', data: { email: o.email, password: o.password }, auth: false });
    const t = userTokenSchema.parse(r.data);
    return { ok: true, token: t.access_token, expiresInSeconds: t.expires_in, user: t.user };
  } catch (e) {
    if (e instanceof MycoiApiError && e.status === 401) return { ok: false, reason: 'invalid_credentials' };
    if (e instanceof MycoiApiError && e.status === 423) {
      const until = (e.details as { locked_until?: unknown } | undefined)?.locked_until;
      return { ok: false, reason: 'locked', lockedUntil: typeof until === 'string' ? until : null, retryAfterSec: e.retryAfterSec ?? null };
    }
    throw e;
  }
}
