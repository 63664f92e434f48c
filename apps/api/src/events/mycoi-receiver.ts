import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { errorBody } from '../http/errors';
import { verifyWebhook } from '@mycoi/mycoi';
import { MycoiComplianceEvent, parseInstant, rememberSignature } from '@mycoi/events';
import type { ReceiverDeps } from './procore-receiver';

export interface MycoiReceiverDeps extends ReceiverDeps {
  /** the shared secret(s) myCOI signs with (several during a rotation) */
  secret: () => string | readonly string[];
  toleranceSec?: number;
  now?: () => number;
}

type Reject = 'missing_signature' | 'invalid_signature' | 'stale_signature' | 'replayed_signature' | 'malformed';

/**
 * POST /webhooks/mycoi — compliance.updated from myCOI. The HMAC covers `${t}.${raw body}`; `t`
 * must be within the tolerance (replays of old captures fail), and a byte-identical signature we
 * already accepted is refused (myCOI signs every retry afresh, so only a replay repeats one).
 * A retry of an event we already stored is acknowledged and not handled again.
 */
export function mycoiReceiver(d: MycoiReceiverDeps): Router {
  const r = Router();

  async function reject(res: Response, status: number, reason: Reject, message: string, tenantId: string | null = null) {
    d.counters.count(tenantId, 'mycoi', 'rejected', 1, reason);
    res.status(status).json(errorBody(reason, message));
  }

  // account → tenant changes only when ops edit a tenant; a short cache spares a query per event
  // (the gate below still reads the tenant fresh every time)
  const accounts = new Map<string, { tenantId: string | null; at: number }>();
  async function tenantOf(accountId: string): Promise<string | null> {
    const hit = accounts.get(accountId);
    if (hit && Date.now() - hit.at < 30_000) return hit.tenantId;
    const { rows } = await d.pool.query<{ id: string }>('select id from tenants where mycoi_account_id = $1 order by created_at limit 1', [
      accountId,
    ]);
    const tenantId = rows[0]?.id ?? null;
    if (accounts.size > 10_000) accounts.clear();
    accounts.set(accountId, { tenantId, at: Date.now() });
    return tenantId;
  }

  r.post('/webhooks/mycoi', async (req: Request, res: Response) => {
    const raw = (req as { rawBody?: Buffer }).rawBody;
    const header = req.get('mycoi-signature');
    if (!header) return reject(res, 401, 'missing_signature', 'The myCOI-Signature header is missing');
    if (!raw) return reject(res, 400, 'malformed', 'Expected a JSON body');
    // @mycoi/mycoi checks the HMAC first, then the timestamp tolerance, then the payload shape
    const check = verifyWebhook({
      headers: req.headers,
      rawBody: raw,
      secret: d.secret(),
      toleranceSec: d.toleranceSec ?? 300,
      now: d.now?.(),
    });
    if (!check.ok) {
      if (check.reason === 'stale') return reject(res, 401, 'stale_signature', 'The signature timestamp is outside the tolerance');
      if (check.reason === 'invalid_payload')
        return reject(res, 400, 'malformed', 'Not a compliance.updated event (or myCOI-Event-Id differs from the body)');
      return reject(
        res,
        401,
        check.reason === 'missing_signature' ? 'missing_signature' : 'invalid_signature',
        'The signature does not verify',
      );
    }
    const parsed = MycoiComplianceEvent.safeParse(req.body);
    if (!parsed.success) return reject(res, 400, 'malformed', 'Not a compliance.updated event');
    const ev = parsed.data;
    const digest = createHash('sha256').update(header).digest('hex');
    const tenantId = await tenantOf(ev.account_id);
    // myCOI signs every retry afresh, so a signature seen before is a replay — even of a delivery
    // we dropped (nothing stored) while the tenant was suspended
    if (!(await rememberSignature(d.pool, 'mycoi', digest))) {
      return reject(res, 401, 'replayed_signature', 'This exact signed delivery was already received', tenantId);
    }
    // the ONE gate (in the ingest batch): inactive or unknown tenants get nothing stored; 2xx so myCOI stops retrying
    const result = tenantId
      ? await d.ingest.submit({
          source: 'mycoi',
          eventId: ev.id,
          tenantId,
          occurredAt: parseInstant(ev.created_at),
          payload: req.body,
          signatureDigest: digest,
          coalesceMs: d.coalesceMs,
        })
      : 'dropped';
    if (result === 'dropped') {
      d.counters.count(tenantId, 'mycoi', 'received');
      d.counters.count(tenantId, 'mycoi', 'dropped_inactive');
      res.status(202).json({ status: 'dropped' });
      return;
    }
    if (result === 'duplicate') {
      // seen before under a fresh signature: myCOI's retry, acknowledged and not handled again
      d.counters.count(tenantId, 'mycoi', 'received');
      d.counters.count(tenantId, 'mycoi', 'deduplicated');
      res.status(200).json({ status: 'duplicate' });
      return;
    }
    d.counters.count(tenantId, 'mycoi', 'received');
    d.onStored();
    res.status(200).json({ status: 'accepted' });
  });
  return r;
}
