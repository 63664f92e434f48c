import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { decryptSecret, encryptSecret, envelopeKeyId, type Keyring } from '../src/secrets/crypto';
import { verifyEncryptionKeys } from '../src/secrets/keycheck';
import { rotateKeys } from '../src/secrets/rotate';
import { getCredential, putCredential } from '../src/secrets/store';
import { loadTenantCredentials } from '../src/tenants/credentials';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ringOld: Keyring = { keys: new Map([['k1', k1]]), activeKeyId: 'k1' };
const ringBoth: Keyring = {
  keys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
  activeKeyId: 'k2',
};
const ringNew: Keyring = { keys: new Map([['k2', k2]]), activeKeyId: 'k2' };

const SECRET_A = 'dmsa-secret-AAAA-0123456789';
const SECRET_B = 'mycoi-secret-BBBB-9876543210';

let db: Database;
let tenantA: string;
let tenantB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const ins = async (company: string) =>
    (
      await db.pool.query<{ id: string }>(
        "insert into tenants (procore_company_id, name, mycoi_account_id) values ($1, $2, 'acct-x') returning id",
        [company, `Co ${company}`],
      )
    ).rows[0]!.id;
  tenantA = await ins('1');
  tenantB = await ins('2');
});
afterAll(async () => db.close());

describe('AES-256-GCM envelope', () => {
  it('round-trips, with a fresh IV each time and the key id in the envelope', () => {
    const a = encryptSecret(ringOld, 's3cret', 't1');
    const b = encryptSecret(ringOld, 's3cret', 't1');
    expect(a).not.toBe(b);
    expect(envelopeKeyId(a)).toBe('k1');
    expect(decryptSecret(ringOld, a, 't1')).toBe('s3cret');
  });

  it('refuses another tenant id as associated data, a tampered value and an unknown key id', () => {
    const env = encryptSecret(ringOld, 's3cret', 't1');
    expect(() => decryptSecret(ringOld, env, 't2')).toThrow(/could not be decrypted/);
    const parts = env.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(ringOld, parts.join('.'), 't1')).toThrow(/could not be decrypted/);
    expect(() => decryptSecret(ringNew, env, 't1')).toThrow(/"k1" is not configured/);
    expect(() => decryptSecret(ringOld, 'garbage', 't1')).toThrow(/not a valid envelope/);
  });

  it('never puts the value into an error message', () => {
    const env = encryptSecret(ringOld, SECRET_A, 't1');
    try {
      decryptSecret(ringOld, env, 'other');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(SECRET_A);
    }
  });
});

describe('stored credentials, boot key check and rotation', () => {
  it('keeps only ciphertext in the raw row', async () => {
    await verifyEncryptionKeys(db.pool, ringOld);
    await putCredential(db.pool, ringOld, { tenantId: tenantA, kind: 'procore_dmsa', clientId: 'client-aaaa', clientSecret: SECRET_A });
    await putCredential(db.pool, ringOld, { tenantId: tenantB, kind: 'mycoi_service', clientId: 'client-bbbb', clientSecret: SECRET_B });
    const raw = await db.pool.query('select * from credentials');
    const dump = JSON.stringify(raw.rows);
    expect(dump).not.toContain(SECRET_A);
    expect(dump).not.toContain(SECRET_B);
    expect(dump).not.toContain(Buffer.from(SECRET_A).toString('base64'));
    expect(raw.rows.every((r) => r.key_id === 'k1')).toBe(true);
    expect((await getCredential(db.pool, ringOld, tenantA, 'procore_dmsa'))?.clientSecret).toBe(SECRET_A);
  });

  it('a ciphertext moved onto another tenant does not decrypt (tenant id is bound)', async () => {
    const { rows } = await db.pool.query('select secret_ciphertext from credentials where tenant_id = $1', [tenantA]);
    await db.pool.query(
      "insert into credentials (tenant_id, kind, client_id, secret_ciphertext, key_id) values ($1, 'procore_dmsa', 'stolen', $2, 'k1')",
      [tenantB, rows[0].secret_ciphertext],
    );
    await expect(getCredential(db.pool, ringOld, tenantB, 'procore_dmsa')).rejects.toThrow(/could not be decrypted/);
    await db.pool.query("delete from credentials where tenant_id = $1 and kind = 'procore_dmsa'", [tenantB]);
  });

  it('fails at boot when a key id maps to a different key', async () => {
    const wrong: Keyring = { keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' };
    await expect(verifyEncryptionKeys(db.pool, wrong)).rejects.toThrow(/Encryption key "k1" does not match/);
  });

  it('fails at boot when stored values need a key that was removed before rotation', async () => {
    await expect(verifyEncryptionKeys(db.pool, ringNew)).rejects.toThrow(/"k1" \(2\).*rotate-keys/);
  });

  it('rotation re-encrypts every value; afterwards only the new key is needed', async () => {
    await verifyEncryptionKeys(db.pool, ringBoth); // adds the k2 canary
    expect(await rotateKeys(db.pool, ringBoth)).toEqual({ reencrypted: 2, alreadyCurrent: 0, ended: 0 });
    expect(await rotateKeys(db.pool, ringBoth)).toEqual({ reencrypted: 0, alreadyCurrent: 2, ended: 0 }); // idempotent
    const raw = await db.pool.query<{ key_id: string; secret_ciphertext: string }>('select key_id, secret_ciphertext from credentials');
    expect(raw.rows.map((r) => r.key_id)).toEqual(['k2', 'k2']);
    expect(raw.rows.every((r) => r.secret_ciphertext.startsWith('k2.'))).toBe(true);
    expect(JSON.stringify(raw.rows)).not.toContain(SECRET_A);

    // The old key is gone: boot check passes and the service reads every secret with k2 only.
    await rotateKeys(db.pool, ringNew); // drops the k1 canary
    await verifyEncryptionKeys(db.pool, ringNew);
    const a = await loadTenantCredentials(db.pool, ringNew, tenantA);
    expect(a?.procoreDmsa).toEqual({ clientId: 'client-aaaa', clientSecret: SECRET_A, source: 'tenant' });
    const b = await loadTenantCredentials(db.pool, ringNew, tenantB);
    expect(b?.mycoi).toEqual({ accountId: 'acct-x', clientId: 'client-bbbb', clientSecret: SECRET_B });
    expect((await db.pool.query('select key_id from encryption_canaries')).rows).toEqual([{ key_id: 'k2' }]);
  });

  it('shared DMSA stores no secret and resolves to the marketplace app', async () => {
    await putCredential(db.pool, ringNew, { tenantId: tenantB, kind: 'procore_dmsa', clientId: 'market-client', source: 'shared' });
    const creds = await loadTenantCredentials(db.pool, ringNew, tenantB, { clientId: 'market-client', clientSecret: 'market-secret' });
    expect(creds?.procoreDmsa).toEqual({ clientId: 'market-client', clientSecret: 'market-secret', source: 'shared' });
    expect(await loadTenantCredentials(db.pool, ringNew, '00000000-0000-0000-0000-000000000000')).toBeNull();
  });
});
