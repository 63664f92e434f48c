// A cached, single-flight access-token holder. Concurrent callers share one in-flight token
// request; the token is renewed `marginMs` before it expires; a forced refresh (after a 401) is
// de-duplicated by the stale token, so twenty callers that all saw the same 401 cause one refresh.

export interface FetchedToken {
  accessToken: string;
  /** Lifetime in seconds as reported by the server (expires_in). */
  expiresInSeconds: number;
}

export interface TokenProvider {
  /** A valid access token. `force` renews unless the token has already changed since `stale`. */
  getToken(opts?: { force?: boolean; stale?: string }): Promise<string>;
}

export interface CachedTokenOptions {
  fetch: () => Promise<FetchedToken>;
  marginMs?: number; // default 5 minutes
  now?: () => number;
  /** A token already held (e.g. a stored user token); `fetch` is then called only to renew it. */
  initial?: { accessToken: string; expiresAt: number };
}

export class CachedTokenProvider implements TokenProvider {
  private current: { token: string; expiresAt: number; margin: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;
  /** Number of token requests issued (for tests and metrics). */
  fetches = 0;

  constructor(private readonly opts: CachedTokenOptions) {
    this.marginMs = opts.marginMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    // Its lifetime is unknown, so the full margin applies.
    if (opts.initial) this.current = { token: opts.initial.accessToken, expiresAt: opts.initial.expiresAt, margin: this.marginMs };
  }

  async getToken(opts: { force?: boolean; stale?: string } = {}): Promise<string> {
    if (this.inflight) return this.inflight;
    const cur = this.current;
    if (cur) {
      // Someone else already replaced the token the caller saw rejected: use the new one.
      if (opts.force && opts.stale !== undefined && opts.stale !== cur.token && this.fresh(cur)) return cur.token;
      if (!opts.force && this.fresh(cur)) return cur.token;
    }
    return this.refresh();
  }

  private fresh(cur: { expiresAt: number; margin: number }): boolean {
    return cur.expiresAt - cur.margin > this.now();
  }

  private refresh(): Promise<string> {
    this.fetches += 1;
    const p = (async () => {
      try {
        const t = await this.opts.fetch();
        // A lifetime shorter than the margin would make every call refresh; keep at least half of it.
        const lifetime = Math.max(0, t.expiresInSeconds * 1000);
        const margin = Math.min(this.marginMs, lifetime / 2);
        this.current = { token: t.accessToken, expiresAt: this.now() + lifetime, margin };
        return t.accessToken;
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = p;
    return p;
  }
}

/** A provider for a token that is already known and cannot be renewed (e.g. in tests). */
export function staticToken(token: string): TokenProvider {
  return { getToken: async () => token };
}
