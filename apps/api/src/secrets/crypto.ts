import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The keys from config (`config.encryption`): id → 32-byte key, and the id new values use. */
export interface Keyring {
  keys: Map<string, Buffer>;
  activeKeyId: string;
}

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

const IV_BYTES = 12; // the GCM standard nonce size

/**
 * AES-256-GCM envelope `keyId.iv.tag.ciphertext` (base64url parts). A fresh random IV per value;
 * the associated data (the tenant id) binds the ciphertext to its tenant, so a value copied onto
 * another tenant's row fails to decrypt instead of leaking across tenants.
 */
export function encryptSecret(ring: Keyring, plaintext: string, associatedData: string): string {
  const key = ring.keys.get(ring.activeKeyId);
  if (!key) throw new SecretKeyError(`Active encryption key "${ring.activeKeyId}" is not configured`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ring.activeKeyId, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

export function envelopeKeyId(envelope: string): string {
  return envelope.split('.')[0] ?? '';
}

/** Decrypts an envelope; errors name the key id and never include any part of the value. */
export function decryptSecret(ring: Keyring, envelope: string, associatedData: string): string {
  const parts = envelope.split('.');
  if (parts.length !== 4) throw new SecretKeyError('Encrypted value is not a valid envelope');
  const [keyId, iv, tag, ct] = parts as [string, string, string, string];
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretKeyError(`Encryption key "${keyId}" is not configured (ENCRYPTION_KEYS)`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError(`Value could not be decrypted with key "${keyId}" (wrong key or tampered value)`);
  }
}
