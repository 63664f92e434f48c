import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatIssues } from '@mycoi/http';
import { type ComplianceUpdatedEvent, webhookEventSchema } from './schemas';

export type WebhookVerdict =
  | { ok: true; event: ComplianceUpdatedEvent }
  | {
      ok: false;
      reason: 'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale' | 'replayed' | 'invalid_payload';
      issues?: string[];
    };

export interface VerifyWebhookInput {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (before any JSON parsing). */
  rawBody: string | Buffer;
  /** One secret, or several during a rotation. */
  secret: string | readonly string[];
  /** Allowed clock difference, seconds; default 300. */
  toleranceSec?: number;
  /** Epoch ms; default Date.now(). */
  now?: number;
  /** Event ids already accepted (kept at least toleranceSec). A verified new id is added. */
  seen?: { has(id: string): boolean; add(id: string): unknown };
}

function headerOf(h: VerifyWebhookInput['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/**
 * Verifies `myCOI-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "t.rawBody")>`. Order matters:
 * the signature is checked before anything is trusted, so an unsigned request can neither probe the
 * clock nor poison the replay set; the id is recorded only when everything passed.
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerdict {
  const sig = headerOf(input.headers, 'mycoi-signature');
  if (!sig) return { ok: false, reason: 'missing_signature' };
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of sig.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d+$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  if (t === undefined || v1.length === 0) return { ok: false, reason: 'malformed_signature' };
  const raw = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const match = secrets.some((s) => {
    const expected = createHmac('sha256', s).update(`${t}.`).update(raw).digest();
    return v1.some((given) => timingSafeEqual(expected, Buffer.from(given, 'hex')));
  });
  if (!match) return { ok: false, reason: 'bad_signature' };
  const now = input.now ?? Date.now();
  if (Math.abs(now / 1000 - t) > (input.toleranceSec ?? 300)) return { ok: false, reason: 'stale' };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_payload', issues: ['(root): not JSON'] };
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'invalid_payload', issues: formatIssues(parsed.error) };
  const headerId = headerOf(input.headers, 'mycoi-event-id');
  if (headerId !== undefined && headerId !== parsed.data.id)
    return { ok: false, reason: 'invalid_payload', issues: ['myCOI-Event-Id does not match the body'] };
  if (input.seen?.has(parsed.data.id)) return { ok: false, reason: 'replayed' };
  input.seen?.add(parsed.data.id);
  return { ok: true, event: parsed.data };
}
