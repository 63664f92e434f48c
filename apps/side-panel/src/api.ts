import type {
  CreateRequest,
  InsuranceSetOption,
  LinkInfo,
  LinkRequest,
  PanelConfig,
  PanelRecordState,
  PanelSession,
  PanelStatus,
  RefreshResult,
  SearchCandidate,
} from '@mycoi/contracts';

/** An API error in the one wire shape, kept whole so the UI can say what to do next. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The session token lives in memory and in storage of this iframe partitioned by the top-level
// site (Procore), never in a cookie the server reads: the panel is a third-party iframe, where
// browsers block or partition cookies and storage. First choice is sessionStorage (partitioned in
// Chromium, Firefox and Safari; gone with the browser session). Chromium with third-party cookies
// blocked denies an iframe's DOM storage altogether but still allows a CHIPS `Partitioned` cookie,
// so that is the fallback: a session cookie (no expiry) only this panel inside Procore can see,
// used as storage by this code — the API authenticates by the Authorization header alone.
// The server still enforces idle expiry and revocation on every call.
let token: string | null = null;
let onExpired: (() => void) | null = null;
const STORE_KEY = 'mycoi-panel-session';

function sessionStore(): Storage | null {
  try {
    const s = window.sessionStorage;
    s.getItem(STORE_KEY); // throws SecurityError when third-party storage is blocked
    return s;
  } catch {
    return null;
  }
}

const cookieName = (companyId: string) => `${STORE_KEY}-${companyId}`;
function writeCookie(name: string, value: string | null): void {
  // the panel page's own path: the cookie rides only on requests for the panel's files, never on /api
  const attrs = `Path=${window.location.pathname.replace(/[^/]*$/, '')}; Secure; SameSite=None; Partitioned`;
  document.cookie = value === null ? `${name}=; Max-Age=0; ${attrs}` : `${name}=${encodeURIComponent(value)}; ${attrs}`;
}
function readCookie(name: string): string | null {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

export const setToken = (t: string | null) => {
  token = t;
  if (t === null) forgetSession();
};
export const hasToken = () => token !== null;
export const onSessionExpired = (fn: (() => void) | null) => {
  onExpired = fn;
};

/** The session kept for this company, if any (the server decides whether it still stands). */
export function storedSession(companyId: string): PanelSession | null {
  try {
    const store = sessionStore();
    const raw = store ? store.getItem(`${STORE_KEY}:${companyId}`) : readCookie(cookieName(companyId));
    const s = raw ? (JSON.parse(raw) as PanelSession) : null;
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null; // unreadable: sign in as before
  }
}

export function keepSession(companyId: string, s: PanelSession): void {
  token = s.token;
  const store = sessionStore();
  if (store) store.setItem(`${STORE_KEY}:${companyId}`, JSON.stringify(s));
  // only what restoring needs: the server answers the rest
  else writeCookie(cookieName(companyId), JSON.stringify({ token: s.token, expiresAt: s.expiresAt }));
}

function forgetSession(): void {
  const store = sessionStore();
  if (store) {
    for (let i = store.length - 1; i >= 0; i--) {
      const k = store.key(i);
      if (k?.startsWith(STORE_KEY)) store.removeItem(k);
    }
  }
  for (const c of document.cookie.split('; ')) {
    const name = c.split('=')[0];
    if (name?.startsWith(STORE_KEY)) writeCookie(name, null);
  }
}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
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
      setToken(null); // also forgets the kept session
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
  signIn: (body: { grant: string; companyId: string; projectId: string; email: string; password: string }) =>
    call<PanelSession>('POST', '/api/panel/session', body),
  signOut: () => call<void>('DELETE', '/api/panel/session'),
  /** Does the kept session still stand? (401 session_expired when not) */
  restore: () => call<PanelSession>('GET', '/api/panel/session'),
  renew: () => call<PanelSession>('POST', '/api/panel/session/renew'),
  record: (view: 'commitment' | 'vendor', id: string, projectId: string) =>
    call<PanelRecordState>(
      'GET',
      `/api/panel/${view === 'commitment' ? 'commitments' : 'vendors'}/${encodeURIComponent(id)}?${q({ projectId })}`,
    ),
  insuranceSets: () => call<{ data: InsuranceSetOption[] }>('GET', '/api/panel/insurance-sets'),
  search: (kind: LinkRequest['kind'], text: string) =>
    call<{ data: SearchCandidate[] }>('GET', `/api/panel/search?${q({ kind, q: text })}`),
  create: (body: CreateRequest, key: string) => call<{ link: LinkInfo }>('POST', '/api/panel/create', body, { 'Idempotency-Key': key }),
  link: (body: LinkRequest, key: string) => call<{ link: LinkInfo }>('POST', '/api/panel/link', body, { 'Idempotency-Key': key }),
  refresh: (body: { kind: 'vendor' | 'commitment'; projectId: string; procoreId: string }) =>
    call<RefreshResult>('POST', '/api/panel/refresh', body),
};

/** One key per user intent: kept across retries and double clicks, replaced after success. */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `panel-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}
