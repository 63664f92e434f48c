// The transport every resource goes through: one executor (token + rate budget + retry) and the
// Procore-Company-Id header on every call. Also the generic list (Link-following async
// generator), show and batched sync helpers.
import {
  createExecutor,
  parseList,
  RateBudget,
  formatIssues,
  type Executor,
  type ExecutorOptions,
  type HttpResult,
  type InvalidRecord,
  type RequestSpec,
  type TokenProvider,
} from '@mycoi/http';
import type { z } from 'zod';
import { InvalidRecordError } from './errors';
import { resolveHosts, type HostsInput } from './hosts';
import { pageOf, parseLinkHeader } from './pagination';

export interface CoreOptions {
  hosts: HostsInput;
  token: TokenProvider;
  /** The budget of this token. Share one RateBudget between clients that share a token. */
  budget?: RateBudget;
  /** Executor knobs: sleep, retry (ClassifyOptions), timeoutMs, onAttempt, onBudgetExhausted… */
  http?: Partial<Omit<ExecutorOptions, 'service' | 'baseURL' | 'token' | 'budget'>>;
  /** Default per_page for lists (Procore's default is UNCONFIRMED; 100 is accepted everywhere). */
  perPage?: number;
  /** Called for every page that had records failing validation (they are also returned). */
  onInvalid?: (info: { path: string; invalid: InvalidRecord[] }) => void;
}

export interface Page<T> {
  items: T[];
  invalid: InvalidRecord[];
  page: number;
  total: number | undefined;
}

export interface Listed<T> {
  items: T[];
  invalid: InvalidRecord[];
}

export type Params = Record<string, unknown>;

export class Core {
  readonly ex: Executor;
  readonly budget: RateBudget;
  readonly apiOrigin: string;
  readonly perPage: number;

  constructor(private readonly o: CoreOptions) {
    const { apiUrl } = resolveHosts(o.hosts);
    this.apiOrigin = new URL(apiUrl).origin;
    this.budget = o.budget ?? new RateBudget();
    this.perPage = o.perPage ?? 100;
    this.ex = createExecutor({ ...o.http, service: 'procore', baseURL: apiUrl, token: o.token, budget: this.budget });
  }

  request<T = unknown>(companyId: number | undefined, spec: RequestSpec) {
    const headers = { ...spec.headers, ...(companyId !== undefined ? { 'Procore-Company-Id': String(companyId) } : {}) };
    return this.ex.request<T>({ ...spec, headers });
  }

  parseOne<S extends z.ZodType>(schema: S, path: string, raw: unknown): z.output<S> {
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    const id = raw && typeof raw === 'object' && 'id' in raw ? (raw as { id: unknown }).id : null;
    throw new InvalidRecordError(path, { id: typeof id === 'number' || typeof id === 'string' ? id : null, issues: formatIssues(r.error) });
  }

  async one<S extends z.ZodType>(companyId: number | undefined, schema: S, spec: RequestSpec): Promise<z.output<S>> {
    const res = await this.request(companyId, spec);
    return this.parseOne(schema, spec.url, res.data);
  }

  /** Pages of a v1 list, following Link rel="next". The next URL must stay on the API origin: the
   *  bearer token is never sent to a host a response header names. */
  async *pages<S extends z.ZodType>(
    companyId: number | undefined,
    schema: S,
    path: string,
    params: Params = {},
  ): AsyncGenerator<Page<z.output<S>>> {
    let url: string | undefined = path;
    let query: Params | undefined = { per_page: this.perPage, ...params };
    let pageNo = Number(query.page ?? 1);
    const seen = new Set<string>();
    while (url) {
      const res: HttpResult<unknown> = await this.request<unknown>(companyId, { method: 'GET', url, params: query });
      const { items, invalid } = parseList(schema, res.data);
      if (invalid.length) this.o.onInvalid?.({ path, invalid });
      const total = res.headers.total !== undefined && /^\d+$/.test(res.headers.total) ? Number(res.headers.total) : undefined;
      yield { items, invalid, page: pageNo, total };
      const next: string | undefined = parseLinkHeader(res.headers.link).next;
      if (!next) break;
      const abs: URL = new URL(next, this.apiOrigin);
      if (abs.origin !== this.apiOrigin) throw new Error(`Procore ${path}: refusing to follow Link to another origin (${abs.origin})`);
      if (seen.has(abs.href)) throw new Error(`Procore ${path}: pagination loop at ${abs.pathname}${abs.search}`);
      seen.add(abs.href);
      url = abs.href;
      query = undefined; // the next link carries every parameter
      pageNo = pageOf(abs.href) ?? pageNo + 1;
    }
  }

  async all<T>(gen: AsyncGenerator<Page<T>>): Promise<Listed<T>> {
    const items: T[] = [];
    const invalid: InvalidRecord[] = [];
    for await (const p of gen) {
      items.push(...p.items);
      invalid.push(...p.invalid);
    }
    return { items, invalid };
  }
}
