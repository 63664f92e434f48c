import type {
  CreateRequest, InsuranceSetOption, LinkInfo, LinkRequest, PanelConfig, PanelRecordState, PanelSession, PanelStatus, RefreshResult, SearchCandidate,
} from '@mycoi/contracts';

/** An API error in the one wire shape, kept whole so the UI can say what to do next. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

// The session token lives in memory only (see apps/api/src/panel/sessions.ts for why); it is
// gone when Procore destroys the panel, and never reaches storage a third party could read.
let token: string | null = null;
let onExpired: (() => void) | null = null;
export const setToken = (t: string | null) => { token = t; };
export const hasToken = () => token !== null;
export const onSessionExpired = (fn: (() => void) | null) => { onExpired = fn; };

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach myCOI. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    const e = new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? `Request failed (${res.status})`);
    // procore_sign_in_required: Procore refused to renew the user's token; the server ended the session.
    if (res.status === 401 && (e.code === 'session_expired' || e.code === 'procore_sign_in_required') && token) {
      token = null;
      onExpired?.();
    }
    throw e;
  }
  return data as T;
}

const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

export const api = {
  config: () => call<PanelConfig>('GET', '/api/panel/config'),
  status: (companyId: string) => call<PanelStatus>('GET', `/api/panel/status?${q({ companyId })}`),
  signIn: (body: { grant: string; companyId: string; projectId: string; email: string; password: string }) => call<PanelSession>('POST', '/api/panel/session', body),
  signOut: () => call<void>('DELETE', '/api/panel/session'),
  record: (view: 'commitment' | 'vendor', id: string, projectId: string) =>
    call<PanelRecordState>('GET', `/api/panel/${view === 'commitment' ? 'commitments' : 'vendors'}/${encodeURIComponent(id)}?${q({ projectId })}`),
  insuranceSets: () => call<{ data: InsuranceSetOption[] }>('GET', '/api/panel/insurance-sets'),
  search: (kind: LinkRequest['kind'], text: string) => call<{ data: SearchCandidate[] }>('GET', `/api/panel/search?${q({ kind, q: text })}`),
  create: (body: CreateRequest, key: string) => call<{ link: LinkInfo }>('POST', '/api/panel/create', body, { 'Idempotency-Key': key }),
  link: (body: LinkRequest, key: string) => call<{ link: LinkInfo }>('POST', '/api/panel/link', body, { 'Idempotency-Key': key }),
  refresh: (body: { kind: 'vendor' | 'commitment'; projectId: string; procoreId: string }) => call<RefreshResult>('POST', '/api/panel/refresh', body),
};

/** One key per user intent: kept across retries and double clicks, replaced after success. */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `panel-${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
}
