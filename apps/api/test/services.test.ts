import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import { createTestDatabase } from '@mycoi/db/testing';
import type { AppServices } from '../src/app';
import { Lifecycle } from '../src/lifecycle';
import { startServices, type Services } from '../src/services';

// The composition root builds a closed set: the type names every member (no index signature to
// read an unbuilt one through a cast), and what startServices returns is exactly that set.

const MEMBERS = ['afterListen', 'events', 'mailer', 'panelRefresh', 'sync', 'syncControl', 'syncMetrics', 'tenantClients', 'upstream'];

describe('Services (type)', () => {
  it('is closed: its keys are the members startServices builds, nothing else', () => {
    expectTypeOf<keyof Services>().toEqualTypeOf<
      'afterListen' | 'events' | 'mailer' | 'panelRefresh' | 'sync' | 'syncControl' | 'syncMetrics' | 'tenantClients' | 'upstream'
    >();
    // what server.ts hands to createApp: the HTTP side reads it without a cast
    expectTypeOf<Services>().toExtend<AppServices>();
  });
});

describe('startServices (embedded sandboxes, as in the demo)', () => {
  let db: Database;
  let dir: string;
  let lifecycle: Lifecycle;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'mycoi-services-'));
    const logger = pino({ level: 'silent' });
    lifecycle = new Lifecycle(logger);
    // no Procore/myCOI URLs outside production: the embedded sandboxes start, on free ports
    const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', PGLITE_DIR: path.join(dir, 'pglite'), SYNC_ENABLED: 'false' });
    services = await startServices({ config, db, logger, lifecycle });
  }, 60_000);
  afterAll(async () => {
    await lifecycle?.stop('test done');
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('returns every member of the type and no other', () => {
    expect(Object.keys(services).sort()).toEqual(MEMBERS);
    for (const [k, v] of Object.entries(services)) expect(v, k).toBeDefined();
  });

  it("decides the upstream in one place: the sandbox's URLs, its pages for links, its origin may frame the panel", () => {
    const up = services.upstream;
    expect(up.sandboxes).toBeDefined();
    expect(up.procoreApiUrl).toBe(up.sandboxes!.procore.url);
    expect(up.mycoiApiUrl).toBe(up.sandboxes!.mycoi.url);
    expect(up.procoreEnvironment).toBe('local');
    expect(up.procoreAppUrl).toBe(up.procoreApiUrl);
    expect(up.panelFrameAncestors).toContain(new URL(up.procoreLoginUrl).origin);
  });

  it('queues the hooks that need our URL for after listen (the demo webhooks, then the scheduler)', () => {
    expect(services.afterListen.length).toBeGreaterThanOrEqual(2);
  });
});
