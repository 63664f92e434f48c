import express, { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { errorBody } from '../http/errors';
import {
  matchesSecret,
  parseInstant,
  procoreEventId,
  ProcoreDelivery,
  ProcoreDeliveryV2,
  storeUnparsed,
  type EventCounters,
} from '@mycoi/events';
import type { EventIngest } from './ingest';
import { findBadField } from '../http/input-hygiene';

export interface ReceiverDeps {
  pool: pg.Pool;
  counters: EventCounters;
  ingest: EventIngest;
  coalesceMs: number;
  /** called after an event is stored, so the worker looks at once */
  onStored: () => void;
  /** Largest body read (express size string); default 1mb. */
  bodyLimit?: string;
}

// A rotated secret stays valid this long: deliveries already queued at Procore carry the old one.
const ROTATION_GRACE_MS = 10 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface HookRow {
  procore_company_id: string;
  secret_hash: string | null;
  previous_secret_hash: string | null;
  rotated_at: Date | null;
  service_user_id: string | null;
  service_client_id: string | null;
}

/**
 * POST /webhooks/procore/:tenantKey — Procore's deliveries (payload v2.0/v3.0, and v4.0).
 * Authenticated by the per-tenant Authorization value we registered (Procore documents no payload
 * signature). Answers as soon as the event is stored; the worker does the rest, well inside
 * Procore's 5-second limit.
 *
 * Procore pauses the endpoint's WHOLE delivery queue on any non-2xx, so once a delivery has
 * authenticated it is never refused for its body: one we cannot parse (not JSON, unknown shape)
 * is kept raw and bounded for ops (webhook_unparsed), counted as 'unparsed' and answered 202.
 * The body is read here as bytes (the app's JSON parser skips this path) so that even a body
 * that is not JSON reaches this decision instead of a parser's 400.
 */
export function procoreReceiver(d: ReceiverDeps): Router {
  const r = Router();
  const raw = express.raw({ type: () => true, limit: d.bodyLimit ?? '1mb' });
  r.post('/webhooks/procore/:tenantKey', raw, async (req: Request, res: Response) => {
    const tenantKey = String(req.params.tenantKey);
    const hook = UUID.test(tenantKey)
      ? (
          await d.pool.query<HookRow>(
            'select procore_company_id, secret_hash, previous_secret_hash, rotated_at, service_user_id, service_client_id from procore_hooks where tenant_id = $1',
            [tenantKey],
          )
        ).rows[0]
      : undefined;
    const inGrace = hook?.rotated_at && Date.now() - hook.rotated_at.getTime() < ROTATION_GRACE_MS;
    // compare even when no hook is known, so timing does not tell known tenant keys apart
    const authorized = matchesSecret(req.get('authorization'), [
      hook?.secret_hash ?? '0'.repeat(64),
      inGrace ? hook?.previous_secret_hash : null,
    ]);
    if (!hook || !authorized) {
      d.counters.count(hook ? tenantKey : null, 'procore', 'rejected', 1, 'bad_secret');
      res.status(401).json(errorBody('unauthorized', 'Missing or wrong webhook secret'));
      return;
    }
    const tenantId = tenantKey;
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    (req as { rawBody?: Buffer }).rawBody = bytes;
    let body: unknown;
    let unreadable: string | null = null;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      unreadable = 'not JSON';
    }
    // the one input check (http/input-hygiene.ts) on the body this route parses itself: a NUL or
    // lone surrogate cannot be stored, so such a delivery is kept unparsed (202), not refused
    const bad = unreadable === null ? findBadField(body, 'body') : null;
    if (bad) unreadable = `${bad.path} ${bad.reason}`;
    const parsed = unreadable === null ? ProcoreDelivery.safeParse(body) : null;
    if (!parsed?.success) {
      // the union's own error says only "invalid input": name what the v2 shape (the one we ask for) lacks
      const issues = ProcoreDeliveryV2.safeParse(body)
        .error?.issues.slice(0, 5)
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      await storeUnparsed(d.pool, {
        tenantId,
        source: 'procore',
        body: bytes,
        contentType: req.get('content-type'),
        reason: unreadable ?? `unknown shape (${issues})`,
      });
      d.counters.count(tenantId, 'procore', 'unparsed');
      res.status(202).json({ status: 'stored_unparsed' });
      return;
    }
    const p = parsed.data;
    d.counters.count(tenantId, 'procore', 'received');

    if (p.company_id !== hook.procore_company_id) {
      // our secret, another company: a misrouted hook. Acknowledge (a 4xx would pause the whole
      // Procore queue for this endpoint) but never act on it.
      d.counters.count(tenantId, 'procore', 'rejected', 1, 'company_mismatch');
      res.status(202).json({ status: 'dropped' });
      return;
    }
    // loop avoidance: our own writes (compliance status, directory changes) come back as events
    const own =
      (hook.service_user_id !== null && (p.user_id === hook.service_user_id || p.metadata?.source_user_id === hook.service_user_id)) ||
      (hook.service_client_id !== null &&
        p.metadata?.source_application_id != null &&
        String(p.metadata.source_application_id) === hook.service_client_id);

    // the ONE gate (in the ingest batch): inactive (or feature-less) tenants get nothing; 2xx so Procore's queue keeps moving
    const result = await d.ingest.submit({
      source: 'procore',
      eventId: procoreEventId(p),
      tenantId,
      occurredAt: parseInstant(p.timestamp),
      payload: body,
      status: own ? 'ignored' : 'pending',
      outcome: own ? 'own_change' : null,
      coalesceMs: d.coalesceMs,
    });
    if (result === 'dropped') {
      d.counters.count(tenantId, 'procore', 'dropped_inactive');
      res.status(202).json({ status: 'dropped' });
      return;
    }
    if (result === 'duplicate') {
      d.counters.count(tenantId, 'procore', 'deduplicated');
      res.status(200).json({ status: 'duplicate' });
      return;
    }
    if (own) {
      d.counters.count(tenantId, 'procore', 'ignored_own');
      res.status(200).json({ status: 'ignored' });
      return;
    }
    d.onStored();
    res.status(200).json({ status: 'accepted' });
  });
  return r;
}
