import { randomUUID } from 'node:crypto';
import {
  CachedTokenProvider,
  type AttemptInfo,
  type ClassifyOptions,
  type ExecutorObserver,
  formatIssues,
  type InvalidRecord,
  parseList,
  RateBudget,
  staticToken,
  type TokenProvider,
} from '@mycoi/http';
import type { z } from 'zod';
import { MycoiApiError, MycoiDuplicateError, MycoiInvalidRecordError } from './errors';
import { compliancePages, type FeedOptions, type FeedPage } from './feed';
import {
  type Assignment,
  type AssignmentCreate,
  assignmentSchema,
  clientTokenSchema,
  type ComplianceRecord,
  complianceRecordSchema,
  type Division,
  type DivisionCreate,
  divisionSchema,
  feedEnvelope,
  type InsuranceSet,
  insuranceSetSchema,
  type Me,
  meSchema,
  pageEnvelope,
  type Vendor,
  type VendorCreate,
  vendorSchema,
} from './schemas';
import { createTransport } from './transport';

export interface MycoiClientOptions {
  baseURL: string;
  /** Service access for one myCOI account (OAuth client credentials) … */
  clientId?: string;
  clientSecret?: string;
  /** … or a user token from loginMycoiUser (not renewable: a 401 fails the call). */
  userToken?: string;
  timeoutMs?: number;
  retry?: ClassifyOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Renew the service token this long before it expires; default 5 minutes. */
  tokenMarginMs?: number;
  /** Called for every record of a list page that does not match the contract (it is skipped). */
  onInvalid?: (path: string, invalid: InvalidRecord) => void;
  onAttempt?: (info: AttemptInfo) => void;
  /** Sees every attempt and rate-limit wait (metrics). */
  observer?: ExecutorObserver;
  /** When the budget is spent: wait for the window to reset (default) or throw RateBudgetExhaustedError. */
  onBudgetExhausted?: 'wait' | 'throw';
}

/** myCOI reports its window in X-RateLimit-* (Procore: X-Rate-Limit-*). */
const MYCOI_RATE_HEADERS = { limit: 'X-RateLimit-Limit', remaining: 'X-RateLimit-Remaining', reset: 'X-RateLimit-Reset' };

export interface Page<T> {
  items: T[];
  invalid: InvalidRecord[];
  nextCursor: string | null;
}
export interface ListQuery {
  cursor?: string;
  limit?: number;
}
export interface WriteOptions {
  /** Defaults to a fresh UUID per call; the same key is reused on every retry of the call. */ idempotencyKey?: string;
}

export type MycoiClient = ReturnType<typeof createMycoiClient>;

