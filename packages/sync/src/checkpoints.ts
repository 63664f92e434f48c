import type { Queryable } from './db';

export async function getCheckpoint<T>(db: Queryable, tenantId: string, name: string): Promise<T | null> {
  const res = await db.query<{ value: T }>('select value from checkpoints where tenant_id = $1 and name = $2', [tenantId, name]);
  return res.rows[0]?.value ?? null;
}

export async function setCheckpoint(db: Queryable, tenantId: string, name: string, value: unknown): Promise<void> {
  await db.query(
    `insert into checkpoints (tenant_id, name, value) values ($1, $2, $3::jsonb)
     on conflict (tenant_id, name) do update set value = excluded.value, updated_at = now()`,
    [tenantId, name, JSON.stringify(value)],
  );
}

export async function clearCheckpoint(db: Queryable, tenantId: string, name: string): Promise<void> {
  await db.query('delete from checkpoints where tenant_id = $1 and name = $2', [tenantId, name]);
}
