import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createMycoiSandbox } from '@mycoi/mycoi-sandbox';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src';

// Signature verification (valid, tampered, replayed, stale, rotation) and end-to-end delivery
// from the sandbox with retries.

const SECRET = 'whsec_demo_secret';
const NOW = Date.parse('2026-11-25T12:00:00Z');

function eventBody(id = 'evt_1') {
  const record = {
    id: 'cmp_v_ven_1',
    account_id: 'acct-acme',
    level: 'vendor',
    vendor_id: 'ven_1',
    assignment_id: null,
    division_id: null,
    insurance_set_id: null,
    status: { kind: 'expired', label: 'Expired' },
    coverage_lines: [],
    deficiencies: [],
    notices: [],
    version: 3,
    updated_at: '2026-11-25T11:59:59.000Z',
    last_reviewed_at: null,
  };
  return JSON.stringify({
    id,
    type: 'compliance.updated',
    created_at: '2026-11-25T12:00:00.000Z',
    account_id: 'acct-acme',
    data: { record },
  });
}
function sign(body: string, t: number, secret = SECRET) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
const t0 = Math.floor(NOW / 1000);

describe('verifyWebhook', () => {
  it('accepts a valid signature and returns the parsed event', () => {
    const body = eventBody();
    const v = verifyWebhook({
      headers: { 'mycoi-signature': sign(body, t0), 'mycoi-event-id': 'evt_1' },
      rawBody: body,
      secret: SECRET,
      now: NOW,
    });
    expect(v.ok && v.event.data.record.status.kind).toBe('expired');
  });

  it('rejects a tampered body, a wrong secret, a missing or malformed header', () => {
    const body = eventBody();
    const headers = { 'myCOI-Signature': sign(body, t0) };
    expect(verifyWebhook({ headers, rawBody: body.replace('"version":3', '"version":4'), secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyWebhook({ headers, rawBody: body, secret: 'other', now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ headers: {}, rawBody: body, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyWebhook({ headers: { 'mycoi-signature': 'v1=abc' }, rawBody: body, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    // A signature made for another timestamp does not verify with this one.
    const forged = sign(body, t0).replace(`t=${t0}`, `t=${t0 + 1}`);
    expect(verifyWebhook({ headers: { 'mycoi-signature': forged }, rawBody: body, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('rejects a replayed event id once it was accepted', () => {
    const body = eventBody('evt_replay');
    const seen = new Set<string>();
    const input = { headers: { 'mycoi-signature': sign(body, t0) }, rawBody: body, secret: SECRET, now: NOW, seen };
    expect(verifyWebhook(input).ok).toBe(true);
    expect(verifyWebhook({ ...input, headers: { 'mycoi-signature': sign(body, t0 + 5) }, now: NOW + 5000 })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('rejects a stale or future timestamp outside the tolerance', () => {
    const body = eventBody();
    expect(verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0 - 301) }, rawBody: body, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0 + 301) }, rawBody: body, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(
      verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0 - 60) }, rawBody: body, secret: SECRET, now: NOW, toleranceSec: 30 }),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0 - 299) }, rawBody: body, secret: SECRET, now: NOW }).ok).toBe(true);
  });

  it('accepts either secret during rotation, and a header with two v1 entries', () => {
    const body = eventBody();
    expect(
      verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0, 'new') }, rawBody: body, secret: ['old', 'new'], now: NOW }).ok,
    ).toBe(true);
    const two = `${sign(body, t0, 'old')},v1=${sign(body, t0, 'new').split('v1=')[1]}`;
    expect(verifyWebhook({ headers: { 'mycoi-signature': two }, rawBody: body, secret: 'new', now: NOW }).ok).toBe(true);
  });

  it('a correctly signed body that breaks the contract is invalid_payload, not trusted', () => {
    const body = JSON.stringify({ id: 'evt_x', type: 'compliance.updated' });
    const v = verifyWebhook({ headers: { 'mycoi-signature': sign(body, t0) }, rawBody: body, secret: SECRET, now: NOW });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toBe('invalid_payload');
  });
});

describe('webhook delivery from the sandbox', () => {
  it('signs each attempt, retries after failures with the same event id, and verifies end to end', async () => {
    const attempts: Array<{ status: number; verdict: string; eventId: string }> = [];
    const seen = new Set<string>();
    let failuresLeft = 2;
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        if (failuresLeft-- > 0) {
          res.statusCode = 503;
          res.end();
          attempts.push({ status: 503, verdict: '-', eventId: String(req.headers['mycoi-event-id']) });
          return;
        }
        const v = verifyWebhook({ headers: req.headers, rawBody, secret: SECRET, seen });
        attempts.push({
          status: 200,
          verdict: v.ok ? `ok:${v.event.data.record.status.label}` : v.reason,
          eventId: String(req.headers['mycoi-event-id']),
        });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/mycoi`;
    const sb = await createMycoiSandbox({ webhook: { url, secret: SECRET, backoffMs: 5 } });
    try {
      sb.admin.setCompliance({ vendorId: 'ven_acme_harbor' }, { status: 'finalized_compliant' });
      await sb.admin.flushWebhooks();
      expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
      expect(new Set(attempts.map((a) => a.eventId)).size).toBe(1);
      expect(attempts[2]!.verdict).toBe('ok:Finalized; Compliant');
      expect(sb.admin.deliveries().map((d) => d.ok)).toEqual([false, false, true]);
    } finally {
      await sb.close();
      receiver.close();
    }
  });
});
