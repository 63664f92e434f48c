import type pg from 'pg';
import type { AuditEntry } from '@mycoi/contracts';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface Actor {
  kind: 'procore_user' | 'ops' | 'system' | 'mycoi_user';
  /** e.g. the Procore login, the ops email, 'cli' */
  id: string;
  ip: string | null;
}

export const systemActor = (id: string): Actor => ({ kind: 'system', id, ip: null });

/** Appends one audit entry. Details must never hold a secret (callers pass ids and outcomes only). */
export async function audit(
  db: Queryable,
  tenantId: string | null,
  actor: Actor,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.query('insert into audit_log (tenant_id, actor_kind, actor, action, details, ip) values ($1, $2, $3, $4, $5::jsonb, $6)', [
    tenantId,
    actor.kind,
    actor.id,
    action,
    JSON.stringify(details),
    actor.ip,
  ]);
}

export async function listAudit(db: Queryable, tenantId: string, limit = 200): Promise<AuditEntry[]> {
  const { rows } = await db.query<{
    id: number;
    created_at: Date;
    actor_kind: AuditEntry['actorKind'];
    actor: string;
    action: string;
    details: Record<string, unknown>;
    ip: string | null;
  }>('select id, created_at, actor_kind, actor, action, details, ip from audit_log where tenant_id = $1 order by id desc limit $2', [
    tenantId,
    limit,
  ]);
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.created_at.toISOString(),
    actorKind: r.actor_kind,
    actor: r.actor,
    action: r.action,
    details: r.details,
    ip: r.ip,
  }));
}
