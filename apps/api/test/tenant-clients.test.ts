import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@mycoi/db/testing';
import type { Database } from '@mycoi/db';
import { createProcoreSandbox, PROCORE_LIMITS, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { createTenantClientRegistry } from '../src/clients/tenant-clients';
import type { Keyring } from '../src/secrets/crypto';
import { putCredential } from '../src/secrets/store';

// The one registry every caller of a tenant's Procore credentials goes through (scheduler, events,
// hook registration, side panel), at Procore's documented limits: one token and one rate budget,
// with the panel's calls ahead of background work in every spike window.

let db: Database;
let sb: ProcoreSandbox;
let tenantId: string;
const ring: Keyring = { keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' };

beforeAll(async () => {
  [db, sb] = await Promise.all([createTestDatabase(), createProcoreSandbox({ rateLimit: PROCORE_LIMITS })]);
  const { rows } = await db.pool.query<{ id: string }>(
    "insert into tenants (procore_company_id, name, status, procore_environment) values ('1001', 'Acme Builders', 'active', 'local') returning id",
  );
  tenantId = rows[0]!.id;
  await putCredential(db.pool, ring, { tenantId, kind: 'procore_dmsa', clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' });
});
afterAll(async () => {
  await sb?.close();
  await db?.close();
});

describe('tenant client registry at Procore limits', () => {
  it('background and interactive callers share one token and budget; the panel is not held behind a paced push', async () => {
    const registry = createTenantClientRegistry({
      pool: db.pool,
      ring,
      procoreLoginUrl: sb.url,
      procoreApiUrl: sb.url,
      mycoiApiUrl: 'http://127.0.0.1:9',
    });
    const background = (await registry.procore(tenantId)).client;
    const panel = (await registry.procore(tenantId, { interactive: true })).client;
    expect(panel).not.toBe(background);
    expect(panel.budget).toBe(background.budget);
    expect((await registry.procore(tenantId)).client).toBe(background); // cached per credential set
    sb.clearRequests();

    const push = (async () => {
      for (let i = 0; i < 30; i++) await background.company(1001).me();
    })();
    while (background.stats.budgetWaits === 0) await new Promise((r) => setTimeout(r, 20));
    await panel.company(1001).me();
    await panel.company(1001).me();
    expect(panel.stats.budgetWaits).toBe(0);
    const rest = () => sb.requests().filter((r) => r.path.startsWith('/rest/'));
    expect(rest()).toHaveLength(25); // 23 of the push, then the panel's 2 in the same window
    await push;
    expect(rest()).toHaveLength(32);
    expect(rest().filter((r) => r.status !== 200)).toEqual([]);
    // one token for all of them: Procore counts its limits per token
    expect(
      new Set(
        sb
          .requests()
          .filter((r) => r.path === '/oauth/token')
          .map((r) => r.status),
      ),
    ).toEqual(new Set([200]));
    expect(sb.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  }, 60_000);
});
