import type pg from 'pg';
import { withTransaction } from '@mycoi/db';
import { HttpError, notFound } from '../http/errors';
import { audit, type Actor } from './audit';
import { nextStatus, TIMESTAMP_COLUMN, type TenantAction } from './lifecycle';
import { findTenantById, type TenantRow } from './repo';
import { notifyTenantTransition } from './transition-listeners';

/** What must be true, besides the status, before an action: returns what is missing. */
async function missingFor(client: pg.PoolClient, row: TenantRow, action: TenantAction): Promise<string[]> {
  const missing: string[] = [];
  if (action === 'request_activation') {
    const { rows } = await client.query(
      "select 1 from credentials where tenant_id = $1 and kind = 'procore_dmsa' and validated_at is not null",
      [row.id],
    );
    if (rows.length === 0) missing.push('validated_credentials');
    if (!row.compliance_push && !row.side_panel) missing.push('feature');
  }
  if (action === 'activate') {
    if (!row.mycoi_account_id) missing.push('mycoi_account');
    const { rows } = await client.query("select 1 from credentials where tenant_id = $1 and kind = 'mycoi_service'", [row.id]);
    if (rows.length === 0) missing.push('mycoi_credentials');
  }
  return missing;
}

/**
 * Applies one lifecycle action in one transaction: lock the row, check the table and the
 * preconditions, set the status and its timestamp, write the audit entry. Activation also retires
 * the legacy integration in the same transaction, so no tenant is ever active with both running.
 */
export async function applyTransition(
  pool: pg.Pool,
  tenantId: string,
  action: TenantAction,
  actor: Actor,
  details: Record<string, unknown> = {},
): Promise<TenantRow> {
  let from: TenantRow['status'] | undefined;
  const updated = await withTransaction(pool, async (client) => {
    const row = await findTenantById(client, tenantId, true);
    if (!row) throw notFound('No such tenant');
    const to = nextStatus(row.status, action);
    from = row.status;
    if (!to) {
      throw new HttpError(
        409,
        'invalid_transition',
        `Cannot ${action.replace('_', ' ')} a tenant that is ${row.status.replace('_', ' ')}`,
        {
          from: row.status,
          action,
        },
      );
    }
    const missing = await missingFor(client, row, action);
    if (missing.length > 0) {
      throw new HttpError(409, 'not_ready', `Not ready to ${action.replace('_', ' ')}: missing ${missing.join(', ')}`, { missing });
    }
    const legacy =
      action === 'activate' ? ', legacy_integration_active = false, legacy_retired_at = coalesce(legacy_retired_at, now())' : '';
    const { rows } = await client.query<TenantRow>(
      `update tenants set status = $2, ${TIMESTAMP_COLUMN[action]} = now(), updated_at = now()${legacy} where id = $1 returning *`,
      [tenantId, to],
    );
    await audit(client, tenantId, actor, `tenant.${action}`, {
      ...details,
      from: row.status,
      to,
      ...(action === 'activate' && row.legacy_integration_active ? { legacyIntegrationRetired: true } : {}),
    });
    return rows[0]!;
  });
  // after commit: listeners (e.g. webhook registration) call upstream APIs, never inside the transaction
  await notifyTenantTransition(pool, { tenantId, action, from: from!, to: updated.status });
  return updated;
}
