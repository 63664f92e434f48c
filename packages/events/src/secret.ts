import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-tenant webhook secret, sent by Procore as the whole Authorization header value. */
export function newHookSecret(): string {
  return `Bearer ${randomBytes(32).toString('base64url')}`;
}

export const secretHash = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Constant-time check of a presented Authorization value against stored hashes. Both sides are
 * sha256 digests of equal length, so timingSafeEqual never short-circuits on length, and every
 * candidate is compared (no early exit that would reveal which one matched).
 */
export function matchesSecret(presented: string | undefined, hashes: (string | null | undefined)[]): boolean {
  const got = Buffer.from(secretHash(presented ?? ''), 'hex');
  let ok = false;
  for (const h of hashes) {
    if (!h || h.length !== 64) continue;
    const match = timingSafeEqual(got, Buffer.from(h, 'hex'));
    ok = ok || (match && presented !== undefined && presented.length > 0);
  }
  return ok;
}
