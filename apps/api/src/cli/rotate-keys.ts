// npm run rotate-keys
// Re-encrypts every stored secret (every column in apps/api/src/secrets/columns.ts: credentials,
// panel sessions, panel grants) with ENCRYPTION_ACTIVE_KEY. Key rotation without downtime:
//   1. add the new key to ENCRYPTION_KEYS (keep the old one), set ENCRYPTION_ACTIVE_KEY to it, restart;
//   2. run this command (safe to re-run; rows already on the active key are skipped);
//   3. remove the old key from ENCRYPTION_KEYS and restart — boot refuses if any value still needs it.
import { verifyEncryptionKeys } from '../secrets/keycheck';
import { rotateKeys } from '../secrets/rotate';
import { openCliDatabase } from './db';

try {
  const { config, db } = await openCliDatabase();
  try {
    await verifyEncryptionKeys(db.pool, config.encryption); // a wrong key must not re-encrypt garbage
    const r = await rotateKeys(db.pool, config.encryption);
    console.log(
      `re-encrypted ${r.reencrypted} secret(s) with key "${config.encryption.activeKeyId}"; ${r.alreadyCurrent} already used it` +
        (r.ended ? `; ended ${r.ended} panel session(s)/grant(s) no configured key could read` : ''),
    );
  } finally {
    await db.close();
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
