/**
 * Every column that holds an encrypted envelope (crypto.ts), in one list: key rotation
 * (rotate.ts) re-encrypts each of them and the boot key check (keycheck.ts) looks at each of them.
 * A new encrypted column MUST be added here — `test/secrets-columns.test.ts` fails when a new
 * source file starts encrypting values, as a reminder.
 *
 * `ephemeral` values can be given up: a panel session, grant or admin session whose key is gone
 * is ended (the user signs in again). Credentials cannot: the boot check refuses to start instead.
 */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** Columns that identify one row (for the compare-and-set update). */
  rowKey: string[];
  /** SQL for the associated data the value was encrypted with. */
  aad: string;
  ephemeral: boolean;
  /** SQL that ends the rows matching a condition, values can no longer be decrypted (ephemeral only). */
  end?: (where: string) => string;
  /** A key-id column kept beside the envelope, updated with it. */
  keyIdColumn?: string;
}

const SESSION_END = (where: string) => `update panel_sessions set revoked_at = coalesce(revoked_at, now()) where ${where}`;
const GRANT_END = (where: string) => `update panel_grants set used_at = coalesce(used_at, now()) where ${where}`;
const ADMIN_END = (where: string) => `delete from sessions where ${where}`;

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: 'credentials',
    column: 'secret_ciphertext',
    rowKey: ['tenant_id', 'kind'],
    aad: 'tenant_id::text',
    ephemeral: false,
    keyIdColumn: 'key_id',
  },
  { table: 'panel_sessions', column: 'procore_token', rowKey: ['token_hash'], aad: 'tenant_id::text', ephemeral: true, end: SESSION_END },
  {
    table: 'panel_sessions',
    column: 'procore_refresh_token',
    rowKey: ['token_hash'],
    aad: 'tenant_id::text',
    ephemeral: true,
    end: SESSION_END,
  },
  { table: 'panel_sessions', column: 'mycoi_token', rowKey: ['token_hash'], aad: 'tenant_id::text', ephemeral: true, end: SESSION_END },
  {
    table: 'panel_grants',
    column: 'procore_token',
    rowKey: ['grant_hash'],
    aad: `'grant:' || grant_hash`,
    ephemeral: true,
    end: GRANT_END,
  },
  {
    table: 'panel_grants',
    column: 'procore_refresh_token',
    rowKey: ['grant_hash'],
    aad: `'grant:' || grant_hash`,
    ephemeral: true,
    end: GRANT_END,
  },
  // customer-admin console sessions (auth/admin-verify.ts)
  { table: 'sessions', column: 'procore_token', rowKey: ['id'], aad: `'admin:' || subject`, ephemeral: true, end: ADMIN_END },
  { table: 'sessions', column: 'procore_refresh_token', rowKey: ['id'], aad: `'admin:' || subject`, ephemeral: true, end: ADMIN_END },
];

/** Rows still in use: an ended session or grant is never read again, so its key does not matter. */
export const liveRows = (c: EncryptedColumn): string =>
  c.table === 'panel_sessions'
    ? 'revoked_at is null and expires_at > now()'
    : c.table === 'panel_grants'
      ? 'used_at is null and expires_at > now()'
      : c.table === 'sessions'
        ? 'expires_at > now()'
        : 'true';