export function createMycoiClient(opts: MycoiClientOptions) {
  let token: TokenProvider;
  let tokenProvider: CachedTokenProvider | undefined;
  if (opts.userToken) token = staticToken(opts.userToken);
  else {
    if (!opts.clientId || !opts.clientSecret) throw new Error('myCOI client needs clientId and clientSecret, or userToken');
    // Its own transport: the token endpoint is outside this token's rate window, so its answers
    // must not feed the budget.
    const tokenTransport = createTransport({
      baseURL: opts.baseURL,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      sleep: opts.sleep,
      secrets: () => [opts.clientSecret],
    });
    tokenProvider = new CachedTokenProvider({
      marginMs: opts.tokenMarginMs,
      fetch: async () => {
        const body = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: opts.clientId!,
          client_secret: opts.clientSecret!,
        }).toString();
        // Issuing a token has no side effect worth protecting, so it may be retried like a read.
        const r = await tokenTransport.request({
          method: 'POST',
          url: '/oauth/token',
          data: body,
          idempotent: true,
          auth: false,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        const t = clientTokenSchema.parse(r.data);
        return { accessToken: t.access_token, expiresInSeconds: t.expires_in };
      },
    });
    token = tokenProvider;
  }
  // myCOI limits per token and each client holds its own token, so each client has its own budget.
  const budget = new RateBudget({ headers: MYCOI_RATE_HEADERS });
  const http = createTransport({
    baseURL: opts.baseURL,
    token,
    timeoutMs: opts.timeoutMs,
    retry: opts.retry,
    sleep: opts.sleep,
    onAttempt: opts.onAttempt,
    observer: opts.observer,
    budget,
    onBudgetExhausted: opts.onBudgetExhausted,
    secrets: () => [opts.clientSecret, opts.userToken],
    // Wait for a spent window as long as for a 429's Retry-After: the budget only saves the 429.
    maxBudgetWaitMs: opts.retry?.maxRetryAfterMs ?? 120_000,
  });

  function one<S extends z.ZodType>(schema: S, path: string, raw: unknown): z.output<S> {
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    throw new MycoiInvalidRecordError(path, id, formatIssues(r.error));
  }

  async function get<S extends z.ZodType>(schema: S, path: string): Promise<z.output<S>> {
    const r = await http.request({ method: 'GET', url: path });
    return one(schema, path, r.data);
  }

  /** One page: a broken envelope throws; a bad record in it is skipped and reported. */
  async function page<E extends z.ZodType<{ data: unknown[] }>, S extends z.ZodType>(
    envelope: E,
    schema: S,
    path: string,
    params: Record<string, unknown>,
  ) {
    const r = await http.request({ method: 'GET', url: path, params: clean(params) });
    const env = envelope.safeParse(r.data);
    if (!env.success) throw new MycoiInvalidRecordError(path, null, formatIssues(env.error));
    const parsed = parseList(schema, env.data.data);
    for (const bad of parsed.invalid) opts.onInvalid?.(path, bad);
    return { ...parsed, envelope: env.data };
  }

  async function list<S extends z.ZodType>(schema: S, path: string, params: Record<string, unknown>): Promise<Page<z.output<S>>> {
    const p = await page(pageEnvelope, schema, path, params);
    return { items: p.items, invalid: p.invalid, nextCursor: p.envelope.next_cursor };
  }

  async function compliancePage(q: FeedOptions): Promise<FeedPage> {
    // A cursor already encodes where the walk stands: updated_since would only fight it.
    const p = await page(feedEnvelope, complianceRecordSchema, '/v1/compliance', {
      cursor: q.cursor,
      updated_since: q.cursor ? undefined : q.updatedSince,
      level: q.level,
      limit: q.limit,
    });
    return { records: p.items, invalid: p.invalid, cursor: p.envelope.next_cursor, hasMore: p.envelope.has_more };
  }

  /** Creates carry an Idempotency-Key, so the executor may retry them after a 5xx, reset or timeout. */
  async function create<S extends z.ZodType>(schema: S, path: string, body: object, w: WriteOptions = {}): Promise<z.output<S>> {
    try {
      const r = await http.request({
        method: 'POST',
        url: path,
        data: body,
        idempotent: true,
        headers: { 'Idempotency-Key': w.idempotencyKey ?? randomUUID() },
      });
      return one(schema, path, r.data);
    } catch (e) {
      if (e instanceof MycoiApiError && e.status === 409 && e.apiCode === 'duplicate_external_id') {
        const existing = schema.safeParse((e.details as { existing?: unknown } | undefined)?.existing);
        if (existing.success) throw new MycoiDuplicateError(e, existing.data);
      }
      throw e;
    }
  }

  const enc = encodeURIComponent;
  return {
    /** Who the token belongs to. */
    me: (): Promise<Me> => get(meSchema, '/v1/me'),

    listDivisions: (q: ListQuery & { q?: string; externalId?: string } = {}): Promise<Page<Division>> =>
      list(divisionSchema, '/v1/divisions', { q: q.q, external_id: q.externalId, cursor: q.cursor, limit: q.limit }),
    getDivision: (id: string): Promise<Division> => get(divisionSchema, `/v1/divisions/${enc(id)}`),
    createDivision: (input: DivisionCreate, w?: WriteOptions): Promise<Division> => create(divisionSchema, '/v1/divisions', input, w),

    listVendors: (q: ListQuery & { q?: string; externalId?: string; taxId?: string } = {}): Promise<Page<Vendor>> =>
      list(vendorSchema, '/v1/vendors', { q: q.q, external_id: q.externalId, tax_id: q.taxId, cursor: q.cursor, limit: q.limit }),
    getVendor: (id: string): Promise<Vendor> => get(vendorSchema, `/v1/vendors/${enc(id)}`),
    createVendor: (input: VendorCreate, w?: WriteOptions): Promise<Vendor> => create(vendorSchema, '/v1/vendors', input, w),

    listInsuranceSets: (q: ListQuery & { q?: string } = {}): Promise<Page<InsuranceSet>> =>
      list(insuranceSetSchema, '/v1/insurance-sets', { q: q.q, cursor: q.cursor, limit: q.limit }),
    getInsuranceSet: (id: string): Promise<InsuranceSet> => get(insuranceSetSchema, `/v1/insurance-sets/${enc(id)}`),

    listAssignments: (
      q: ListQuery & { vendorId?: string; divisionId?: string; externalId?: string; contractId?: string } = {},
    ): Promise<Page<Assignment>> =>
      list(assignmentSchema, '/v1/assignments', {
        vendor_id: q.vendorId,
        division_id: q.divisionId,
        external_id: q.externalId,
        contract_id: q.contractId,
        cursor: q.cursor,
        limit: q.limit,
      }),
    getAssignment: (id: string): Promise<Assignment> => get(assignmentSchema, `/v1/assignments/${enc(id)}`),
    createAssignment: (input: AssignmentCreate, w?: WriteOptions): Promise<Assignment> =>
      create(assignmentSchema, '/v1/assignments', input, w),

    /** One page of the compliance feed; bad records are in `invalid` (and reported), never thrown. */
    listCompliance: (q: FeedOptions = {}): Promise<FeedPage> => compliancePage(q),
    /** Pages of the feed until it is drained; checkpoint `page.cursor` to resume later. */
    compliancePages: (q: FeedOptions = {}): AsyncGenerator<FeedPage> => compliancePages(compliancePage, q),
    getVendorCompliance: (vendorId: string): Promise<ComplianceRecord> =>
      get(complianceRecordSchema, `/v1/compliance/vendors/${enc(vendorId)}`),
    getAssignmentCompliance: (assignmentId: string): Promise<ComplianceRecord> =>
      get(complianceRecordSchema, `/v1/compliance/assignments/${enc(assignmentId)}`),

    /** The rate budget of this client's token: `budget.canSpend(n)` before starting a run. */
    budget,
    /** May the caller spend `n` more calls in the current window? */
    canSpend: (n: number) => budget.canSpend(n),
    /** Calls, attempts, retries, token refreshes so far. */
    get stats() {
      return { ...http.stats, tokenFetches: tokenProvider?.fetches ?? 0 };
    },
  };
}

function clean(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
