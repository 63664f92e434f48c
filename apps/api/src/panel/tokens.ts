import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A random bearer value (256 bits) and the sha256 the database keeps instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * What panel_sessions keeps for a session token: an HMAC keyed by SESSION_SECRET, so a new secret
 * finds none of the old rows — rotating the secret ends every session at once.
 */
export function sessionTokenHash(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('hex');
}

/** Stable hash of a request body: the same Idempotency-Key with a different body is refused. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
}
