import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createApp } from '../src/app';
import { createLogger, registerSecret } from '../src/logger';

let db: Database;
let server: Server;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'info', destination: sink });
  const app = createApp({ config: loadConfig({ BODY_LIMIT: '1kb' }), db, logger });
  // a route that echoes a body into the log, to prove redaction of secrets passed through requests
  const outer = express();
  outer.post('/_probe', express.json(), (req, res) => {
    logger.info({ body: req.body, note: `user said ${String(req.body.free_text)}` }, 'probe');
    res.json({ ok: true });
  });
  outer.use(app);
  server = outer.listen(0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await db.close();
});

describe('health', () => {
  it('/healthz answers 200', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz reports the database migrated', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('ready');
  });

  it('/readyz answers 503 when a migration is missing', async () => {
    await db.pool.query("delete from schema_migrations where id = '001_core'");
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('not_ready');
    await db.pool.query("insert into schema_migrations (id) values ('001_core')");
  });

  it('/metrics exposes default metrics and the HTTP histogram', async () => {
    await fetch(`${base}/healthz`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('http_request_duration_seconds_bucket');
  });
});

describe('error shape', () => {
  it('unknown routes 404 in the one shape', async () => {
    const res = await fetch(`${base}/no/such/route`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('not_found');
    expect(typeof body.error.message).toBe('string');
  });

  it('malformed JSON is a 400', async () => {
    const res = await fetch(`${base}/no/such/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('malformed_json');
  });

  it('bodies over the limit are a 413', async () => {
    const res = await fetch(`${base}/no/such/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});

describe('security headers', () => {
  it('allows framing only by the configured Procore origins', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/app\.procore\.com/);
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });
});

describe('log redaction', () => {
  it('never writes a secret passed through a request to the log', async () => {
    const secret = 'S3cr3t-value-that-must-not-leak';
    const known = 'decrypted-dmsa-secret-0042';
    registerSecret(known);
    const res = await fetch(`${base}/_probe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, cookie: `sid=${secret}` },
      body: JSON.stringify({ client_secret: secret, password: secret, nested: { token: secret }, free_text: known }),
    });
    expect(res.status).toBe(200);
    // the app's own request line: method, route template, status — no headers, no URL
    await fetch(`${base}/healthz/x`, { headers: { authorization: `Bearer ${secret}`, cookie: `sid=${secret}` } });
    await new Promise((r) => setTimeout(r, 50));
    const all = logLines.join('');
    expect(all).toContain('probe');
    expect(all).toContain('[redacted]');
    expect(all).toContain('"method":"GET","route":"(no route)","status":404');
    expect(all).not.toContain('/healthz/x');
    expect(all).not.toMatch(/authorization|cookie|headers/i);
    expect(all).not.toContain(secret);
    expect(all).not.toContain(known);
  });
});
