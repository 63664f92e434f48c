import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { createExecutor, type ClassifyOptions, type AttemptInfo, type Executor, type RequestSpec, type TokenProvider, UpstreamError } from '@mycoi/http';
import { MycoiApiError } from './errors';
import { errorEnvelope } from './schemas';

export interface TransportOptions {
  baseURL: string;
  token?: TokenProvider;
  timeoutMs?: number;
  retry?: ClassifyOptions;
  sleep?: (ms: number) => Promise<void>;
  secrets?: () => readonly (string | undefined)[];
  onAttempt?: (info: AttemptInfo) => void;
}

export interface Transport {
  request<T = unknown>(spec: RequestSpec): Promise<{ data: T; headers: Record<string, string>; status: number }>;
  readonly executor: Executor;
}

/**
 * The shared executor (@mycoi/http: retries, single-flight token, typed errors) plus the one thing
 * it does not keep: myCOI's structured error body. Every request carries an X-Request-Id; a response
 * interceptor keeps the last error body per request id so a failure can be rethrown as a
 * MycoiApiError with `apiCode` and `details` (e.g. the existing record of a 409).
 */
export function createTransport(opts: TransportOptions): Transport {
  const instance = axios.create();
  const errorBodies = new Map<string, { body: string; retryAfter?: string }>();
  instance.interceptors.response.use((res) => {
    const id = res.config.headers?.['X-Request-Id'];
    if (res.status >= 400 && typeof id === 'string') {
      errorBodies.set(id, { body: typeof res.data === 'string' ? res.data : '', retryAfter: res.headers['retry-after'] as string | undefined });
    }
    return res;
  });
  const executor = createExecutor({
    service: 'mycoi', baseURL: opts.baseURL, axios: instance, token: opts.token, timeoutMs: opts.timeoutMs ?? 30_000,
    retry: opts.retry, sleep: opts.sleep, secrets: opts.secrets, onAttempt: opts.onAttempt,
  });
  return {
    executor,
    async request<T>(spec: RequestSpec) {
      const requestId = randomUUID();
      try {
        const r = await executor.request<T>({ ...spec, headers: { ...spec.headers, 'X-Request-Id': requestId } });
        return { data: r.data, headers: r.headers, status: r.status };
      } catch (e) {
        // A MycoiApiError here comes from the token request (its own transport): keep it as is.
        if (!(e instanceof UpstreamError) || e instanceof MycoiApiError) throw e;
        const saved = errorBodies.get(requestId);
        let apiCode: string | undefined, details: unknown;
        if (saved && e.status !== undefined && e.status >= 400) {
          try {
            const env = errorEnvelope.safeParse(JSON.parse(saved.body));
            if (env.success) { apiCode = env.data.error.code; details = env.data.error.details; }
          } catch { /* not JSON: keep the plain UpstreamError fields */ }
        }
        const retryAfter = saved?.retryAfter && /^\d+$/.test(saved.retryAfter) ? Number(saved.retryAfter) : undefined;
        throw new MycoiApiError({
          service: e.service, method: e.method, path: e.path, status: e.status, code: e.code,
          upstreamMessage: e.upstreamMessage, reason: e.reason, attempts: e.attempts,
        }, apiCode, details, retryAfter);
      } finally {
        errorBodies.delete(requestId);
      }
    },
  };
}
