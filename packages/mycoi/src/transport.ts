import { createExecutor, type Executor, type ExecutorOptions, type RequestSpec, UpstreamError } from '@mycoi/http';
import { MycoiApiError } from './errors';

export type TransportOptions = Omit<ExecutorOptions, 'service' | 'axios'>;

/**
 * The shared executor (@mycoi/http: retries, single-flight token, rate budget, typed errors) whose
 * failures come out as MycoiApiError: apiCode and details are read from the error body that
 * UpstreamError carries (e.g. the existing record of a 409).
 */
export function createTransport(opts: TransportOptions): Executor {
  const executor = createExecutor({ ...opts, service: 'mycoi' });
  return {
    ...executor,
    request: <T>(spec: RequestSpec) =>
      executor.request<T>(spec).catch((e: unknown) => {
        // A MycoiApiError already (from the token request's own transport) is kept as it is.
        throw e instanceof UpstreamError && !(e instanceof MycoiApiError) ? new MycoiApiError(e) : e;
      }),
  };
}
