import type pg from 'pg';
import type { CredentialSummary } from '@mycoi/contracts';
import { registerSecret } from '../logger';
import { decryptSecret, encryptSecret, type Keyring } from './crypto';

export type CredentialKind = 'procore_dmsa' | 'mycoi_service';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface StoredCredential {
  clientId: string;
  /** Decrypted; undefined for `source: 'shared'` (the caller uses the marketplace app's secret). */
  clientSecret: string | undefined;
  source: 'tenant' | 'shared';
  validatedAt: Date | null;
}

/**
 * Stores a client id + secret for a tenant. The secret is encrypted with the active key and the
 * tenant id as associated data; setting a credential clears its validation (it must be re-checked).
 * `clientSecret: undefined` with source 'tenant' keeps the stored secret (change the id only).
 */
export async function putCredential(
  db: Queryable,
  ring: Keyring,
  input: { tenantId: string; kind: CredentialKind; clientId: string; clientSecret?: string; source?: 'tenant' | 'shared' },
): Promise<void> {
  const source = input.source ?? 'tenant';
  if (source === 'tenant' && input.clientSecret === undefined) {
    const res = await db.query(
      `update credentials set client_id = $3, validated_at = null, validation = null, updated_at = now()
        where tenant_id = $1 and kind = $2 and source = 'tenant'`,
      [input.tenantId, input.kind, input.clientId],
    );
    if ((res.rowCount ?? 0) === 0) throw new Error('No stored secret to keep: a client secret is required');
    return;
  }
  const envelope = source === 'tenant' ? encryptSecret(ring, input.clientSecret!, input.tenantId) : null;
  await db.query(
    `insert into credentials (tenant_id, kind, client_id, secret_ciphertext, key_id, source, validated_at, validation, updated_at)
     values ($1, $2, $3, $4, $5, $6, null, null, now())
     on conflict (tenant_id, kind) do update set client_id = excluded.client_id, secret_ciphertext = excluded.secret_ciphertext,
       key_id = excluded.key_id, source = excluded.source, validated_at = null, validation = null, updated_at = now()`,
    [input.tenantId, input.kind, input.clientId, envelope, envelope ? ring.activeKeyId : null, source],
  );
}

export async function getCredential(
  db: Queryable,
  ring: Keyring,
  tenantId: string,
  kind: CredentialKind,
): Promise<StoredCredential | null> {
  const { rows } = await db.query<{
    client_id: string;
    secret_ciphertext: string | null;
    source: 'tenant' | 'shared';
    validated_at: Date | null;
  }>('select client_id, secret_ciphertext, source, validated_at from credentials where tenant_id = $1 and kind = $2', [tenantId, kind]);
  const row = rows[0];
  if (!row) return null;
  const clientSecret = row.secret_ciphertext ? decryptSecret(ring, row.secret_ciphertext, tenantId) : undefined;
  registerSecret(clientSecret); // the logger scrubs it from any line, whatever field it hides in
  return {
    clientId: row.client_id,
    clientSecret,
    source: row.source,
    validatedAt: row.validated_at,
  };
}

export async function markValidated(
  db: Queryable,
  tenantId: string,
  kind: CredentialKind,
  ok: boolean,
  validation: unknown,
): Promise<void> {
  await db.query(
    `update credentials set validated_at = case when $3::boolean then now() else null end, validation = $4::jsonb
      where tenant_id = $1 and kind = $2`,
    [tenantId, kind, ok, JSON.stringify(validation)],
  );
}

export interface CredentialRow {
  kind: string;
  client_id: string;
  source: 'tenant' | 'shared';
  validated_at: Date | null;
}

/** What the API may show about a credential: never the secret. */
export function summarize(row: CredentialRow | undefined): CredentialSummary {
  if (!row) return { set: false, source: null, clientIdLast4: null, clientId: null, validatedAt: null };
  return {
    set: true,
    source: row.source,
    clientIdLast4: row.client_id.slice(-4),
    clientId: row.source === 'shared' ? null : row.client_id,
    validatedAt: row.validated_at ? row.validated_at.toISOString() : null,
  };
}
