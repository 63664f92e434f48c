import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The OAuth `state`: what to do after sign-in (company, return path), signed with the session
 * secret, plus a nonce that must equal a short-lived cookie set when the flow started. The nonce
 * ties the callback to the browser that began it (login CSRF: an attacker cannot make a victim's
 * browser finish the attacker's sign-in).
 */
const Payload = z.object({ c: z.string(), r: z.string(), n: z.string(), e: z.number() });
export type StatePayload = { companyId: string; returnTo: string; nonce: string };

export const STATE_COOKIE = 'mycoi_oauth';
export const STATE_TTL_MS = 10 * 60_000; // Procore codes expire after 10 minutes too

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function createState(secret: string, p: { companyId: string; returnTo: string }): { state: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64url');
  const body = Buffer.from(JSON.stringify({ c: p.companyId, r: p.returnTo, n: nonce, e: Date.now() + STATE_TTL_MS })).toString('base64url');
  return { state: `${body}.${sign(secret, body)}`, nonce };
}

/** The payload, or null when the state is forged, expired or from another browser. */
export function readState(secret: string, state: string, cookieNonce: string | undefined): StatePayload | null {
  const [body, mac] = state.split('.');
  if (!body || !mac || !cookieNonce) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed;
  try {
    parsed = Payload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (!parsed.success || parsed.data.e < Date.now() || parsed.data.n !== cookieNonce) return null;
  return { companyId: parsed.data.c, returnTo: parsed.data.r, nonce: parsed.data.n };
}

/** Only same-site relative paths: an open redirect after sign-in would hand phishers a trusted link. */
export function safeReturnTo(v: unknown, fallback: string): string {
  return typeof v === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(v) && v.length <= 300 ? v : fallback;
}
