import type pg from 'pg';
import type { TokenProvider } from '@mycoi/http';
import { HttpError } from '../http/errors';
import { UpstreamError, type PanelPorts } from './ports';
import { procoreSignInRequired, type PanelProcoreTokens } from './procore-token';
import { revokeSession, type PanelSessionRow } from './sessions';

/** A Procore record a panel request reads or links, always within the project the panel is open in. */
export type ProcoreTarget =
  | { kind: 'company' }
  | { kind: 'project'; projectId: string }
  | { kind: 'vendor'; projectId: string; vendorId: string }
  | { kind: 'commitment'; projectId: string; commitmentId: string };

/** How long a positive answer is trusted per session: access removed in Procore takes effect within it. */
export const AUTHZ_TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

const isUnauthorized = (e: unknown) => e instanceof UpstreamError && e.service === 'procore' && e.status === 401;

const idOf = (t: ProcoreTarget) =>
  t.kind === 'company' ? '' : t.kind === 'project' ? t.projectId : t.kind === 'vendor' ? t.vendorId : t.commitmentId;

function refusal(t: ProcoreTarget): HttpError {
  if (t.kind === 'company') {
    return new HttpError(403, 'procore_access_removed', 'Your Procore user no longer has access to this company: ask your Procore admin');
  }
  if (t.kind === 'project') return new HttpError(403, 'project_forbidden', 'Your Procore user cannot see this project');
  if (t.kind === 'vendor') {
    return new HttpError(
      403,
      'vendor_forbidden',
      "This vendor is not in this project's directory in Procore (or your Procore user cannot see it)",
    );
  }
  return new HttpError(
    403,
    'commitment_forbidden',
    'This commitment is not in this project in Procore (or your Procore user cannot see it)',
  );
}

/**
 * Authorisation of every Procore id a panel request touches (issue 16.2), asked of Procore with
 * the signed-in user's OWN token — the DMSA sees every project, the user may not. A project must
 * be visible to the user, a vendor must be in that project's directory, a commitment must belong
 * to that project. Positive answers are cached per session for a minute; refusals are not (access
 * granted in Procore works at the next click).
 */
export class PanelAuthz {
  private readonly allowed = new Map<string, number>();

  constructor(
    private readonly ports: () => PanelPorts,
    private readonly tokens: PanelProcoreTokens,
    private readonly db: Pick<pg.Pool, 'query'>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Throws 403 (in the one error shape) unless the user may touch every target. Every call also
   * confirms the user still belongs to the company (a user removed in Procore loses the panel
   * within the cache minute, even on routes that name no Procore id); removal ends the session.
   */
  async require(s: PanelSessionRow, targets: ProcoreTarget[]): Promise<void> {
    try {
      await this.one(s, { kind: 'company' });
    } catch (e) {
      if (e instanceof HttpError && e.code === 'procore_access_removed') {
        await revokeSession(this.db, s.tokenHash);
        this.tokens.forget(s.tokenHash);
      }
      throw e;
    }
    const projects = [...new Set(targets.flatMap((t) => (t.kind === 'company' ? [] : [t.projectId])))];
    // The project first: a vendor or commitment of a project the user cannot see is refused as that.
    await Promise.all(projects.map((projectId) => this.one(s, { kind: 'project', projectId })));
    await Promise.all(targets.filter((t) => t.kind !== 'project' && t.kind !== 'company').map((t) => this.one(s, t)));
  }

  /** Records a check made elsewhere with the same user token (the sign-in's project check). */
  remember(tokenHash: string, t: ProcoreTarget): void {
    this.allowed.set(this.key(tokenHash, t), this.now() + AUTHZ_TTL_MS);
  }

  private key(tokenHash: string, t: ProcoreTarget): string {
    return `${tokenHash}|${t.kind}|${t.kind === 'company' ? '' : t.projectId}|${idOf(t)}`;
  }

  private async one(s: PanelSessionRow, t: ProcoreTarget): Promise<void> {
    const key = this.key(s.tokenHash, t);
    const until = this.allowed.get(key);
    if (until !== undefined && until > this.now()) return;
    const user = this.ports().procoreUser;
    const ask = (token: string): Promise<boolean> => {
      if (t.kind === 'company') return user.canUseCompany(token, s.companyId);
      if (t.kind === 'project') return user.canSeeProject(token, s.companyId, t.projectId);
      if (t.kind === 'vendor') return user.canSeeProjectVendor(token, s.companyId, t.projectId, t.vendorId);
      return user.canSeeCommitment(token, s.companyId, t.projectId, t.commitmentId);
    };
    // Renewed before expiry by the provider; on Procore's 401 renewed once (single-flight per
    // session: concurrent requests that saw the same 401 share one refresh) and asked again.
    const provider: TokenProvider = this.tokens.forSession(s);
    let token = await provider.getToken();
    let ok: boolean;
    try {
      ok = await ask(token);
    } catch (e) {
      if (!isUnauthorized(e)) throw e;
      token = await provider.getToken({ force: true, stale: token });
      try {
        ok = await ask(token);
      } catch (again) {
        if (!isUnauthorized(again)) throw again;
        // 401 with a token Procore just issued: it no longer accepts this user's sign-in.
        await revokeSession(this.db, s.tokenHash);
        this.tokens.forget(s.tokenHash);
        throw procoreSignInRequired();
      }
    }
    if (!ok) {
      this.allowed.delete(key);
      throw refusal(t);
    }
    if (this.allowed.size >= MAX_ENTRIES) this.prune();
    this.allowed.set(key, this.now() + AUTHZ_TTL_MS);
  }

  private prune(): void {
    const now = this.now();
    for (const [k, until] of this.allowed) if (until <= now) this.allowed.delete(k);
    // Still full of live entries: start over (a cache miss only costs one Procore call).
    if (this.allowed.size >= MAX_ENTRIES) this.allowed.clear();
  }
}
