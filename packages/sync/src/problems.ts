import type { SyncProblem, SyncProblemKind } from '@mycoi/contracts';
import type { Queryable } from './db';

/** What a writer reports; count and timestamps are kept by the table. */
export type ProblemReport = Pick<SyncProblem, 'kind' | 'scope' | 'title' | 'detail' | 'fix'>;

/** Records (or re-sees) a problem: the same (kind, scope) stays one entry with a growing count. */
export async function recordProblem(db: Queryable, tenantId: string, p: ProblemReport): Promise<void> {
  await db.query(
    `insert into sync_problems (tenant_id, kind, scope, title, detail, fix)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, kind, scope) do update
       set title = excluded.title, detail = excluded.detail, fix = excluded.fix,
           count = sync_problems.count + 1, last_seen_at = now()`,
    [tenantId, p.kind, p.scope, p.title, p.detail, p.fix],
  );
}

/** The cause went away (scope written, permission granted, link made). */
export async function clearProblem(db: Queryable, tenantId: string, kind: SyncProblemKind, scope: string): Promise<void> {
  await db.query('delete from sync_problems where tenant_id = $1 and kind = $2 and scope = $3', [tenantId, kind, scope]);
}

/** Clears every problem of a kind not in `stillSeen`: for checks that re-evaluate a whole kind at once. */
export async function replaceProblemsOfKind(
  db: Queryable,
  tenantId: string,
  kind: SyncProblemKind,
  stillSeen: ProblemReport[],
): Promise<void> {
  await db.query('delete from sync_problems where tenant_id = $1 and kind = $2 and not (scope = any($3::text[]))', [
    tenantId,
    kind,
    stillSeen.map((p) => p.scope),
  ]);
  for (const p of stillSeen) await recordProblem(db, tenantId, p);
}

interface ProblemRow {
  kind: SyncProblemKind;
  scope: string;
  title: string;
  detail: string;
  fix: string;
  count: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

export async function listProblems(db: Queryable, tenantId: string): Promise<SyncProblem[]> {
  const { rows } = await db.query<ProblemRow>(
    `select kind, scope, title, detail, fix, count, first_seen_at, last_seen_at
       from sync_problems where tenant_id = $1 order by kind, scope`,
    [tenantId],
  );
  return rows.map((r) => ({
    kind: r.kind,
    scope: r.scope,
    title: r.title,
    detail: r.detail,
    fix: r.fix,
    count: r.count,
    firstSeenAt: new Date(r.first_seen_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
  }));
}
