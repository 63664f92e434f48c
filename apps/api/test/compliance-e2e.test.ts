import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransition } from '../src/tenants/transitions';
import { insertDemoTenant } from './support/tenants';
import { startTestServer, type TestServer } from './support/server';
import { until } from './support/until';

// The README's compliance example, over HTTP exactly as a person would run it: the myCOI sandbox's
// admin endpoint changes ven_acme_bright's overall status, myCOI signs a compliance.updated event
// to our receiver, the engine pushes, and the Procore sandbox's /_sandbox/state must show the
// vendor as not compliant (Procore never looks better than myCOI).

const MYCOI_SECRET = 'e2e-compliance-webhook-secret-0123456789';
const ops = { kind: 'ops' as const, id: 'ops@mycoi.test', ip: null };
const BRIGHT_PROCORE_ID = 70001;
let ts: TestServer;

interface Row {
  vendor_id: number;
  origin_id: string | null;
  status: string;
  notes: string | null;
  insurance_type: string;
}

/** Bright Electric's rows of ours in the Procore sandbox's Company Directory, read over HTTP. */
async function brightRows(): Promise<Row[]> {
  const res = await fetch(`${ts.procore.url}/_sandbox/state`);
  expect(res.status).toBe(200);
  const state = (await res.json()) as { insurances: Row[] };
  return state.insurances.filter((i) => i.vendor_id === BRIGHT_PROCORE_ID && i.origin_id?.startsWith('mycoi:v:'));
}

async function setStatus(status: string): Promise<void> {
  const res = await fetch(`${ts.mycoi.url}/_sandbox/compliance/vendors/ven_acme_bright`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  ts = await startTestServer({ env: { MYCOI_WEBHOOK_SECRET: MYCOI_SECRET, EVENTS_COALESCE_MS: '100' } });
  const pool = ts.running.db.pool;
  const tenantId = await insertDemoTenant(pool, ts.running.config.encryption, { compliance_level: 'vendor' });
  ts.mycoi.admin.setWebhook({ url: `${ts.url}/webhooks/mycoi`, secret: MYCOI_SECRET, backoffMs: 50 });
  await applyTransition(pool, tenantId, 'activate', ops);
});
afterAll(async () => {
  await ts?.close();
});

describe("the README's compliance example reaches Procore", () => {
  it('finalized compliant: every Bright Electric row is compliant', async () => {
    await setStatus('finalized_compliant');
    const rows = await until('compliant rows', async () => {
      const r = await brightRows();
      return r.length > 0 && r.every((x) => x.status === 'compliant') ? r : null;
    });
    expect(rows.length).toBeGreaterThanOrEqual(4);
  });

  it('finalized_non_compliant: no row stays compliant and each says why', async () => {
    await setStatus('finalized_non_compliant');
    const rows = await until('non-compliant rows', async () => {
      const r = await brightRows();
      return r.length > 0 && r.every((x) => x.status === 'non_compliant') ? r : null;
    });
    for (const r of rows) {
      expect(r.notes).toContain('myCOI status: Non-Compliant.');
      expect(r.notes).toContain("myCOI's overall status is Non-Compliant.");
    }
  });

  it('expired: every row is expired, never "compliant_in_progress"', async () => {
    await setStatus('expired');
    const rows = await until('expired rows', async () => {
      const r = await brightRows();
      return r.length > 0 && r.every((x) => x.status === 'expired') ? r : null;
    });
    expect(rows.some((r) => r.status === 'compliant_in_progress')).toBe(false);
  });

  it('unknown status is refused by the sandbox and changes nothing in Procore', async () => {
    const before = (await brightRows()).map((r) => r.status);
    const res = await fetch(`${ts.mycoi.url}/_sandbox/compliance/vendors/ven_acme_bright`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'mostly_fine' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await brightRows()).map((r) => r.status)).toEqual(before);
  });
});
