import type pg from 'pg';

/** An active tenant row of its own Procore company: what the queue needs of a tenant. */
export async function insertTenant(pool: pg.Pool, name: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    "insert into tenants (procore_company_id, name, status, procore_environment) values ($1, $2, 'active', 'local') returning id",
    [String(1000 + Math.floor(Math.random() * 1e9)), name],
  );
  return rows[0]!.id;
}
