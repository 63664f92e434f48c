import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import { createApp, type AppServices } from '../src/app';
import { configuredUpstream, upstreamView, type UpstreamLocations } from '../src/upstream';

// upstream.ts is the one place that turns Procore/myCOI locations into links, environment and
// framing; these tests pin what each feature then reads from it.

const demo = loadConfig({ LOG_LEVEL: 'silent' });
const production = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://mycoi@db.internal/mycoi',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  ENCRYPTION_ACTIVE_KEY: 'k1',
  PROCORE_CLIENT_ID: 'marketplace-app',
  PROCORE_CLIENT_SECRET: 'marketplace-app-secret',
  MYCOI_WEBHOOK_SECRET: 'a-mycoi-webhook-secret-0123456789',
  SMTP_URL: 'smtp://mail.internal:25',
  SESSION_SECRET: 'a-session-secret-long-enough-for-production-0123456789',
  PUBLIC_URL: 'https://procore.mycoi.example',
  PROCORE_API_URL: 'https://api.procore.com',
  PROCORE_LOGIN_URL: 'https://login.procore.com',
  MYCOI_API_URL: 'https://api.mycoi.example',
});
const loopback: UpstreamLocations = {
  procoreLoginUrl: 'http://127.0.0.1:4101',
  procoreApiUrl: 'http://127.0.0.1:4101',
  procoreClientId: 'demo-panel-client',
  procoreClientSecret: 'demo-panel-secret',
  mycoiApiUrl: 'http://127.0.0.1:4102',
};

describe('upstream view', () => {
  it("links to Procore's web app and labels production for Procore's production hosts", () => {
    const up = configuredUpstream(production);
    expect(up.procoreApiUrl).toBe('https://api.procore.com');
    expect(up.procoreEnvironment).toBe('production');
    expect(up.procoreAppUrl).toBe('https://app.procore.com');
    expect(up.panelFrameAncestors).toEqual(production.FRAME_ANCESTORS);
  });

  it("labels Procore's developer sandbox and links to its web app", () => {
    const up = upstreamView(demo, {
      ...loopback,
      procoreApiUrl: 'https://sandbox.procore.com',
      procoreLoginUrl: 'https://login-sandbox.procore.com',
    });
    expect(up.procoreEnvironment).toBe('sandbox');
    expect(up.procoreAppUrl).toBe('https://sandbox.procore.com');
    expect(up.panelFrameAncestors).toEqual(demo.FRAME_ANCESTORS);
  });

  it('treats the embedded sandboxes as a local Procore: links, label and the harness page may frame the panel', () => {
    const up = upstreamView(demo, loopback, true);
    expect(up.procoreEnvironment).toBe('local');
    expect(up.procoreAppUrl).toBe('http://127.0.0.1:4101');
    expect(up.panelFrameAncestors).toEqual([...demo.FRAME_ANCESTORS, 'http://127.0.0.1:4101']);
  });

  it('never lets a loopback origin frame the panel in production', () => {
    const up = upstreamView(production, loopback);
    expect(up.panelFrameAncestors).toEqual(production.FRAME_ANCESTORS);
    expect(up.panelFrameAncestors.some((o) => o.includes('127.0.0.1'))).toBe(false);
  });

  it('names no location that config does not give (the panel and Procore sign-in stay off)', () => {
    const up = configuredUpstream(demo);
    expect(up.procoreApiUrl).toBeUndefined();
    expect(up.mycoiApiUrl).toBeUndefined();
    expect(up.procoreAppUrl).toBe('https://app.procore.com');
    expect(up.panelFrameAncestors).toEqual(demo.FRAME_ANCESTORS);
  });

  it('rejects a location that is not a URL instead of guessing', () => {
    expect(() => upstreamView(demo, { procoreLoginUrl: 'not a url' })).toThrow();
  });
});

describe('the app reads framing and the panel from the upstream it is given', () => {
  let db: Database;
  const servers: Server[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await db?.close();
  });
  async function mount(services?: AppServices): Promise<string> {
    const app = createApp({ config: demo, db, logger: pino({ level: 'silent' }), ...(services ? { services } : {}) });
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("frames the panel for the given sandbox's harness page", async () => {
    const base = await mount({ upstream: upstreamView(demo, loopback, true) });
    const csp = (await fetch(`${base}/healthz`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/app\.procore\.com[^;]* http:\/\/127\.0\.0\.1:4101(;|$)/);
  });

  it('without services: config alone, no loopback framing, and the panel says it is not configured', async () => {
    const base = await mount();
    const res = await fetch(`${base}/api/panel/auth/procore/start?companyId=1001`, { redirect: 'manual' });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self' https://app.procore.com");
    expect(csp).not.toContain('127.0.0.1');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'panel_unavailable' } });
  });
});
